// urql speaking the hub's rules: POST only, the GraphQL-over-HTTP media type, a bearer token (never a
// cookie), multipart uploads (urql's fetch exchange sends File variables as the multipart request spec).
import { Client, cacheExchange, fetchExchange } from "urql";

import { accessToken, tokenRefused } from "../auth/session";

const GRAPHQL_RESPONSE = "application/graphql-response+json";

async function authorizedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = async () => {
    const headers = new Headers(init?.headers);
    headers.set("Authorization", `Bearer ${await accessToken()}`);
    headers.set("Accept", GRAPHQL_RESPONSE);
    return fetch(input, { ...init, headers, credentials: "omit" });
  };
  const response = await send();
  if (response.status !== 401) return response;
  tokenRefused(); // expired or revoked under us: once more with a new token
  return send();
}

export function createClient(): Client {
  return new Client({
    url: "/graphql",
    preferGetMethod: false,
    exchanges: [cacheExchange, fetchExchange],
    fetch: authorizedFetch,
    requestPolicy: "cache-and-network",
  });
}
