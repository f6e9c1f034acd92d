import { describe, expect, it } from "vitest";

import { compactIban, ibanProblem } from "../src/lib/iban";

describe("IBAN", () => {
  it("accepts valid IBANs, grouped or not, in any case", () => {
    for (const iban of [
      "FR76 3000 6000 0112 3456 7890 189",
      "fr7630006000011234567890189",
      "DE89 3704 0044 0532 0130 00",
      "GB29 NWBK 6016 1331 9268 19",
      "BE68 5390 0754 7034",
      "NO93 8601 1117 947",
    ]) {
      expect(ibanProblem(iban), iban).toBeNull();
    }
  });

  it("finds one mistyped or swapped digit by the checksum", () => {
    expect(ibanProblem("FR76 3000 6000 0112 3456 7890 188")).toBe("checksum");
    expect(ibanProblem("FR76 3000 6000 0112 3456 7809 189")).toBe("checksum");
    expect(ibanProblem("FR67 3000 6000 0112 3456 7890 189")).toBe("checksum");
  });

  it("knows the length of a country's IBAN", () => {
    expect(ibanProblem("FR76 3000 6000 0112 3456 7890 18")).toBe("length");
    expect(ibanProblem("DE89 3704 0044 0532 0130 001")).toBe("length");
  });

  it("refuses what is no IBAN at all", () => {
    for (const text of ["", "3000 6000 0112", "FRXX 3000 6000 0112 3456 7890 189", "FR76-3000-6000", "FR76 3000 é"]) {
      expect(ibanProblem(text), text).toBe("format");
    }
  });

  it("compacts grouping spaces, no-break ones too", () => {
    expect(compactIban("fr76\u00a03000 6000")).toBe("FR7630006000");
  });
});
