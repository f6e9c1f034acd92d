import { describe, expect, it } from "vitest";

import { fieldOf, lines, optional, sortErrors } from "../src/screens/admin/userErrors";

const FIELDS = ["name", "address.postcode", "redirectUris"] as const;

describe("fieldOf", () => {
  it("drops the input prefix and joins nested paths", () => {
    expect(fieldOf({ field: ["input", "address", "postcode"], code: "TOO_LONG", message: "" }, FIELDS)).toBe(
      "address.postcode",
    );
    expect(fieldOf({ field: ["input", "address.postcode"], code: "TOO_LONG", message: "" }, FIELDS)).toBe(
      "address.postcode",
    );
  });

  it("puts a list item's error on the list", () => {
    expect(fieldOf({ field: ["input", "redirectUris", "1"], code: "INVALID", message: "" }, FIELDS)).toBe("redirectUris");
  });

  it("knows no field for an id or a missing path", () => {
    expect(fieldOf({ field: ["input", "id"], code: "NOT_FOUND", message: "" }, FIELDS)).toBeNull();
    expect(fieldOf({ field: null, code: "INVALID", message: "" }, FIELDS)).toBeNull();
    expect(fieldOf({ code: "INVALID", message: "" }, FIELDS)).toBeNull();
  });
});

describe("sortErrors", () => {
  it("keeps the first error of a field and the rest as general", () => {
    const sorted = sortErrors(
      [
        { field: ["input", "name"], code: "REQUIRED", message: "a" },
        { field: ["input", "name"], code: "TOO_LONG", message: "b" },
        { field: ["input", "id"], code: "LAST_PRINCIPAL_MANAGER", message: "c" },
      ],
      FIELDS,
    );
    expect(sorted.byField.name?.code).toBe("REQUIRED");
    expect(sorted.general.map((e) => e.code)).toEqual(["LAST_PRINCIPAL_MANAGER"]);
  });
});

describe("text helpers", () => {
  it("sends blank optional text as null", () => {
    expect(optional("  ")).toBeNull();
    expect(optional(undefined)).toBeNull();
    expect(optional(" x ")).toBe("x");
  });

  it("reads one URI a line, blank lines ignored", () => {
    expect(lines("https://a.example/cb\r\n\n  https://b.example/cb  \n")).toEqual([
      "https://a.example/cb",
      "https://b.example/cb",
    ]);
  });
});
