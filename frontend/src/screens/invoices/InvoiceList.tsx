// Received or issued invoices: tabs per status group with their counts, filters, sort and keyset pages, all
// in the address; the export of the whole filtered list; a grouped decision with a result per invoice.
// Invoice content (names, numbers) comes from depositors: it is rendered as text, never as HTML.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { graphql } from "../../gql";
import type { InvoiceRowFragment, InvoiceSortField, InvoiceStatus } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import type { ListState, Side } from "../../lib/invoiceList";
import {
  GROUPS,
  PAGE_SIZES,
  baseFilter,
  firstPage,
  isFiltered,
  listFilter,
  parseListState,
  toSearchParams,
} from "../../lib/invoiceList";
import { formatAmount, formatCount, formatDate, formatDateTime } from "../../lib/format";
import { BulkAction } from "./BulkAction";
import { ExportButton } from "./ExportButton";
import { MoreFilters } from "./MoreFilters";
import { IssuedQuery, ReceivedQuery } from "./queries";
import { STATUSES } from "./statuses";

// One request for every tab's count: the same filter, each with its group's statuses.
const ReceivedCounts = graphql(`
  query ReceivedCounts(
    $todo: InvoiceFilter
    $suspended: InvoiceFilter
    $accounting: InvoiceFilter
    $rejected: InvoiceFilter
    $paid: InvoiceFilter
    $all: InvoiceFilter
  ) {
    workspace {
      id
      todo: receivedInvoices(first: 1, filter: $todo) {
        totalCount
      }
      suspended: receivedInvoices(first: 1, filter: $suspended) {
        totalCount
      }
      accounting: receivedInvoices(first: 1, filter: $accounting) {
        totalCount
      }
      rejected: receivedInvoices(first: 1, filter: $rejected) {
        totalCount
      }
      paid: receivedInvoices(first: 1, filter: $paid) {
        totalCount
      }
      all: receivedInvoices(first: 1, filter: $all) {
        totalCount
      }
    }
  }
`);

const IssuedCounts = graphql(`
  query IssuedCounts(
    $todo: InvoiceFilter
    $inProgress: InvoiceFilter
    $rejected: InvoiceFilter
    $paid: InvoiceFilter
    $all: InvoiceFilter
  ) {
    workspace {
      id
      todo: issuedInvoices(first: 1, filter: $todo) {
        totalCount
      }
      inProgress: issuedInvoices(first: 1, filter: $inProgress) {
        totalCount
      }
      rejected: issuedInvoices(first: 1, filter: $rejected) {
        totalCount
      }
      paid: issuedInvoices(first: 1, filter: $paid) {
        totalCount
      }
      all: issuedInvoices(first: 1, filter: $all) {
        totalCount
      }
    }
  }
`);

export function InvoiceList({ side }: { side: Side }) {
  return <InvoicePages key={side} side={side} />;
}

const SEARCH_DELAY_MS = 300;

function InvoicePages({ side }: { side: Side }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseListState(params, side, STATUSES), [params, side]);
  const go = useCallback(
    (next: ListState, replace = false) => setParams(toSearchParams(next), { replace }),
    [setParams],
  );

  // The search box writes the address a moment after typing stops (one history entry, not one per key).
  const [search, setSearch] = useState(state.text.q);
  useEffect(() => setSearch(state.text.q), [state.text.q]);
  useEffect(() => {
    if (search === state.text.q) return;
    const timer = setTimeout(() => go(firstPage({ ...state, text: { ...state.text, q: search } }), true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, state, go]);

  const filter = listFilter(state, side);
  const sortBy = { field: state.sort, direction: state.dir };
  const paging = state.before ? { last: state.size, before: state.before } : { first: state.size, after: state.after };
  const variables = { ...paging, filter, sortBy };
  const query = side === "received" ? ReceivedQuery : IssuedQuery;
  const [{ data, fetching, error }, refetch] = useQuery({ query, variables });
  const page = data?.workspace.invoices;

  const base = baseFilter(state);
  const countVariables = Object.fromEntries(
    GROUPS[side].map((g) => [g.key, g.statuses ? { ...base, statuses: g.statuses } : base]),
  );
  const [counts, refetchCounts] = useQuery({
    query: side === "received" ? ReceivedCounts : IssuedCounts,
    variables: countVariables,
  });
  const countOf = (key: string): number | null => {
    if (counts.fetching) return null; // a count of other filters would mislead
    const found = (counts.data?.workspace as Record<string, { totalCount?: number | null } | string> | undefined)?.[key];
    return typeof found === "object" ? (found.totalCount ?? null) : null;
  };

  const refresh = () => {
    refetch({ requestPolicy: "network-only" });
    refetchCounts({ requestPolicy: "network-only" });
  };

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const pageKey = params.toString();
  useEffect(() => setSelected(new Set()), [pageKey]);
  const chosen = page?.nodes.filter((n) => selected.has(n.id)) ?? [];

  const title = side === "received" ? t("list.received") : t("list.issued");
  const counterpart = side === "received" ? t("list.supplier") : t("list.recipient");
  const sortHeader = (field: InvoiceSortField, label: string, className?: string) => {
    const active = state.sort === field;
    const next = active && state.dir === "DESC" ? "ASC" : "DESC";
    return (
      <th scope="col" className={className} aria-sort={active ? (state.dir === "ASC" ? "ascending" : "descending") : undefined}>
        <button
          type="button"
          className="sort"
          title={t("invoices.sortBy", { column: label })}
          onClick={() => go(firstPage({ ...state, sort: field, dir: active ? next : field === "NUMBER" ? "ASC" : "DESC" }))}
        >
          {label}
          <span aria-hidden="true" className="sort-mark">
            {active ? (state.dir === "ASC" ? "▲" : "▼") : "↕"}
          </span>
        </button>
      </th>
    );
  };
  const allOnPage = page ? page.nodes.length > 0 && page.nodes.every((n) => selected.has(n.id)) : false;

  return (
    <section aria-labelledby="list-title">
      <div className="list-head">
        <h1 id="list-title">{title}</h1>
        {page?.totalCount != null && (
          <span className="muted" data-testid="invoice-count" aria-live="polite">
            {t("list.count", { count: page.totalCount, formatted: formatCount(page.totalCount, locale) })}
          </span>
        )}
      </div>

      <nav className="groups" aria-label={t("invoices.groupsLabel")}>
        <ul>
          {GROUPS[side].map((g) => {
            const n = countOf(g.key);
            const current = !state.status && state.group === g.key;
            return (
              <li key={g.key}>
                <button
                  type="button"
                  aria-pressed={current}
                  data-group={g.key}
                  onClick={() => go(firstPage({ ...state, group: g.key, status: "" }))}
                >
                  {t(`invoices.groups.${side}.${g.key}`)}
                  <span className="group-count">{n == null ? "…" : formatCount(n, locale)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="filters" role="search" aria-label={t("invoices.filtersLabel")}>
        <label>
          {t("list.search")}{" "}
          <input
            type="search"
            value={search}
            placeholder={t("list.searchHint")}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <label>
          {t("list.status")}{" "}
          <select
            value={state.status}
            onChange={(event) =>
              go(firstPage({ ...state, status: event.target.value as InvoiceStatus | "", group: "all" }))
            }
          >
            <option value="">{t("list.allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("list.pageSize")}{" "}
          <select value={state.size} onChange={(event) => go(firstPage({ ...state, size: Number(event.target.value) }))}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {formatCount(size, locale)}
              </option>
            ))}
          </select>
        </label>
        <ExportButton side={side} filter={filter} sortBy={sortBy} disabled={!page?.nodes.length} />
      </div>
      <MoreFilters side={side} state={state} apply={(next) => go(firstPage(next))} />

      <BulkAction side={side} invoices={chosen} onDone={refresh} clear={() => setSelected(new Set())} />

      {error && <p role="alert">{t("list.error", { message: error.message })}</p>}
      {!page && fetching && (
        <p role="status" className="muted">
          {t("list.loading")}
        </p>
      )}
      {page && page.nodes.length === 0 && (
        <p role="status" className="empty">
          {isFiltered(state, side) ? t("list.emptyFiltered") : t("list.empty")}
        </p>
      )}
      {page && page.nodes.length > 0 && (
        <div className="table-scroll">
          <table className="invoices list" aria-busy={fetching}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="pick">
                  <input
                    type="checkbox"
                    aria-label={t("invoices.selectPage")}
                    checked={allOnPage}
                    onChange={() => setSelected(allOnPage ? new Set() : new Set(page.nodes.map((n) => n.id)))}
                  />
                </th>
                {sortHeader("NUMBER", t("list.number"))}
                <th scope="col">{counterpart}</th>
                <th scope="col">{t("invoices.references")}</th>
                {sortHeader("ISSUE_DATE", t("list.issueDate"))}
                {sortHeader("DEPOSITED_AT", t("list.depositedAt"))}
                {sortHeader("AMOUNT", t("list.amount"), "num")}
                {sortHeader("STATUS", t("list.status"))}
              </tr>
            </thead>
            <tbody>
              {page.nodes.map((invoice) => (
                <Row
                  key={invoice.id}
                  invoice={invoice}
                  side={side}
                  picked={selected.has(invoice.id)}
                  pick={(on) => {
                    const next = new Set(selected);
                    if (on) next.add(invoice.id);
                    else next.delete(invoice.id);
                    setSelected(next);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (page.pageInfo.hasPreviousPage || page.pageInfo.hasNextPage) && (
        <nav className="pager" aria-label={t("invoices.pagesLabel")}>
          <button
            type="button"
            disabled={!page.pageInfo.hasPreviousPage || !page.pageInfo.startCursor}
            onClick={() =>
              go({ ...state, after: null, before: page.pageInfo.startCursor ?? null, page: Math.max(1, state.page - 1) })
            }
          >
            {t("list.previous")}
          </button>
          <span aria-current="page">{t("list.page", { page: state.page })}</span>
          <button
            type="button"
            disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
            onClick={() => go({ ...state, before: null, after: page.pageInfo.endCursor ?? null, page: state.page + 1 })}
          >
            {t("list.next")}
          </button>
        </nav>
      )}
    </section>
  );
}

function Row({
  invoice,
  side,
  picked,
  pick,
}: {
  invoice: InvoiceRowFragment;
  side: Side;
  picked: boolean;
  pick: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const party = side === "received" ? invoice.supplier : invoice.recipient;
  return (
    <tr className={picked ? "picked" : undefined}>
      <td className="pick">
        <input
          type="checkbox"
          checked={picked}
          aria-label={t("invoices.selectOne", { number: invoice.number })}
          onChange={(event) => pick(event.target.checked)}
        />
      </td>
      <td className="nowrap">
        <Link to={`/factures/${encodeURIComponent(invoice.id)}`}>{invoice.number}</Link>
        {invoice.isCreditNote && <span className="muted"> ({t("list.creditNote")})</span>}
      </td>
      <td className="wrap">
        {party.name ?? party.identifier}
        <div className="muted small id">{party.identifier}</div>
      </td>
      <td className="small wrap">
        {invoice.serviceCode && (
          <div>
            <span className="muted">{t("invoices.serviceShort")} </span>
            {invoice.serviceCode}
          </div>
        )}
        {invoice.engagementNumber && (
          <div data-engagement={invoice.engagementNumber}>
            <span className="muted">{t("invoices.engagementShort")} </span>
            {invoice.engagementNumber}
          </div>
        )}
      </td>
      <td className="nowrap">{formatDate(invoice.issueDate, locale)}</td>
      <td className="nowrap">{formatDateTime(invoice.depositedAt, locale)}</td>
      <td className="num">{formatAmount(invoice.totals.withVat, invoice.currency, locale)}</td>
      <td>
        <span className={`status status-${invoice.status.toLowerCase()}`}>{t(`status.${invoice.status}`)}</span>
      </td>
    </tr>
  );
}
