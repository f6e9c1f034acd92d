// One invoice: the document itself (parties, references, lines, VAT, totals, payment), its files, its history,
// and what this workspace may do with it next. Everything in it came from a depositor: rendered as text only.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useClient, useQuery } from "urql";

import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemText } from "../../components/ProblemText";
import { useVersionedChange } from "../../components/useVersionedChange";
import type { InvoiceStatus } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatAmount, formatDate, formatDateTime } from "../../lib/format";
import { REASON_REQUIRED } from "../../lib/invoiceList";
import { formatQuantity, formatRate } from "../../lib/invoiceText";
import { CompleteForm } from "./CompleteForm";
import { RecycleForm } from "./RecycleForm";
import type { DetailInvoice } from "./detailQuery";
import { asInvoice, InvoiceQuery } from "./detailQuery";
import { DecisionDialog } from "./DecisionDialog";
import { Files } from "./Files";
import { AcknowledgeRejection, ProcessInvoice } from "./mutations";
import { Party } from "./Party";
import { Payment } from "./Payment";
import { STATUSES } from "./statuses";
import { Timeline } from "./Timeline";

export function InvoiceDetail() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: InvoiceQuery, variables: { id } });
  const invoice = asInvoice(data?.node);
  const reload = () => reexecute({ requestPolicy: "network-only" });

  if (error && !invoice) return <p role="alert">{t("detail.error", { message: error.message })}</p>;
  if (!data && fetching) {
    return (
      <p role="status" className="muted">
        {t("detail.loading")}
      </p>
    );
  }
  if (!invoice) return <p role="alert">{t("detail.notFound")}</p>;
  const back = invoice.side === "ISSUED" ? "/factures/emises" : "/factures/recues";
  const money = (value: string) => formatAmount(value, invoice.currency, locale);
  const doc = invoice.document;
  const references: [string, string | null | undefined][] = [
    [t("list.issueDate"), formatDate(invoice.issueDate, locale)],
    [t("invoices.dueDate"), doc.dueDate ? formatDate(doc.dueDate, locale) : null],
    [t("list.depositedAt"), formatDateTime(invoice.depositedAt, locale)],
    [t("detail.frame"), t(`invoices.frame.${invoice.frame}`)],
    [t("detail.validator"), invoice.validator?.identifier],
    [t("detail.serviceCode"), invoice.serviceCode],
    [t("detail.engagement"), invoice.engagementNumber ?? doc.orderReference],
    [t("invoices.ref.contract"), doc.contractReference],
    [t("invoices.ref.project"), doc.projectReference],
    [t("invoices.ref.tender"), doc.tenderReference],
    [t("invoices.ref.salesOrder"), doc.salesOrderReference],
    [t("invoices.ref.despatch"), doc.despatchAdviceReference],
    [t("invoices.ref.receiving"), doc.receivingAdviceReference],
    [t("invoices.ref.accounting"), doc.buyerAccountingReference],
    [
      t("invoices.ref.period"),
      doc.periodStart || doc.periodEnd
        ? `${doc.periodStart ? formatDate(doc.periodStart, locale) : "…"} – ${doc.periodEnd ? formatDate(doc.periodEnd, locale) : "…"}`
        : null,
    ],
    [t("invoices.ref.delivery"), doc.deliveryDate ? formatDate(doc.deliveryDate, locale) : null],
    [
      t("invoices.ref.preceding"),
      invoice.precedingInvoices.length
        ? invoice.precedingInvoices
            .map((p) => (p.issueDate ? `${p.number} (${formatDate(p.issueDate, locale)})` : p.number))
            .join(", ")
        : null,
    ],
  ];

  return (
    <article aria-labelledby="invoice-title" className="detail">
      <p className="back">
        <Link to={back}>← {invoice.side === "ISSUED" ? t("list.issued") : t("list.received")}</Link>
      </p>
      <header className="detail-head">
        <div>
          <h1 id="invoice-title">
            {invoice.isCreditNote ? t("detail.creditNote") : t("detail.invoice")} {invoice.number}
          </h1>
          <p className="muted">
            {invoice.side === "ISSUED"
              ? t("invoices.toRecipient", { name: invoice.recipient.name ?? invoice.recipient.identifier })
              : t("invoices.fromSupplier", { name: invoice.supplier.name ?? invoice.supplier.identifier })}
          </p>
        </div>
        <div className="head-status">
          <span className={`status status-${invoice.status.toLowerCase()}`} data-testid="invoice-status">
            {t(`status.${invoice.status}`)}
          </span>
          <span className="muted small">{t("invoices.since", { when: formatDateTime(invoice.statusAt, locale) })}</span>
          <span className="due">
            <span className="muted small">{t("detail.due")}</span> <strong>{money(invoice.totals.amountDue)}</strong>
          </span>
        </div>
      </header>

      <Actions invoice={invoice} reload={reload} />

      <div className="cards">
        <section className="card" aria-labelledby="h-supplier">
          <h2 id="h-supplier">{t("list.supplier")}</h2>
          <Party party={doc.seller} fallbackName={invoice.supplier.name} routed={invoice.supplier.identifier} />
        </section>
        <section className="card" aria-labelledby="h-recipient">
          <h2 id="h-recipient">{t("list.recipient")}</h2>
          <Party party={doc.buyer} fallbackName={invoice.recipient.name} routed={invoice.recipient.identifier} />
        </section>
        <section className="card" aria-labelledby="h-refs">
          <h2 id="h-refs">{t("detail.references")}</h2>
          <dl className="facts">
            {references
              .filter((r): r is [string, string] => Boolean(r[1]))
              .map(([term, value]) => (
                <div key={term}>
                  <dt>{term}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
        </section>
      </div>

      <section aria-labelledby="h-lines">
        <h2 id="h-lines">
          {t("detail.lines")} <span className="muted small">({invoice.lines.totalCount ?? invoice.lines.nodes.length})</span>
        </h2>
        <div className="table-scroll">
          <table className="invoices lines">
            <thead>
              <tr>
                <th scope="col">{t("invoices.lineNo")}</th>
                <th scope="col">{t("detail.item")}</th>
                <th scope="col" className="num">
                  {t("detail.quantity")}
                </th>
                <th scope="col" className="num">
                  {t("detail.unitPrice")}
                </th>
                <th scope="col" className="num">
                  {t("detail.vatRate")}
                </th>
                <th scope="col" className="num">
                  {t("detail.net")}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.nodes.map((line) => (
                <tr key={line.lineId}>
                  <td className="muted">{line.lineId}</td>
                  <td className="wrap">
                    {line.itemName}
                    {line.note && <div className="muted small pre">{line.note}</div>}
                  </td>
                  <td className="num">
                    {formatQuantity(line.quantity, locale)}
                    {line.unit && !["C62", "H87", "EA"].includes(line.unit) ? ` ${t(`invoices.unit.${line.unit}`, { defaultValue: line.unit })}` : ""}
                  </td>
                  <td className="num">{money(line.netPrice)}</td>
                  <td className="num">
                    {line.vatRate != null ? formatRate(line.vatRate, locale) : (line.vatCategory ?? "—")}
                  </td>
                  <td className="num">{money(line.netAmount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {(invoice.lines.totalCount ?? 0) > invoice.lines.nodes.length && (
          <p className="muted small">{t("invoices.moreLines", { count: invoice.lines.totalCount ?? 0 })}</p>
        )}
      </section>

      <div className="cards">
        <section className="card" aria-labelledby="h-vat">
          <h2 id="h-vat">{t("detail.vat")}</h2>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{t("invoices.vatCategory")}</th>
                <th scope="col" className="num">
                  {t("invoices.taxable")}
                </th>
                <th scope="col" className="num">
                  {t("detail.vatTotal")}
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.vatBreakdown.map((v) => (
                <tr key={`${v.category}-${v.rate ?? ""}`}>
                  <th scope="row">
                    {t(`invoices.vatCategories.${v.category}`, { defaultValue: v.category })}
                    {v.rate != null ? ` ${formatRate(v.rate, locale)}` : ""}
                    {v.exemptionReason && <div className="muted small">{v.exemptionReason}</div>}
                  </th>
                  <td className="num">{money(v.taxable)}</td>
                  <td className="num">{money(v.tax)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="h-totals">
          <h2 id="h-totals">{t("detail.totals")}</h2>
          <dl className="totals">
            <dt>{t("detail.withoutVat")}</dt>
            <dd>{money(invoice.totals.withoutVat)}</dd>
            <dt>{t("detail.vatTotal")}</dt>
            <dd>{money(invoice.totals.vat)}</dd>
            <dt>{t("list.amount")}</dt>
            <dd>{money(invoice.totals.withVat)}</dd>
            <dt>{t("detail.due")}</dt>
            <dd>
              <strong>{money(invoice.totals.amountDue)}</strong>
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="h-payment">
          <h2 id="h-payment">{t("invoices.payment")}</h2>
          <Payment document={doc} />
        </section>
      </div>

      {doc.notes.length > 0 && (
        <section aria-labelledby="h-notes">
          <h2 id="h-notes">{t("invoices.notes")}</h2>
          {doc.notes.map((note, index) => (
            <p key={index} className="note pre">
              {note}
            </p>
          ))}
        </section>
      )}

      <Files invoice={invoice} reload={reload} />

      {invoice.side === "ISSUED" && invoice.allowedTransitions.includes("COMPLETEE") && (
        <CompleteForm invoiceId={invoice.id} version={invoice.version} reload={reload} />
      )}

      {invoice.side === "ISSUED" && invoice.status === "A_RECYCLER" && invoice.allowedTransitions.includes("DEPOSEE") && (
        <RecycleForm invoiceId={invoice.id} version={invoice.version} reload={reload} />
      )}

      <Timeline history={invoice.history} />
    </article>
  );
}

function Actions({ invoice, reload }: { invoice: DetailInvoice; reload: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [asked, setAsked] = useState<InvoiceStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const change = useVersionedChange();
  const [done, setDone] = useState<string | null>(null);

  // The supplier completes and re-routes through their forms; every other allowed step is a decision here.
  // In the order of the life cycle, the steps that send the invoice back last.
  const steps = STATUSES.filter(
    (s) =>
      invoice.allowedTransitions.includes(s) && !(invoice.side === "ISSUED" && (s === "COMPLETEE" || s === "DEPOSEE")),
  ).sort((a, b) => Number(REASON_REQUIRED.includes(a)) - Number(REASON_REQUIRED.includes(b)));
  const canAcknowledge = invoice.side === "ISSUED" && invoice.status === "REJETEE" && !invoice.rejectionAcknowledgedAt;

  const decide = async (status: InvoiceStatus, reason: string) => {
    setBusy(true);
    change.setProblem(null);
    setDone(null);
    const answer = await client
      .mutation(ProcessInvoice, { input: { invoiceId: invoice.id, status, reason: reason || null, version: invoice.version } })
      .toPromise();
    setBusy(false);
    setAsked(null);
    const error = answer.data?.processInvoice.userErrors[0];
    if (change.judge(answer.error, error)) {
      setDone(t("invoices.decided", { status: t(`status.${status}`) }));
      reload();
    }
  };

  const acknowledge = async () => {
    setBusy(true);
    const answer = await client.mutation(AcknowledgeRejection, { input: { invoiceId: invoice.id } }).toPromise();
    setBusy(false);
    const refused = answer.error?.message ?? answer.data?.acknowledgeRejection.userErrors[0]?.message;
    if (refused) change.setProblem(refused);
    else {
      setDone(t("invoices.acknowledged"));
      reload();
    }
  };

  return (
    <section className="decisions" aria-labelledby="h-actions">
      <h2 id="h-actions" className="visually-hidden">
        {t("invoices.actions")}
      </h2>
      {change.conflict && (
        <ConflictAlert
          primary
          onReload={() => {
            change.dismissConflict();
            reload();
          }}
        />
      )}
      <ProblemText>{change.problem}</ProblemText>
      <p role="status" className="done">
        {done}
      </p>
      {steps.length === 0 && !canAcknowledge && invoice.side === "RECEIVED" && (
        <p className="muted">{t("invoices.noAction")}</p>
      )}
      {(steps.length > 0 || canAcknowledge) && (
        <div className="action-bar">
          {steps.map((status) => (
            <button
              key={status}
              type="button"
              className={REASON_REQUIRED.includes(status) ? "warn" : "primary"}
              disabled={busy || change.conflict}
              onClick={() => setAsked(status)}
            >
              {t(`invoices.to.${status}`, { defaultValue: t(`status.${status}`) })}
            </button>
          ))}
          {canAcknowledge && (
            <button type="button" className="primary" disabled={busy} onClick={() => void acknowledge()}>
              {t("invoices.acknowledge")}
            </button>
          )}
        </div>
      )}
      {asked && (
        <DecisionDialog
          title={t("invoices.dialogTitle", { status: t(`status.${asked}`), number: invoice.number })}
          reasonRequired={REASON_REQUIRED.includes(asked)}
          busy={busy}
          onConfirm={(reason) => void decide(asked, reason)}
          onClose={() => setAsked(null)}
        />
      )}
    </section>
  );
}
