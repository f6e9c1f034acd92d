// The API's typed refusals (UserError: field path + code) sorted onto the form fields that caused them.
import { graphql } from "../../gql";

// What every administration mutation asks of its refusals.
graphql(`
  fragment AdminUserError on UserError {
    field
    code
    message
  }
`);

export interface ApiUserError {
  readonly field?: readonly string[] | null;
  readonly code: string;
  readonly message: string;
}

export interface SortedErrors<F extends string> {
  byField: Partial<Record<F, ApiUserError>>;
  general: ApiUserError[];
}

/** The form field an error path names: ["input", "address", "postcode"] is "address.postcode"; an item of a
 * list ("redirectUris.0") belongs to the list's field. A path no field of the form holds is general. */
export function fieldOf<F extends string>(error: ApiUserError, fields: readonly F[]): F | null {
  const path = (error.field ?? []).flatMap((part) => part.split("."));
  const parts = path[0] === "input" ? path.slice(1) : path;
  for (let end = parts.length; end > 0; end -= 1) {
    const name = parts.slice(0, end).join(".");
    const known = fields.find((f) => f === name);
    if (known) return known;
  }
  return null;
}

/** One error per field (the first), the rest (no field, or an unknown one) for the form as a whole. */
export function sortErrors<F extends string>(errors: readonly ApiUserError[], fields: readonly F[]): SortedErrors<F> {
  const sorted: SortedErrors<F> = { byField: {}, general: [] };
  for (const error of errors) {
    const field = fieldOf(error, fields);
    if (field === null) sorted.general.push(error);
    else if (!sorted.byField[field]) sorted.byField[field] = error;
  }
  return sorted;
}

/** Optional text as the API wants it: blank is null (clears the value). */
export function optional(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/** Redirect URIs typed one per line. */
export function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}
