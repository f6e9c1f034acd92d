// Received or issued invoices: one page at a time on the keyset cursors, filtered by status.
// Invoice content (names, numbers) comes from depositors: it is rendered as text, never as HTML.
import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { OperationResult } from "urql";
import { useClient, useQuery } from "urql";

import { graphql } from "../gql";
import type { InvoiceRowFragment, InvoiceStatus, ReceivedInvoicesQuery } from "../gql/graphql";
import { useLocale } from "../i18n";
import { decimalCell, textCell, toCsv } from "../lib/csv";
import { formatAmount, formatCount, formatDate, formatDateTime } from "../lib/format";

export const PAGE_SIZES = [10, 20, 50, 100];

export const STATUSES: InvoiceStatus[] = [
  "DEPOSEE",
  "MISE_A_DISPOSITION",
  "PRISE_EN_COMPTE_DESTINATAIRE",
  "SERVICE_FAIT",
  "SUSPENDUE",
  "COMPLETEE",
  "MANDATEE",
  "MISE_A_DISPOSITION_COMPTABLE",
  "COMPTABILISEE",
  "MISE_EN_PAIEMENT",
  "A_RECYCLER",
  "REJETEE",
  "A_VALIDER_1",
  "VALIDEE_1",
  "REFUSEE_1",
  "ABSENCE_VALIDATION_1_HORS_DELAI",
];

graphql(`
  fragment InvoiceRow on Invoice {
    id
    number
    status
    isCreditNote
    issueDate
    depositedAt
    currency
    supplier {
      identifier
      name
    }
    recipient {
      identifier
      name
    }
    totals {
      withVat
    }
  }
`);

const ReceivedQuery = graphql(`
  query ReceivedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {
    workspace {
      id
      invoices: receivedInvoices(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...InvoiceRow
        }
      }
    }
  }
`);

const IssuedQuery = graphql(`
  query IssuedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {
    workspace {
      id
      invoices: issuedInvoices(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...InvoiceRow
        }
      }
    }
  }
`);

export function InvoiceList({ side }: { side: "received" | "issued" }) {
  return <InvoicePages key={side} side={side} />;
}

function InvoicePages({ side }: { side: "received" | "issued" }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [status, setStatus] = useState<InvoiceStatus | "">("");
  const [pageSize, setPageSize] = useState(20);
  const [search, setSearch] = useState("");
  const words = useDeferredValue(search.trim());
  // The cursors of the pages before this one: "previous" pops, "next" pushes the current page's end.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const filter = { ...(status ? { statuses: [status] } : {}), ...(words ? { search: words } : {}) };
  const variables = { first: pageSize, after, filter: Object.keys(filter).length ? filter : null };
  const [{ data, fetching, error }] = useQuery({
    query: side === "received" ? ReceivedQuery : IssuedQuery,
    variables,
  });
  const page = data?.workspace.invoices;
  const client = useClient();
  const [exporting, setExporting] = useState(false);

  // Every page of the filtered list, not just the one shown, then one file.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const all: InvoiceRowFragment[] = [];
      let cursor: string | null = null;
      for (;;) {
        const result: OperationResult<ReceivedInvoicesQuery> = await client
          .query(side === "received" ? ReceivedQuery : IssuedQuery, { ...variables, first: 100, after: cursor })
          .toPromise();
        const chunk = result.data?.workspace.invoices;
        if (!chunk) throw result.error ?? new Error("no data");
        all.push(...chunk.nodes);
        if (!chunk.pageInfo.hasNextPage || !chunk.pageInfo.endCursor) break;
        cursor = chunk.pageInfo.endCursor;
      }
      const header = [
        t("list.number"),
        t("list.supplier"),
        t("csv.supplierId"),
        t("list.recipient"),
        t("csv.recipientId"),
        t("list.issueDate"),
        t("list.depositedAt"),
        t("list.amount"),
        t("csv.currency"),
        t("list.status"),
      ];
      const rows = all.map((i) => [
        textCell(i.number),
        textCell(i.supplier.name),
        textCell(i.supplier.identifier),
        textCell(i.recipient.name),
        textCell(i.recipient.identifier),
        textCell(i.issueDate),
        textCell(i.depositedAt),
        decimalCell(i.totals.withVat),
        textCell(i.currency),
        textCell(t(`status.${i.status}`)),
      ]);
      const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = side === "received" ? "factures-recues.csv" : "factures-emises.csv";
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setExporting(false);
    }
  };
  const title = side === "received" ? t("list.received") : t("list.issued");
  const counterpart = side === "received" ? t("list.supplier") : t("list.recipient");

  return (
    <section aria-labelledby="list-title">
      <div className="list-head">
        <h1 id="list-title">{title}</h1>
        {page?.totalCount != null && (
          <span className="muted" data-testid="invoice-count">
            {t("list.count", { count: page.totalCount, formatted: formatCount(page.totalCount, locale) })}
          </span>
        )}
      </div>
      <div className="filters" role="search">
        <label>
          {t("list.search")}{" "}
          <input
            type="search"
            value={search}
            placeholder={t("list.searchHint")}
            onChange={(event) => {
              setSearch(event.target.value);
              setCursors([null]);
            }}
          />
        </label>
        <label>
          {t("list.status")}{" "}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as InvoiceStatus | "");
              setCursors([null]);
            }}
          >
            <option value="">{t("list.allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="export" disabled={exporting || !page?.nodes.length} onClick={() => void exportCsv()}>
          {exporting ? t("csv.working") : t("csv.export")}
        </button>
        <label>
          {t("list.pageSize")}{" "}
          <select
            value={pageSize}
            onChange={(event) => {
              setPageSize(Number(event.target.value));
              setCursors([null]);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {formatCount(size, locale)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p role="alert">{t("list.error", { message: error.message })}</p>}
      {!page && fetching && (
        <p role="status" className="muted">
          {t("list.loading")}
        </p>
      )}
      {page && page.nodes.length === 0 && (
        <p role="status" className="empty">
          {status || words ? t("list.emptyFiltered") : t("list.empty")}
        </p>
      )}
      {page && page.nodes.length > 0 && (
        <table className="invoices" aria-busy={fetching}>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t("list.number")}</th>
              <th scope="col">{counterpart}</th>
              <th scope="col">{t("list.issueDate")}</th>
              <th scope="col">{t("list.depositedAt")}</th>
              <th scope="col" className="num">
                {t("list.amount")}
              </th>
              <th scope="col">{t("list.status")}</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((invoice) => (
              <Row key={invoice.id} invoice={invoice} side={side} />
            ))}
          </tbody>
        </table>
      )}
      {page && (cursors.length > 1 || page.pageInfo.hasNextPage) && (
        <nav className="pager" aria-label={t("list.page", { page: cursors.length })}>
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("list.previous")}
          </button>
          <span>{t("list.page", { page: cursors.length })}</span>
          <button
            type="button"
            disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
            onClick={() => setCursors([...cursors, page.pageInfo.endCursor ?? null])}
          >
            {t("list.next")}
          </button>
        </nav>
      )}
    </section>
  );
}

function Row({ invoice, side }: { invoice: InvoiceRowFragment; side: "received" | "issued" }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const party = side === "received" ? invoice.supplier : invoice.recipient;
  return (
    <tr>
      <td>
        <Link to={`/factures/${encodeURIComponent(invoice.id)}`}>{invoice.number}</Link>
        {invoice.isCreditNote && <span className="muted"> ({t("list.creditNote")})</span>}
      </td>
      <td>
        {party.name ?? party.identifier}
        <div className="muted small">{party.identifier}</div>
      </td>
      <td>{formatDate(invoice.issueDate, locale)}</td>
      <td>{formatDateTime(invoice.depositedAt, locale)}</td>
      <td className="num">{formatAmount(invoice.totals.withVat, invoice.currency, locale)}</td>
      <td>
        <span className={`status status-${invoice.status.toLowerCase()}`}>{t(`status.${invoice.status}`)}</span>
      </td>
    </tr>
  );
}
