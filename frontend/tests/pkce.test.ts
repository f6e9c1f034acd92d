import { describe, expect, it } from "vitest";

import { base64url, randomToken, s256Challenge } from "../src/auth/pkce";

describe("PKCE", () => {
  it("computes the RFC 7636 appendix B challenge", async () => {
    expect(await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("encodes base64url without padding", () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe("-__-");
    expect(base64url(new Uint8Array([0x61]))).toBe("YQ");
  });

  it("draws verifiers of 43 unreserved characters, never twice the same", () => {
    const drawn = new Set(Array.from({ length: 50 }, () => randomToken()));
    expect(drawn.size).toBe(50);
    for (const token of drawn) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
