import { describe, expect, it } from "vitest";

import {
  baseFilter,
  dayBound,
  firstPage,
  invalidFilters,
  listFilter,
  parseAmount,
  parseListState,
  toSearchParams,
} from "../src/lib/invoiceList";

const STATUSES = ["SUSPENDUE", "REJETEE", "MISE_EN_PAIEMENT"];
const parse = (query: string, side: "received" | "issued" = "received") =>
  parseListState(new URLSearchParams(query), side, STATUSES);

describe("the list's state in the address", () => {
  it("reads defaults from an empty query and writes none back", () => {
    const state = parse("");
    expect(state).toMatchObject({ group: "all", status: "", sort: "DEPOSITED_AT", dir: "DESC", size: 20, page: 1 });
    expect(toSearchParams(state).toString()).toBe("");
    expect(listFilter(state, "received")).toEqual({});
  });

  it("round-trips filters, sort, size and the cursor", () => {
    const query = "group=suspended&q=durand&engagement=EJ-1&min=1+234%2C50&sort=AMOUNT&dir=ASC&size=50&after=abc&page=3";
    expect(toSearchParams(parse(query)).toString()).toBe(query);
  });

  it("drops what it does not know rather than sending it", () => {
    const state = parse("group=nope&status=BOGUS&sort=DROP&size=7&page=-2&after=a&before=b");
    expect(state).toMatchObject({ group: "all", status: "", sort: "DEPOSITED_AT", size: 20, page: 1, after: "a", before: null });
  });

  it("turns a tab into its statuses, and a chosen status wins over the tab", () => {
    expect(listFilter(parse("group=rejected"), "received").statuses).toEqual(["REJETEE", "A_RECYCLER"]);
    expect(listFilter(parse("group=todo"), "issued").statuses).toEqual(["SUSPENDUE", "A_RECYCLER"]);
    expect(listFilter(parse("group=rejected&status=MISE_EN_PAIEMENT"), "received").statuses).toEqual(["MISE_EN_PAIEMENT"]);
  });

  it("gives the API exact values: trimmed texts, decimal amounts, days and instants", () => {
    const filter = baseFilter(
      parse("q=+ab+&counterpart=443+061+841+00104&service=+ACHATS&issuedFrom=2026-01-01&issuedTo=x&min=10%2C5&max=abc&depositedTo=2026-02-01"),
    );
    expect(filter).toMatchObject({ search: "ab", counterpart: "44306184100104", serviceCode: "ACHATS", issueDateFrom: "2026-01-01", amountMin: "10.5" });
    expect(filter.issueDateTo).toBeUndefined();
    expect(filter.amountMax).toBeUndefined();
    expect(new Date(filter.depositedTo as string).getDate()).toBe(1);
    expect(invalidFilters(parse("max=abc&issuedTo=x"))).toEqual(["max", "issuedTo"]);
  });

  it("starts again at the first page", () => {
    expect(firstPage(parse("after=x&page=4"))).toMatchObject({ after: null, before: null, page: 1 });
  });
});

describe("amounts typed in", () => {
  it("read the French and the English way", () => {
    expect(parseAmount("1 234,50")).toBe("1234.50");
    expect(parseAmount("1\u202f234,50\u00a0€")).toBe("1234.50");
    expect(parseAmount("1.234,5")).toBe("1234.5");
    expect(parseAmount("1234.50")).toBe("1234.50");
    expect(parseAmount("-3")).toBe("-3");
    expect(parseAmount("12,3,4")).toBeNull();
    expect(parseAmount("abc")).toBeNull();
    expect(parseAmount("")).toBeNull();
  });
});

describe("day bounds", () => {
  it("cover the whole local day", () => {
    const start = new Date(dayBound("2026-03-01", false) as string);
    const end = new Date(dayBound("2026-03-01", true) as string);
    expect([start.getHours(), start.getMinutes(), end.getHours(), end.getMinutes()]).toEqual([0, 0, 23, 59]);
    expect(dayBound("01/03/2026", false)).toBeNull();
  });
});
