// Keyset paging kept as the stack of the cursors of the pages before this one: going back pops, and a new
// search or filter resets to the first page.
import { useState } from "react";

export interface Cursors {
  after: string | null;
  page: number;
  next: (endCursor: string | null | undefined) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursors(): Cursors {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1] ?? null,
    page: stack.length,
    next: (end) => {
      if (end) setStack((s) => [...s, end]);
    },
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}
