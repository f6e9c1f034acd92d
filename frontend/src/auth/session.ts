// The SPA as a browser-based OAuth client (public, code + PKCE S256), following the IETF "OAuth 2.0 for
// Browser-Based Apps" draft. Tokens live in this module's memory only: a reload starts a new authorization
// request, which the hub answers at once while its sign-in session lives (README, "Frontend").
import { randomToken, s256Challenge } from "./pkce";

export const CLIENT_ID = "facturehub-web";
export const SCOPES = [
  "invoices:read",
  "invoices:submit",
  "invoices:process",
  "directory:read",
  "workspace:admin",
  "webhooks:manage",
];
const PENDING_KEY = "facturehub.pending-sign-in";
const WORKSPACE_KEY = "facturehub.workspace";
const EARLY_REFRESH_S = 30;

interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
}

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export class SignInError extends Error {}

let tokens: Tokens | null = null;
let refreshing: Promise<string> | null = null;

const origin = () => window.location.origin;
export const redirectUri = () => `${origin()}/callback`;

/** The workspace (structure identifier) last chosen in this browser: reloads come back to it. */
export function rememberedWorkspace(): string | null {
  return localStorage.getItem(WORKSPACE_KEY);
}

/** The authorization request for a new sign-in (its PKCE verifier and state kept in sessionStorage). */
async function authorizationUrl(workspace: string | null, returnTo: string): Promise<string> {
  const pending: Pending = { state: randomToken(), verifier: randomToken(), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    scope: SCOPES.join(" "),
    state: pending.state,
    code_challenge: await s256Challenge(pending.verifier),
    code_challenge_method: "S256",
  });
  if (workspace) query.set("workspace", workspace);
  return `/oauth/authorize?${query.toString()}`;
}

/** Leave for the hub's authorization endpoint; `workspace` names the structure to act in. */
export async function signIn(workspace: string | null = rememberedWorkspace(), returnTo?: string): Promise<never> {
  const target = returnTo ?? window.location.pathname + window.location.search;
  window.location.assign(await authorizationUrl(workspace, target === "/callback" ? "/" : target));
  return new Promise<never>(() => {}); // the page is being left
}

/** At /callback: check the answer belongs to the request we made, trade the code for tokens. */
export async function completeSignIn(url: URL): Promise<string> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  const params = url.searchParams;
  if (!pending || params.get("state") !== pending.state) {
    throw new SignInError("state");
  }
  // RFC 9207: the answer must come from our own hub, not from another server in a mix-up.
  if (params.get("iss") !== origin()) throw new SignInError("issuer");
  const error = params.get("error");
  if (error) throw new SignInError(error);
  const code = params.get("code");
  if (!code) throw new SignInError("code");
  await tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(),
    client_id: CLIENT_ID,
    code_verifier: pending.verifier,
  });
  return pending.returnTo.startsWith("/") && !pending.returnTo.startsWith("//") ? pending.returnTo : "/";
}

async function tokenRequest(fields: Record<string, string>): Promise<string> {
  const response = await fetch("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(fields),
    credentials: "omit",
  });
  const answer = (await response.json()) as TokenAnswer;
  if (!response.ok || !answer.access_token) {
    tokens = null;
    throw new SignInError(answer.error ?? `http ${response.status}`);
  }
  tokens = {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? null,
    expiresAt: Date.now() + (answer.expires_in ?? 60) * 1000,
  };
  return tokens.accessToken;
}

export function signedIn(): boolean {
  return tokens !== null;
}

/** A valid access token: the one held, or a new one from the (rotating) refresh token, or a new sign-in. */
export async function accessToken(): Promise<string> {
  if (tokens && tokens.expiresAt - EARLY_REFRESH_S * 1000 > Date.now()) return tokens.accessToken;
  if (!refreshing) {
    refreshing = renew().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function renew(): Promise<string> {
  const refreshToken = tokens?.refreshToken;
  if (refreshToken) {
    try {
      return await tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT_ID });
    } catch {
      // The refresh token was revoked or expired: the hub's sign-in session may still answer.
    }
  }
  return signIn();
}

/** Called when the API refused the token (401): forget it and sign in again. */
export function tokenRefused(): void {
  tokens = null;
}

/** Another workspace: a new authorization request naming it (no consent page once it was consented). */
export async function switchWorkspace(identifier: string, returnTo: string): Promise<never> {
  localStorage.setItem(WORKSPACE_KEY, identifier);
  await revokeRefreshToken();
  return signIn(identifier, returnTo);
}

export function rememberWorkspace(identifier: string): void {
  localStorage.setItem(WORKSPACE_KEY, identifier);
}

async function revokeRefreshToken(): Promise<void> {
  const refreshToken = tokens?.refreshToken;
  tokens = null;
  if (!refreshToken) return;
  await fetch("/oauth/revoke", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: "refresh_token", client_id: CLIENT_ID }),
    credentials: "omit",
  }).catch(() => undefined);
}

/** Revoke the refresh token, then end the hub's sign-in session with a top-level form POST to /logout;
 * the hub's sign-in page follows, and signing in there comes back into the app. */
export async function signOut(): Promise<void> {
  await revokeRefreshToken();
  const response = await fetch("/logout/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } });
  const { csrf_token: csrf } = (await response.json()) as { csrf_token: string };
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/logout";
  const fields = { csrf_token: csrf, next: await authorizationUrl(rememberedWorkspace(), "/") };
  for (const [name, value] of Object.entries(fields)) {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = name;
    field.value = value;
    form.append(field);
  }
  document.body.append(form);
  form.submit();
}
