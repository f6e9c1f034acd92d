// urql speaking the hub's rules: POST only, the GraphQL-over-HTTP media type, a bearer token (never a
// cookie), multipart uploads (urql's fetch exchange sends File variables as the multipart request spec),
// and the language of the switch as Accept-Language, which the hub's messages are said in.
import { Client, cacheExchange, fetchExchange } from "urql";

import { accessToken, tokenRefused } from "../auth/session";

const GRAPHQL_RESPONSE = "application/graphql-response+json";

function authorizedFetch(language: string) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const send = async () => {
      const headers = new Headers(init?.headers);
      headers.set("Authorization", `Bearer ${await accessToken()}`);
      headers.set("Accept", GRAPHQL_RESPONSE);
      headers.set("Accept-Language", language);
      return fetch(input, { ...init, headers, credentials: "omit" });
    };
    const response = await send();
    if (response.status !== 401) return response;
    tokenRefused(); // expired or revoked under us: once more with a new token
    return send();
  };
}

/** One client per language: a switch starts from an empty cache, so every screen is read again in it. */
export function createClient(language: string): Client {
  return new Client({
    url: "/graphql",
    preferGetMethod: false,
    exchanges: [cacheExchange, fetchExchange],
    fetch: authorizedFetch(language),
    requestPolicy: "cache-and-network",
  });
}
