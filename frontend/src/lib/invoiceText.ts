// Small pieces of an invoice written for a reader: rates, quantities, bank accounts, file sizes. Pure.
import type { Locale } from "./format";
import { localeTag } from "./format";

/** A VAT rate as the API gives it ("20.00", "5.5") written "20 %", "5,5 %". */
export function formatRate(rate: string, locale: Locale): string {
  const number = new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 4 });
  return `${number.format(rate as Intl.StringNumericLiteral)}\u00a0%`;
}

/** A quantity, every decimal the document had and no more. */
export function formatQuantity(quantity: string, locale: Locale): string {
  return new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 6 }).format(
    quantity as Intl.StringNumericLiteral,
  );
}

/** An IBAN in groups of four, as printed on a bank statement; anything else as it came. */
export function groupIban(account: string): string {
  const compact = account.replace(/\s/g, "");
  return /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact) ? compact.replace(/(.{4})(?=.)/g, "$1 ") : account;
}

/** A file size in kB or MB, in the reader's locale. */
export function formatSize(bytes: number, locale: Locale): string {
  const number = new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${number.format(bytes)}\u00a0${locale === "fr" ? "o" : "B"}`;
  if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)}\u00a0${locale === "fr" ? "ko" : "kB"}`;
  return `${number.format(bytes / (1024 * 1024))}\u00a0${locale === "fr" ? "Mo" : "MB"}`;
}
