// One decision for the invoices selected on the page, sent one invoice at a time with the version each row
// showed (a change by someone else meanwhile is that invoice's conflict, not a silent overwrite); then a
// result per invoice.
import type { FormEvent } from "react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";

import { ProblemText } from "../../components/ProblemText";
import type { InvoiceRowFragment, InvoiceStatus } from "../../gql/graphql";
import type { Side } from "../../lib/invoiceList";
import { REASON_REQUIRED } from "../../lib/invoiceList";
import { AcknowledgeRejection, ProcessInvoice } from "./mutations";
import { STATUSES } from "./statuses";

const ACKNOWLEDGE = "ACKNOWLEDGE";

interface Outcome {
  id: string;
  number: string;
  ok: boolean;
  message: string;
}

export function BulkAction({
  side,
  invoices,
  onDone,
  clear,
}: {
  side: Side;
  invoices: InvoiceRowFragment[];
  onDone: () => void;
  clear: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const client = useClient();
  const [choice, setChoice] = useState("");
  const [reason, setReason] = useState("");
  const [running, setRunning] = useState<number | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const offered: string[] =
    side === "received"
      ? STATUSES.filter((s) => invoices.some((i) => i.allowedTransitions.includes(s)))
      : invoices.some((i) => i.status === "REJETEE" && !i.rejectionAcknowledgedAt)
        ? [ACKNOWLEDGE]
        : [];
  const needsReason = REASON_REQUIRED.includes(choice as InvoiceStatus);
  const label = (value: string) => (value === ACKNOWLEDGE ? t("invoices.acknowledge") : t(`status.${value}`));

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice) {
      setProblem(t("invoices.bulk.chooseFirst"));
      return;
    }
    if (needsReason && !reason.trim()) {
      setProblem(t("invoices.reasonRequired"));
      return;
    }
    setProblem(null);
    const results: Outcome[] = [];
    setRunning(0);
    for (const invoice of invoices) {
      let outcome: Outcome;
      if (choice === ACKNOWLEDGE) {
        const answer = await client.mutation(AcknowledgeRejection, { input: { invoiceId: invoice.id } }).toPromise();
        const refused = answer.error?.message ?? answer.data?.acknowledgeRejection.userErrors[0]?.message;
        outcome = { id: invoice.id, number: invoice.number, ok: !refused, message: refused ?? t("invoices.acknowledged") };
      } else {
        const answer = await client
          .mutation(ProcessInvoice, {
            input: {
              invoiceId: invoice.id,
              status: choice as InvoiceStatus,
              reason: needsReason ? reason.trim() : null,
              version: invoice.version,
            },
          })
          .toPromise();
        const error = answer.data?.processInvoice.userErrors[0];
        const refused =
          answer.error?.message ?? (error ? (error.code === "CONFLICT" ? t("invoices.conflictShort") : error.message) : null);
        const status = answer.data?.processInvoice.invoice?.status;
        outcome = {
          id: invoice.id,
          number: invoice.number,
          ok: !refused,
          message: refused ?? t("invoices.bulk.now", { status: status ? t(`status.${status}`) : "" }),
        };
      }
      results.push(outcome);
      setRunning(results.length);
    }
    setRunning(null);
    setOutcomes(results);
    setReason("");
    clear();
    onDone();
  };

  const succeeded = outcomes?.filter((o) => o.ok).length ?? 0;
  return (
    <>
      {invoices.length > 0 && (
        <form className="bulk" onSubmit={(event) => void run(event)} aria-labelledby={`${id}-title`} noValidate>
          <h2 id={`${id}-title`} className="bulk-title">
            {t("invoices.bulk.selected", { count: invoices.length })}
          </h2>
          {offered.length === 0 ? (
            <p className="muted">{t("invoices.bulk.nothing")}</p>
          ) : (
            <>
              <label>
                {t("invoices.bulk.decision")}{" "}
                <select value={choice} onChange={(event) => setChoice(event.target.value)}>
                  <option value="">—</option>
                  {offered.map((s) => (
                    <option key={s} value={s}>
                      {label(s)}
                    </option>
                  ))}
                </select>
              </label>
              {needsReason && (
                <label className="reason">
                  {t("invoices.reason")}{" "}
                  <textarea value={reason} required rows={2} onChange={(event) => setReason(event.target.value)} />
                </label>
              )}
              <button type="submit" className="primary" disabled={running !== null}>
                {running === null
                  ? t("invoices.bulk.apply", { count: invoices.length })
                  : t("invoices.bulk.running", { done: running, count: invoices.length })}
              </button>
            </>
          )}
          <button type="button" onClick={clear} disabled={running !== null}>
            {t("invoices.bulk.unselect")}
          </button>
          <ProblemText>{problem}</ProblemText>
        </form>
      )}
      <div role="status" aria-live="polite">
        {outcomes && (
          <section className="bulk-results" aria-labelledby={`${id}-results`}>
            <h2 id={`${id}-results`}>
              {t("invoices.bulk.results", { ok: succeeded, count: outcomes.length })}
            </h2>
            <ul>
              {outcomes.map((o) => (
                <li key={o.id} className={o.ok ? "ok" : "failed"} data-outcome={o.ok ? "ok" : "failed"}>
                  <span aria-hidden="true">{o.ok ? "✓" : "✗"}</span> <strong>{o.number}</strong> : {o.message}
                </li>
              ))}
            </ul>
            <button type="button" className="link-button" onClick={() => setOutcomes(null)}>
              {t("invoices.bulk.dismiss")}
            </button>
          </section>
        )}
      </div>
    </>
  );
}
