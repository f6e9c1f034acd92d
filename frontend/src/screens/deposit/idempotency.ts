// One Idempotency-Key per deposit attempt: a retry after a lost answer reuses it (the hub then answers
// the same invoice instead of a second one); any change to what is deposited starts a new attempt.

export interface Attempt {
  fingerprint: string;
  key: string;
}

export function keyFor(previous: Attempt | null, fingerprint: string): Attempt {
  if (previous && previous.fingerprint === fingerprint) return previous;
  return { fingerprint, key: crypto.randomUUID() };
}

export function withKey(key: string) {
  return { fetchOptions: { headers: { "Idempotency-Key": key } } };
}
