// What each VAT category asks of a typed-in line, as the hub checks it (invoicing/deposit/vat_categories.py):
// the form shows the fields a category needs and leaves out what it forbids; the hub stays the authority.

export const CATEGORIES = ["S", "Z", "E", "AE", "K", "G", "O"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Only S carries the rate typed; Z, E, AE, K and G are at 0 and O (not subject to VAT) has no rate. */
export const isRated = (category: string): boolean => category === "S";

/** The categories whose breakdown says why no VAT is due (BT-120): E must say it, the others have a standard text. */
export const takesReason = (category: string): boolean => ["E", "AE", "K", "G", "O"].includes(category);
export const needsReason = (category: string): boolean => category === "E";

/** AE (reverse charge) and K (intra-community supply) name the buyer's VAT number (BT-48). */
export const needsBuyerVat = (categories: readonly string[]): boolean =>
  categories.some((c) => c === "AE" || c === "K");

/** K names the actual delivery date (BT-72, BR-IC-11). */
export const needsDeliveryDate = (categories: readonly string[]): boolean => categories.includes("K");

/** BR-O-11/12: an invoice with a line not subject to VAT (O) has only such lines. */
export const mixesNotSubject = (categories: readonly string[]): boolean =>
  categories.includes("O") && categories.some((c) => c !== "O");
