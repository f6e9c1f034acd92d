// Amounts, dates and numbers in the reader's locale. Amounts arrive as decimal strings (exact): Intl formats
// them without going through a binary float.

export type Locale = "fr" | "en";

const TAGS: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

export function localeTag(locale: Locale): string {
  return TAGS[locale];
}

export function formatAmount(value: string, currency: string, locale: Locale): string {
  const format = new Intl.NumberFormat(TAGS[locale], { style: "currency", currency, currencyDisplay: "symbol" });
  return format.format(value as Intl.StringNumericLiteral);
}

export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(TAGS[locale]).format(value);
}

/** A calendar date ("2026-03-01"): the same day wherever the reader is. */
export function formatDate(isoDate: string, locale: Locale): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined || [y, m, d].some(Number.isNaN)) return isoDate;
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A moment (ISO 8601 with offset), in the reader's time zone unless one is given. */
export function formatDateTime(isoMoment: string, locale: Locale, timeZone?: string): string {
  const moment = new Date(isoMoment);
  if (Number.isNaN(moment.getTime())) return isoMoment;
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: "medium", timeStyle: "short", timeZone }).format(moment);
}
