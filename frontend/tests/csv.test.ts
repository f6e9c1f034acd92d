import { describe, expect, it } from "vitest";

import { dateCell, decimalCell, momentCell, textCell, toCsv } from "../src/lib/csv";

describe("CSV for a French spreadsheet", () => {
  it("starts with a BOM, separates with ';' and ends lines with CRLF", () => {
    expect(toCsv(["Numéro", "Montant"], [["F-1", decimalCell("12.50")]])).toBe("\ufeffNuméro;Montant\r\nF-1;12,50\r\n");
  });

  it("quotes fields holding the separator, quotes or line breaks", () => {
    expect(textCell('Dupont; "fils"')).toBe('"Dupont; ""fils"""');
    expect(textCell("deux\nlignes")).toBe('"deux\nlignes"');
    expect(textCell(null)).toBe("");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(textCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(textCell("+33 1 23")).toBe("'+33 1 23");
    expect(textCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });

  it("writes amounts with a decimal comma, negative ones too, and nothing else as a number", () => {
    expect(decimalCell("-1234.5")).toBe("-1234,5");
    expect(decimalCell("90071992547409.93")).toBe("90071992547409,93");
    expect(decimalCell("=1+1")).toBe("'=1+1");
  });
});

describe("dates and moments", () => {
  it("keep a calendar date as ISO and write a moment in local time, minutes", () => {
    expect(dateCell("2026-03-01")).toBe("2026-03-01");
    expect(dateCell("=1+1")).toBe("'=1+1");
    const local = new Date(2026, 2, 1, 9, 5, 30);
    expect(momentCell(local.toISOString())).toBe("2026-03-01 09:05");
    expect(momentCell("nonsense")).toBe("nonsense");
  });

  it("write negative and long decimals with a comma and no grouping", () => {
    expect(decimalCell("-1234567.891")).toBe("-1234567,891");
  });
});
