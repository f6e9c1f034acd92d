import { describe, expect, it } from "vitest";

import {
  CATEGORIES,
  isRated,
  mixesNotSubject,
  needsBuyerVat,
  needsDeliveryDate,
  needsReason,
  takesReason,
} from "../src/lib/vatCategories";

describe("VAT categories", () => {
  it("rate S only, ask E's reason and let the others take one", () => {
    expect(CATEGORIES.filter(isRated)).toEqual(["S"]);
    expect(CATEGORIES.filter(needsReason)).toEqual(["E"]);
    expect(CATEGORIES.filter(takesReason)).toEqual(["E", "AE", "K", "G", "O"]);
  });

  it("ask the buyer's VAT number for AE and K, the delivery date for K", () => {
    expect(needsBuyerVat(["S", "AE"])).toBe(true);
    expect(needsBuyerVat(["K"])).toBe(true);
    expect(needsBuyerVat(["S", "E", "O"])).toBe(false);
    expect(needsDeliveryDate(["S", "K"])).toBe(true);
    expect(needsDeliveryDate(["AE"])).toBe(false);
  });

  it("see an O line beside another category", () => {
    expect(mixesNotSubject(["O", "O"])).toBe(false);
    expect(mixesNotSubject(["S", "Z"])).toBe(false);
    expect(mixesNotSubject(["O", "S"])).toBe(true);
  });
});
