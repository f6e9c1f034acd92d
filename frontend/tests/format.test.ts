import { describe, expect, it } from "vitest";

import { formatAmount, formatCount, formatDate, formatDateTime } from "../src/lib/format";

// Intl separates French thousands with a narrow no-break space and puts a no-break space before the symbol.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("amounts", () => {
  it("are written the French way in French", () => {
    expect(plain(formatAmount("1234567.5", "EUR", "fr"))).toBe("1 234 567,50 €");
  });

  it("and the English way in English", () => {
    expect(formatAmount("1234567.5", "EUR", "en")).toBe("€1,234,567.50");
  });

  it("keep every digit of a decimal string (no float rounding)", () => {
    expect(plain(formatAmount("90071992547409.93", "EUR", "fr"))).toBe("90 071 992 547 409,93 €");
  });

  it("show a credit note's negative total and another currency", () => {
    expect(plain(formatAmount("-42.1", "CHF", "fr"))).toBe("-42,10 CHF");
  });

  it("count in the locale", () => {
    expect(plain(formatCount(12345, "fr"))).toBe("12 345");
  });
});

describe("dates", () => {
  it("keep a calendar date's day whatever the time zone", () => {
    expect(formatDate("2026-03-01", "fr")).toBe("1 mars 2026");
    expect(formatDate("2026-03-01", "en")).toBe("1 Mar 2026");
  });

  it("give back what is not a date as it came", () => {
    expect(formatDate("soon", "fr")).toBe("soon");
    expect(formatDateTime("soon", "fr")).toBe("soon");
  });

  it("write a moment in the given time zone", () => {
    expect(formatDateTime("2026-03-01T23:30:00+00:00", "fr", "Europe/Paris")).toBe("2 mars 2026, 00:30");
    expect(formatDateTime("2026-03-01T23:30:00+00:00", "en", "UTC")).toBe("1 Mar 2026, 23:30");
  });
});
