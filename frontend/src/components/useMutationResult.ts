// What a mutation came back with, in the screen's words: the refusal (read out where the action was asked)
// and the announcement of what was done. A new action clears both: the last words are over.
import { useState } from "react";

/** The API's refusals in one sentence; the transport's error when it gave none; "" when neither. */
export function refusalText<E>(
  errors: readonly E[] | null | undefined,
  error: { message: string } | null | undefined,
  text: (error: E) => string,
): string {
  return (errors ?? []).map(text).join(" ") || error?.message || "";
}

export interface MutationResult<E> {
  problem: string | null;
  done: string;
  clear: () => void;
  refuse: (errors: readonly E[] | null | undefined, error?: { message: string } | null) => void;
  succeed: (message: string) => void;
}

export function useMutationResult<E>(text: (error: E) => string): MutationResult<E> {
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState("");
  return {
    problem,
    done,
    clear: () => {
      setProblem(null);
      setDone("");
    },
    refuse: (errors, error) => setProblem(refusalText(errors, error, text)),
    succeed: (message) => {
      setProblem(null);
      setDone(message);
    },
  };
}
