import { describe, expect, it } from "vitest";

import { computeTotals, decimalPlaces, normalizeDecimal, parseDecimal } from "../src/lib/totals";

const line = (quantity: string, netPrice: string, vatRate = "20", vatCategory = "S") => ({
  quantity,
  netPrice,
  vatRate,
  vatCategory,
});

describe("decimals", () => {
  it("read a French comma, a point, signs and grouping spaces", () => {
    expect(normalizeDecimal("12,50")).toBe("12.50");
    expect(normalizeDecimal("1 234,5")).toBe("1234.5");
    expect(normalizeDecimal("-3")).toBe("-3");
    expect(normalizeDecimal(",5")).toBe("0.5");
    expect(normalizeDecimal("0.05")).toBe("0.05");
  });

  it("refuse what is not a number", () => {
    for (const text of ["", "abc", "1.2.3", "1e5", "12,5€", "--1"]) expect(parseDecimal(text)).toBeNull();
  });

  it("count the decimals written", () => {
    expect(decimalPlaces("1,250")).toBe(3);
    expect(decimalPlaces("7")).toBe(0);
  });
});

describe("totals", () => {
  it("add up without float errors (0.1 + 0.2)", () => {
    const totals = computeTotals([line("1", "0.1", "0"), line("1", "0.2", "0")]);
    expect(totals.withoutVat).toBe("0.30");
    expect(totals.withVat).toBe("0.30");
  });

  it("round each line to the cent, half away from zero, as the hub does", () => {
    // 3 x 0.335 = 1.005 exactly: a float gives 1.0049999..., which would round down.
    expect(computeTotals([line("3", "0.335")]).lineNets).toEqual(["1.01"]);
    expect(computeTotals([line("-3", "0.335")]).lineNets).toEqual(["-1.01"]);
    expect(computeTotals([line("2.5", "1.003")]).lineNets).toEqual(["2.51"]);
  });

  it("break VAT down by category and rate, the tax of each group rounded once", () => {
    const totals = computeTotals([
      line("10", "4.50"),
      line("2", "12.00"),
      line("3", "10,33", "5.5"),
      line("1", "100", "0", "E"),
    ]);
    expect(totals.lineNets).toEqual(["45.00", "24.00", "30.99", "100.00"]);
    expect(totals.breakdown).toEqual([
      { category: "E", rate: "0.00", taxable: "100.00", tax: "0.00" },
      { category: "S", rate: "5.50", taxable: "30.99", tax: "1.70" },
      { category: "S", rate: "20.00", taxable: "69.00", tax: "13.80" },
    ]);
    expect(totals.withoutVat).toBe("199.99");
    expect(totals.vat).toBe("15.50");
    expect(totals.withVat).toBe("215.49");
    expect(totals.complete).toBe(true);
  });

  it("put the lines of the other categories at 0, and O without a rate, whatever rate was typed", () => {
    const totals = computeTotals([line("1", "100", "20", "Z"), line("1", "50", "5.5", "AE"), line("2", "10", "", "Z")]);
    expect(totals.breakdown).toEqual([
      { category: "AE", rate: "0.00", taxable: "50.00", tax: "0.00" },
      { category: "Z", rate: "0.00", taxable: "120.00", tax: "0.00" },
    ]);
    const outside = computeTotals([line("3", "40", "20", "O"), line("1", "5", "10", "O")]);
    expect(outside.breakdown).toEqual([{ category: "O", rate: null, taxable: "125.00", tax: "0.00" }]);
    expect(outside.withVat).toBe("125.00");
  });

  it("group rates written differently (20, 20,0, 20.00) as one", () => {
    const totals = computeTotals([line("1", "10", "20"), line("1", "10", "20,0"), line("1", "10", "20.00")]);
    expect(totals.breakdown).toHaveLength(1);
    expect(totals.breakdown[0]?.tax).toBe("6.00");
  });

  it("say when a line is not computable yet, and count the others", () => {
    const totals = computeTotals([line("2", "5"), line("", "5"), line("1", "x")]);
    expect(totals.lineNets).toEqual(["10.00", null, null]);
    expect(totals.complete).toBe(false);
    expect(totals.withVat).toBe("12.00");
  });

  it("keep every digit of large amounts (Python: 999999998999990000000.01)", () => {
    const totals = computeTotals([line("999999999", "999999999999.99")]);
    expect(totals.withoutVat).toBe("999999998999990000000.01");
  });

  it("are zero with no line", () => {
    expect(computeTotals([])).toMatchObject({ withoutVat: "0.00", vat: "0.00", withVat: "0.00", breakdown: [] });
  });
});
