// A change sent with the version the screen read comes back one of three ways: done, refused (said where it
// was asked), or in conflict: someone changed the invoice meanwhile, and a reload shows what they did.
import { useState } from "react";

export interface VersionedChange {
  conflict: boolean;
  problem: string | null;
  setProblem: (problem: string | null) => void;
  dismissConflict: () => void;
  /** Whether the change went through; otherwise the conflict or the refusal is set to be shown. */
  judge: (
    transport: { message: string } | null | undefined,
    refusal: { code: string; message: string } | null | undefined,
  ) => boolean;
}

export function useVersionedChange(): VersionedChange {
  const [conflict, setConflict] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return {
    conflict,
    problem,
    setProblem,
    dismissConflict: () => setConflict(false),
    judge: (transport, refusal) => {
      if (refusal?.code === "CONFLICT") setConflict(true);
      else if (transport || refusal) setProblem(transport?.message ?? refusal?.message ?? "");
      else return true;
      return false;
    },
  };
}
