// The state of an invoice list lives in the address (filters, sort, page): a link shares it and the back
// button undoes a change. This module turns the query string into GraphQL variables and back; pure.
import type { InvoiceFilter, InvoiceSortField, InvoiceStatus, SortDirection } from "../gql/graphql";

export type Side = "received" | "issued";

export interface StatusGroup {
  key: string;
  statuses: InvoiceStatus[] | null; // null: every status
}

// What each side's clerk works through: the recipient processes, the supplier answers suspensions and
// send-backs. Validation statuses (A9/A12) only appear under "all" on the recipient's side.
export const GROUPS: Record<Side, StatusGroup[]> = {
  received: [
    { key: "todo", statuses: ["MISE_A_DISPOSITION", "PRISE_EN_COMPTE_DESTINATAIRE", "COMPLETEE", "SERVICE_FAIT"] },
    { key: "suspended", statuses: ["SUSPENDUE"] },
    { key: "accounting", statuses: ["MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE"] },
    { key: "rejected", statuses: ["REJETEE", "A_RECYCLER"] },
    { key: "paid", statuses: ["MISE_EN_PAIEMENT"] },
    { key: "all", statuses: null },
  ],
  issued: [
    { key: "todo", statuses: ["SUSPENDUE", "A_RECYCLER"] },
    {
      key: "inProgress",
      statuses: [
        "DEPOSEE",
        "A_VALIDER_1",
        "VALIDEE_1",
        "MISE_A_DISPOSITION",
        "PRISE_EN_COMPTE_DESTINATAIRE",
        "COMPLETEE",
        "SERVICE_FAIT",
        "MANDATEE",
        "MISE_A_DISPOSITION_COMPTABLE",
        "COMPTABILISEE",
      ],
    },
    { key: "rejected", statuses: ["REJETEE", "REFUSEE_1", "ABSENCE_VALIDATION_1_HORS_DELAI"] },
    { key: "paid", statuses: ["MISE_EN_PAIEMENT"] },
    { key: "all", statuses: null },
  ],
};

export const PAGE_SIZES = [10, 20, 50, 100];
export const DEFAULT_SIZE = 20;
export const SORT_FIELDS: InvoiceSortField[] = ["DEPOSITED_AT", "ISSUE_DATE", "NUMBER", "AMOUNT", "STATUS"];

/** The text filters, by their name in the query string. */
export const TEXT_FILTERS = [
  "q",
  "number",
  "counterpart",
  "service",
  "engagement",
  "issuedFrom",
  "issuedTo",
  "depositedFrom",
  "depositedTo",
  "min",
  "max",
] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

export interface ListState {
  group: string;
  status: InvoiceStatus | "";
  text: Record<TextFilter, string>;
  sort: InvoiceSortField;
  dir: SortDirection;
  size: number;
  after: string | null;
  before: string | null;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function group(side: Side, key: string | null): string {
  return GROUPS[side].some((g) => g.key === key) ? (key as string) : "all";
}

export function parseListState(params: URLSearchParams, side: Side, statuses: readonly string[]): ListState {
  const status = params.get("status") ?? "";
  const sort = params.get("sort") as InvoiceSortField | null;
  const size = Number(params.get("size"));
  const page = Number(params.get("page"));
  const text = Object.fromEntries(TEXT_FILTERS.map((name) => [name, params.get(name) ?? ""])) as Record<
    TextFilter,
    string
  >;
  return {
    group: group(side, params.get("group")),
    status: statuses.includes(status) ? (status as InvoiceStatus) : "",
    text,
    sort: sort && SORT_FIELDS.includes(sort) ? sort : "DEPOSITED_AT",
    dir: params.get("dir") === "ASC" ? "ASC" : "DESC",
    size: PAGE_SIZES.includes(size) ? size : DEFAULT_SIZE,
    after: params.get("after"),
    before: params.get("after") ? null : params.get("before"),
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string of a state; defaults are left out so that a plain list has a plain address. */
export function toSearchParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.group !== "all") params.set("group", state.group);
  if (state.status) params.set("status", state.status);
  for (const name of TEXT_FILTERS) {
    const value = state.text[name].trim();
    if (value) params.set(name, value);
  }
  if (state.sort !== "DEPOSITED_AT") params.set("sort", state.sort);
  if (state.dir !== "DESC") params.set("dir", state.dir);
  if (state.size !== DEFAULT_SIZE) params.set("size", String(state.size));
  if (state.after) params.set("after", state.after);
  else if (state.before) params.set("before", state.before);
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

/** A change of filter, sort or size starts again at the first page. */
export function firstPage(state: ListState): ListState {
  return { ...state, after: null, before: null, page: 1 };
}

/** "1 234,50", "1234.5", "1 234.50 €" as the decimal string the API takes, or null when it is no amount. */
export function parseAmount(text: string): string | null {
  let value = text.replace(/[\s\u00a0\u202f€]/g, "");
  if (!value) return null;
  if (value.includes(",")) {
    if (value.includes(".")) value = value.replace(/\./g, ""); // "1.234,50": dots group thousands
    value = value.replace(",", ".");
  }
  return /^-?\d+(\.\d+)?$/.test(value) ? value : null;
}

/** The start (or the end) of a calendar day in the reader's time zone, as an instant the API compares. */
export function dayBound(day: string, end: boolean): string | null {
  if (!DAY.test(day)) return null;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const moment = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString();
}

/** The filter without its statuses: the tab counts share it. */
export function baseFilter(state: ListState): InvoiceFilter {
  const t = state.text;
  const filter: InvoiceFilter = {};
  const put = <K extends keyof InvoiceFilter>(key: K, value: InvoiceFilter[K] | null | "") => {
    if (value !== null && value !== "") filter[key] = value;
  };
  put("search", t.q.trim());
  put("number", t.number.trim());
  put("counterpart", t.counterpart.replace(/\s/g, ""));
  put("serviceCode", t.service.trim());
  put("engagementNumber", t.engagement.trim());
  put("issueDateFrom", DAY.test(t.issuedFrom) ? t.issuedFrom : null);
  put("issueDateTo", DAY.test(t.issuedTo) ? t.issuedTo : null);
  put("depositedFrom", dayBound(t.depositedFrom, false));
  put("depositedTo", dayBound(t.depositedTo, true));
  put("amountMin", parseAmount(t.min));
  put("amountMax", parseAmount(t.max));
  return filter;
}

export function statusesOf(state: ListState, side: Side): InvoiceStatus[] | null {
  if (state.status) return [state.status];
  return GROUPS[side].find((g) => g.key === state.group)?.statuses ?? null;
}

export function listFilter(state: ListState, side: Side): InvoiceFilter {
  const statuses = statusesOf(state, side);
  return statuses ? { ...baseFilter(state), statuses } : baseFilter(state);
}

/** Whether any filter narrows the list (for the empty state's wording). */
export function isFiltered(state: ListState, side: Side): boolean {
  return statusesOf(state, side) !== null || Object.keys(baseFilter(state)).length > 0;
}

/** The filters a person typed that mean nothing (an amount like "abc"), to say so rather than ignore them. */
export function invalidFilters(state: ListState): TextFilter[] {
  const t = state.text;
  const bad: TextFilter[] = [];
  for (const name of ["min", "max"] as const) if (t[name].trim() && parseAmount(t[name]) === null) bad.push(name);
  for (const name of ["issuedFrom", "issuedTo", "depositedFrom", "depositedTo"] as const) {
    if (t[name] && !DAY.test(t[name])) bad.push(name);
  }
  return bad;
}

/** A reason is asked for these decisions (the API refuses them without one). */
export const REASON_REQUIRED: InvoiceStatus[] = ["SUSPENDUE", "REJETEE", "A_RECYCLER"];
