import { describe, expect, it } from "vitest";

import { refusalText } from "../src/components/useMutationResult";

const text = (e: { code: string }) => `[${e.code}]`;

describe("a mutation's refusal in one sentence", () => {
  it("says every refusal of the API, in the screen's words", () => {
    expect(refusalText([{ code: "A" }, { code: "B" }], { message: "transport" }, text)).toBe("[A] [B]");
  });

  it("falls back on the transport's error when the API refused nothing", () => {
    expect(refusalText([], { message: "Network down" }, text)).toBe("Network down");
    expect(refusalText(undefined, { message: "Network down" }, text)).toBe("Network down");
  });

  it("is empty when there is nothing to say", () => {
    expect(refusalText(null, undefined, text)).toBe("");
  });
});
