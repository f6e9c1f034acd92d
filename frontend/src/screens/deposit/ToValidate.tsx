// À valider: the subcontractor (A9) and co-contractor (A12) invoices this workspace validates, with the
// validate / refuse decision (a reason is required to refuse). Reading one goes to the detail route.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";

import { Dialog } from "../../components/Dialog";
import { Pager } from "../../components/Pager";
import { useCursors } from "../../components/useCursors";
import { graphql } from "../../gql";
import type { ToValidateQuery, ValidationDecision } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatAmount, formatDate } from "../../lib/format";
import { ProblemList } from "./Problems";
import type { Problem } from "./Problems";

const PAGE = 20;

const ToValidateQueryDoc = graphql(`
  query ToValidate($first: Int!, $after: String) {
    workspace {
      id
      invoicesToValidate(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          id
          number
          status
          frame
          version
          issueDate
          currency
          allowedTransitions
          ...InvoiceParties
          totals {
            withVat
          }
        }
      }
    }
  }
`);

const Decide = graphql(`
  mutation ValidateSubcontractInvoice($input: ValidateSubcontractInvoiceInput!) {
    validateSubcontractInvoice(input: $input) {
      invoice {
        id
        number
        status
        version
        allowedTransitions
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

type Row = ToValidateQuery["workspace"]["invoicesToValidate"]["nodes"][number];

export function ToValidate() {
  const { t } = useTranslation();
  const locale = useLocale();
  const cursors = useCursors();
  const after = cursors.after;
  const [{ data, fetching, error }, again] = useQuery({ query: ToValidateQueryDoc, variables: { first: PAGE, after } });
  const page = data?.workspace.invoicesToValidate;
  const [deciding, setDeciding] = useState<{ row: Row; decision: ValidationDecision } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  return (
    <section aria-labelledby="validate-title">
      <h1 id="validate-title">{t("deposit.validate.title")}</h1>
      <p className="muted">{t("deposit.validate.intro")}</p>
      <p role="status" aria-live="polite" data-testid="validate-outcome">
        {outcome}
      </p>
      {error && <p role="alert">{t("deposit.common.error", { message: error.message })}</p>}
      {!page && fetching && <p role="status">{t("deposit.common.loading")}</p>}
      {page && page.nodes.length === 0 && <p className="empty">{t("deposit.validate.empty")}</p>}
      {page && page.nodes.length > 0 && (
        <table className="invoices deposit-table" data-testid="to-validate">
          <thead>
            <tr>
              <th scope="col">{t("deposit.validate.number")}</th>
              <th scope="col">{t("deposit.validate.supplier")}</th>
              <th scope="col">{t("deposit.validate.recipient")}</th>
              <th scope="col">{t("deposit.validate.frame")}</th>
              <th scope="col" className="num">
                {t("deposit.validate.amount")}
              </th>
              <th scope="col">{t("deposit.validate.status")}</th>
              <th scope="col">{t("deposit.validate.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((row) => {
              const open = row.status === "A_VALIDER_1";
              return (
                <tr key={row.id}>
                  <td className="nowrap">
                    <Link to={`/factures/${encodeURIComponent(row.id)}`}>{row.number}</Link>
                    <div className="muted small">{formatDate(row.issueDate, locale)}</div>
                  </td>
                  <td>
                    {row.supplier.name ?? row.supplier.identifier}
                    <div className="muted small">{row.supplier.identifier}</div>
                  </td>
                  <td>{row.recipient.name ?? row.recipient.identifier}</td>
                  <td>{t(`deposit.validate.frames.${row.frame}`, { defaultValue: row.frame })}</td>
                  <td className="num">{formatAmount(row.totals.withVat, row.currency, locale)}</td>
                  <td>
                    <span className={`status status-${row.status.toLowerCase()}`}>{t(`status.${row.status}`)}</span>
                  </td>
                  <td className="actions">
                    {open && (
                      <>
                        <button
                          type="button"
                          aria-label={t("deposit.validate.validateTitle", { number: row.number })}
                          onClick={() => setDeciding({ row, decision: "VALIDATE" })}
                        >
                          {t("deposit.validate.validate")}
                        </button>{" "}
                        <button
                          type="button"
                          aria-label={t("deposit.validate.refuseTitle", { number: row.number })}
                          onClick={() => setDeciding({ row, decision: "REFUSE" })}
                        >
                          {t("deposit.validate.refuse")}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} pageInfo={page?.pageInfo} hideAlone />
      {deciding && (
        <DecisionDialog
          row={deciding.row}
          decision={deciding.decision}
          onClose={(done) => {
            setDeciding(null);
            if (done) {
              const key = deciding.decision === "REFUSE" ? "deposit.validate.refused" : "deposit.validate.validated";
              setOutcome(t(key, { number: done.number, status: t(`status.${done.status}`) }));
              again({ requestPolicy: "network-only" });
            }
          }}
        />
      )}
    </section>
  );
}

function DecisionDialog({
  row,
  decision,
  onClose,
}: {
  row: Row;
  decision: ValidationDecision;
  onClose: (done: { number: string; status: string } | null) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [state, decide] = useMutation(Decide);
  const refuse = decision === "REFUSE";
  const title = t(refuse ? "deposit.validate.refuseTitle" : "deposit.validate.validateTitle", { number: row.number });

  const confirm = async () => {
    if (refuse && !reason.trim()) {
      setMissing(true);
      return;
    }
    const result = await decide({
      input: { invoiceId: row.id, decision, reason: reason.trim() || null, version: row.version },
    });
    const payload = result.data?.validateSubcontractInvoice;
    if (payload?.invoice) onClose({ number: payload.invoice.number, status: payload.invoice.status });
    else if (payload) setProblems(payload.userErrors);
    else setProblems([{ message: result.error?.message ?? "" }]);
  };

  return (
    <Dialog title={title} className="decision" onClose={() => onClose(null)}>
      <form
        method="dialog"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <label htmlFor="decision-reason">
          {refuse ? t("deposit.validate.reason") : t("deposit.validate.reasonOptional")}
          {refuse && <span className="req"> ({t("deposit.common.required")})</span>}
        </label>
        <textarea
          id="decision-reason"
          rows={3}
          maxLength={1000}
          value={reason}
          aria-required={refuse}
          aria-invalid={missing ? true : undefined}
          aria-describedby={missing ? "decision-reason-error" : undefined}
          onChange={(event) => {
            setReason(event.target.value);
            setMissing(false);
          }}
        />
        {missing && (
          <p id="decision-reason-error" role="alert" className="field-error">
            {t("deposit.validate.reasonRequired")}
          </p>
        )}
        {problems.length > 0 && (
          <div role="alert" className="outcome bad">
            <ProblemList problems={problems} />
          </div>
        )}
        <p className="dialog-actions">
          <button type="button" onClick={() => onClose(null)}>
            {t("deposit.validate.cancel")}
          </button>{" "}
          <button type="submit" className="primary" disabled={state.fetching}>
            {refuse ? t("deposit.validate.confirmRefuse") : t("deposit.validate.confirmValidate")}
          </button>
        </p>
      </form>
    </Dialog>
  );
}
