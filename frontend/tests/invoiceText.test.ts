import { describe, expect, it } from "vitest";

import { formatQuantity, formatRate, formatSize, groupIban } from "../src/lib/invoiceText";

const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("invoice texts", () => {
  it("write rates without trailing zeros, the locale's way", () => {
    expect(plain(formatRate("20.00", "fr"))).toBe("20 %");
    expect(plain(formatRate("5.5", "fr"))).toBe("5,5 %");
    expect(plain(formatRate("5.5", "en"))).toBe("5.5 %");
  });

  it("keep a quantity's decimals", () => {
    expect(plain(formatQuantity("1234.125", "fr"))).toBe("1 234,125");
    expect(formatQuantity("2", "en")).toBe("2");
  });

  it("group an IBAN by four and leave other accounts alone", () => {
    expect(groupIban("FR7630006000011234567890189")).toBe("FR76 3000 6000 0112 3456 7890 189");
    expect(groupIban("123-456")).toBe("123-456");
  });

  it("write sizes in kB and MB", () => {
    expect(plain(formatSize(512, "fr"))).toBe("512 o");
    expect(plain(formatSize(2048, "fr"))).toBe("2 ko");
    expect(plain(formatSize(1536 * 1024, "en"))).toBe("1.5 MB");
  });
});
