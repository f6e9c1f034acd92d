// One invoice, read-only: parties, references, lines, VAT breakdown, totals, attachments, downloads and
// its history. Everything in it came from a depositor: rendered as text only.
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { graphql } from "../gql";
import { useLocale } from "../i18n";
import { formatAmount, formatDate, formatDateTime } from "../lib/format";

const InvoiceQuery = graphql(`
  query InvoiceDetail($id: ID!) {
    node(id: $id) {
      ... on Invoice {
        id
        number
        side
        status
        typeCode
        isCreditNote
        issueDate
        depositedAt
        currency
        frame
        serviceCode
        engagementNumber
        documentName
        syntax
        supplier {
          identifier
          name
        }
        recipient {
          identifier
          name
        }
        totals {
          withoutVat
          vat
          withVat
          amountDue
        }
        vatBreakdown {
          category
          rate
          taxable
          tax
          exemptionReason
        }
        lines(first: 100) {
          totalCount
          nodes {
            lineId
            itemName
            quantity
            unit
            netPrice
            netAmount
            vatRate
            note
          }
        }
        attachments {
          filename
          mediaType
          size
          kind
          downloadUrl
        }
        downloads {
          original
          ubl
          cii
          pdf
        }
        history {
          status
          fromStatus
          at
          actor
          action
          reason
        }
      }
    }
  }
`);

export function InvoiceDetail() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const [{ data, fetching, error }] = useQuery({ query: InvoiceQuery, variables: { id } });
  const invoice = data?.node && "number" in data.node ? data.node : null;
  const back = invoice?.side === "ISSUED" ? "/factures/emises" : "/factures/recues";

  if (error) return <p role="alert">{t("detail.error", { message: error.message })}</p>;
  if (!data && fetching) {
    return (
      <p role="status" className="muted">
        {t("detail.loading")}
      </p>
    );
  }
  if (!invoice) return <p role="alert">{t("detail.notFound")}</p>;
  const money = (value: string) => formatAmount(value, invoice.currency, locale);

  return (
    <article aria-labelledby="invoice-title" className="detail">
      <p>
        <Link to={back}>← {invoice.side === "ISSUED" ? t("list.issued") : t("list.received")}</Link>
      </p>
      <div className="list-head">
        <h1 id="invoice-title">
          {invoice.isCreditNote ? t("detail.creditNote") : t("detail.invoice")} {invoice.number}
        </h1>
        <span className={`status status-${invoice.status.toLowerCase()}`}>{t(`status.${invoice.status}`)}</span>
      </div>
      <div className="cards">
        <section className="card" aria-labelledby="h-supplier">
          <h2 id="h-supplier">{t("list.supplier")}</h2>
          <p>{invoice.supplier.name ?? invoice.supplier.identifier}</p>
          <p className="muted small">{invoice.supplier.identifier}</p>
        </section>
        <section className="card" aria-labelledby="h-recipient">
          <h2 id="h-recipient">{t("list.recipient")}</h2>
          <p>{invoice.recipient.name ?? invoice.recipient.identifier}</p>
          <p className="muted small">{invoice.recipient.identifier}</p>
        </section>
        <section className="card" aria-labelledby="h-refs">
          <h2 id="h-refs">{t("detail.references")}</h2>
          <dl>
            <dt>{t("list.issueDate")}</dt>
            <dd>{formatDate(invoice.issueDate, locale)}</dd>
            <dt>{t("list.depositedAt")}</dt>
            <dd>{formatDateTime(invoice.depositedAt, locale)}</dd>
            <dt>{t("detail.serviceCode")}</dt>
            <dd>{invoice.serviceCode ?? "—"}</dd>
            <dt>{t("detail.engagement")}</dt>
            <dd>{invoice.engagementNumber ?? "—"}</dd>
            <dt>{t("detail.frame")}</dt>
            <dd>{invoice.frame.replace(/_/g, " ")}</dd>
          </dl>
        </section>
      </div>

      <section aria-labelledby="h-lines">
        <h2 id="h-lines">{t("detail.lines")}</h2>
        <table className="invoices">
          <thead>
            <tr>
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
                <td>
                  {line.itemName}
                  {line.note && <div className="muted small">{line.note}</div>}
                </td>
                <td className="num">
                  {new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB").format(
                    line.quantity as Intl.StringNumericLiteral,
                  )}{" "}
                  {line.unit && line.unit !== "C62" ? line.unit : ""}
                </td>
                <td className="num">{money(line.netPrice)}</td>
                <td className="num">{line.vatRate != null ? `${line.vatRate.replace(/\.?0+$/, "")} %` : "—"}</td>
                <td className="num">{money(line.netAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <div className="cards">
        <section className="card" aria-labelledby="h-vat">
          <h2 id="h-vat">{t("detail.vat")}</h2>
          <table className="plain">
            <tbody>
              {invoice.vatBreakdown.map((v) => (
                <tr key={`${v.category}-${v.rate ?? ""}`}>
                  <th scope="row">
                    {v.category} {v.rate != null ? `${v.rate.replace(/\.?0+$/, "")} %` : ""}
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
        <section className="card" aria-labelledby="h-files">
          <h2 id="h-files">{t("detail.files")}</h2>
          <ul>
            <li>
              <a href={invoice.downloads.original}>
                {t("detail.original")} ({invoice.documentName})
              </a>
            </li>
            <li>
              <a href={invoice.downloads.pdf}>PDF</a> · <a href={invoice.downloads.ubl}>UBL</a> ·{" "}
              <a href={invoice.downloads.cii}>CII</a>
            </li>
            {invoice.attachments.map((a) => (
              <li key={a.downloadUrl}>
                <a href={a.downloadUrl}>{a.filename}</a>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section aria-labelledby="h-history">
        <h2 id="h-history">{t("detail.history")}</h2>
        <ol className="timeline">
          {invoice.history.map((event, index) => (
            <li key={index}>
              <time dateTime={event.at}>{formatDateTime(event.at, locale)}</time>{" "}
              <strong>{event.status ? t(`status.${event.status}`) : event.action}</strong>
              {event.fromStatus && (
                <span className="muted"> ← {t(`status.${event.fromStatus}`)}</span>
              )}{" "}
              <span className="muted">· {event.actor}</span>
              {event.reason && <blockquote>{event.reason}</blockquote>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
