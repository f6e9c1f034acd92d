// CSV that a French spreadsheet opens as it should: ';' between fields, UTF-8 with a byte-order mark,
// decimal commas, CRLF line ends. Text that a spreadsheet would run as a formula is defused.

const FORMULA_START = /^[=+\-@\t\r]/;

export function textCell(value: string | null | undefined): string {
  const text = value ?? "";
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return quoted(safe);
}

/** An exact decimal string ("-1234.50") written with a decimal comma, no grouping. */
export function decimalCell(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? value.replace(".", ",") : textCell(value);
}

function quoted(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: string[][]): string {
  const lines = [header.map(textCell), ...rows].map((cells) => cells.join(";"));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

/** A calendar date as ISO "2026-03-01": French and English spreadsheets both read it as a date. */
export function dateCell(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? isoDate : textCell(isoDate);
}

/** A moment as "2026-03-01 14:05" in the reader's time zone (a spreadsheet reads it as date and time). */
export function momentCell(isoMoment: string): string {
  const moment = new Date(isoMoment);
  if (Number.isNaN(moment.getTime())) return textCell(isoMoment);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())} ` +
    `${two(moment.getHours())}:${two(moment.getMinutes())}`
  );
}
