// Live totals of a typed-in invoice, computed as the hub will (invoicing/typed.py): each line's net amount
// is quantity x unit price rounded to the cent, lines are grouped by VAT category and rate, each group's
// tax is rounded to the cent, and the totals add those up. Exact: decimal strings become scaled BigInts,
// never binary floats (0.1 + 0.2 must stay 0.30).

/** A decimal number as an integer and the power of ten it is divided by. */
interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d*))?$|^([+-]?)[.,](\d+)$/;

/** "12,50", "12.5", "-3", ",5": a French comma or a point; spaces (thousands) are ignored. Null if not a number. */
export function parseDecimal(text: string): Scaled | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "");
  const match = DECIMAL.exec(compact);
  if (!match) return null;
  const sign = match[1] ?? match[4] ?? "";
  const whole = match[2] ?? "0";
  const fraction = match[3] ?? match[5] ?? "";
  const units = BigInt(whole + fraction) * (sign === "-" ? -1n : 1n);
  return { units, scale: fraction.length };
}

/** The number as the API's Decimal scalar wants it ("12.50"), or null when it is not one. */
export function normalizeDecimal(text: string): string | null {
  const value = parseDecimal(text);
  return value === null ? null : toText(value);
}

/** The count of decimals written ("1,250" has 3): the hub refuses more than it allows. */
export function decimalPlaces(text: string): number {
  return parseDecimal(text)?.scale ?? 0;
}

function toText({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? "." + fraction : ""}`;
}

/** Round half away from zero (Python's ROUND_HALF_UP, which the hub uses) to `scale` decimals. */
function rounded(value: Scaled, scale: number): Scaled {
  if (value.scale <= scale) return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale };
}

function times(a: Scaled, b: Scaled): Scaled {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

const CENTS = 2;
const cents = (units: bigint): string => toText({ units, scale: CENTS });

export interface LineInput {
  quantity: string;
  netPrice: string;
  vatRate: string;
  vatCategory: string;
}

export interface VatGroup {
  category: string;
  /** Null for O (not subject to VAT), which has no rate. */
  rate: string | null;
  taxable: string;
  tax: string;
}

export interface Totals {
  /** Each line's net amount ("45.00"), or null while its quantity or price is not a number. */
  lineNets: (string | null)[];
  breakdown: VatGroup[];
  withoutVat: string;
  vat: string;
  withVat: string;
  /** False while some line cannot be computed: the totals then count only the lines that can. */
  complete: boolean;
}

/** The categories whose lines carry the rate typed; the others are at 0 (Z, E, AE, K, G) or have none (O). */
export const RATED_CATEGORY = "S";
export const NOT_SUBJECT = "O";

/** The rate the hub writes for a line (invoicing/deposit/vat_categories.py): the typed one for S only. */
function rateOf(line: LineInput): Scaled | null {
  const category = line.vatCategory || RATED_CATEGORY;
  if (category !== RATED_CATEGORY) return { units: 0n, scale: 2 };
  return parseDecimal(line.vatRate || "0");
}

export function computeTotals(lines: readonly LineInput[]): Totals {
  const groups = new Map<string, { category: string; rate: Scaled; taxable: bigint }>();
  const lineNets: (string | null)[] = [];
  let complete = true;
  for (const line of lines) {
    const quantity = parseDecimal(line.quantity);
    const price = parseDecimal(line.netPrice);
    const rate = rateOf(line);
    if (!quantity || !price || !rate) {
      lineNets.push(null);
      complete = false;
      continue;
    }
    const net = rounded(times(quantity, price), CENTS).units;
    lineNets.push(cents(net));
    const category = line.vatCategory || "S";
    const key = `${category}|${toText(rounded(rate, 2))}`;
    const group = groups.get(key) ?? { category, rate: rounded(rate, 2), taxable: 0n };
    group.taxable += net;
    groups.set(key, group);
  }
  const breakdown: VatGroup[] = [...groups.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([, g]) => {
      // taxable (2 decimals) x rate (2 decimals) / 100: 6 decimals, then to the cent.
      const tax = rounded({ units: g.taxable * g.rate.units, scale: CENTS + g.rate.scale + 2 }, CENTS).units;
      const rate = g.category === NOT_SUBJECT ? null : toText(g.rate);
      return { category: g.category, rate, taxable: cents(g.taxable), tax: cents(tax) };
    });
  const net = [...groups.values()].reduce((sum, g) => sum + g.taxable, 0n);
  const vat = breakdown.reduce((sum, g) => sum + (parseDecimal(g.tax)?.units ?? 0n), 0n);
  return { lineNets, breakdown, withoutVat: cents(net), vat: cents(vat), withVat: cents(net + vat), complete };
}

// The hub sorts its breakdown by (category, rate): the same order here, rates compared as numbers.
function compareKeys(a: string, b: string): number {
  const [ca = "", ra = "0"] = a.split("|");
  const [cb = "", rb = "0"] = b.split("|");
  if (ca !== cb) return ca < cb ? -1 : 1;
  const diff = (parseDecimal(ra)?.units ?? 0n) - (parseDecimal(rb)?.units ?? 0n);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
