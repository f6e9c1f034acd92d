// A refusal in one sentence, read out where the action was asked.
export function ProblemText({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <p role="alert" className="error">
      {children}
    </p>
  );
}
