// An IBAN checked as ISO 13616 defines it (country code, two check digits, the national account number), before
// the form sends it: the hub stays the authority, this only spares the clerk a round trip for a mistyped digit.

/** The length of an IBAN in the countries of the SEPA area (ISO 13616 registry); others are checked 15-34. */
const LENGTHS: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27,
  GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27,
  MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, VA: 22,
};

export type IbanProblem = "format" | "length" | "checksum";

/** The IBAN without its grouping spaces, in capitals ("fr76 3000 6000..." is "FR763000 6000..." compacted). */
export function compactIban(text: string): string {
  return text.replace(/[\s\u00a0\u202f]/g, "").toUpperCase();
}

/** What is wrong with `text` as an IBAN, or null when it is one. */
export function ibanProblem(text: string): IbanProblem | null {
  const iban = compactIban(text);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return "format";
  const expected = LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) return "length";
  // Move the country and check digits to the end, letters to numbers (A=10...Z=35): the remainder by 97 is 1.
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1 ? null : "checksum";
}
