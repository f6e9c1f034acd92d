// The problems the hub found in a deposit, each with its rule, business term, field and what to do.
// The hub's own messages are English only: the clerk reads our explanation of the rule in the chosen
// language when we have one, and the check's message as the hub wrote it, marked as English.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import { graphql } from "../../gql";

// What every invoice mutation's refusal carries, for the list below.
graphql(`
  fragment InvoiceProblem on InvoiceError {
    field
    code
    rule
    message
    bt
    location
  }
`);

export interface Problem {
  code?: string | null; // InvoiceErrorCode, for invoice mutations
  rule?: string | null;
  message: string;
  bt?: string | null;
  field?: readonly string[] | string | null;
  location?: string | null;
}

/** ["input", "lines", "0", "quantity"] or "lines.0.quantity": the words of the form's fields. */
export function useFieldName(): (field: Problem["field"]) => string | null {
  const { t } = useTranslation();
  return (field) => {
    const path = (typeof field === "string" ? field.split(".") : [...(field ?? [])]).filter((p) => p !== "input");
    if (path.length === 0) return null;
    const words: string[] = [];
    for (const part of path) {
      if (/^\d+$/.test(part)) words.push(t("deposit.problems.line", { n: Number(part) + 1 }));
      else if (part !== "lines" || path.length === 1) words.push(t(`deposit.problems.fields.${part}`, { defaultValue: part }));
    }
    return words.join(" · ");
  };
}

export function explanation(t: TFunction, problem: Problem): string {
  const rule = problem.rule ?? "";
  const known = rule ? t(`deposit.problems.rules.${rule}`, { defaultValue: "" }) : "";
  if (known) return known;
  if (problem.code) return t(`deposit.problems.codes.${problem.code}`, { rule, defaultValue: problem.message });
  return rule.startsWith("FH-")
    ? t("deposit.problems.codes.PLATFORM_RULE", { rule })
    : t("deposit.problems.codes.DOCUMENT_INVALID", { rule });
}

export function ProblemList({ problems, id }: { problems: readonly Problem[]; id?: string }) {
  const { t, i18n } = useTranslation();
  const fieldName = useFieldName();
  const english = i18n.resolvedLanguage === "en";
  return (
    <ol className="problems" id={id}>
      {problems.map((problem, index) => {
        const field = fieldName(problem.field);
        return (
          <li key={index} className="problem">
            <p className="problem-what">{explanation(t, problem)}</p>
            <dl>
              {problem.rule && (
                <>
                  <dt>{t("deposit.problems.rule")}</dt>
                  <dd>
                    <code>{problem.rule}</code>
                  </dd>
                </>
              )}
              {problem.bt && (
                <>
                  <dt>{t("deposit.problems.bt")}</dt>
                  <dd>{problem.bt}</dd>
                </>
              )}
              {field && (
                <>
                  <dt>{t("deposit.problems.field")}</dt>
                  <dd>{field}</dd>
                </>
              )}
              <dt>
                {t("deposit.problems.original")}
                {!english && <span className="muted small"> ({t("deposit.problems.originalLang")})</span>}
              </dt>
              <dd lang="en">{problem.message}</dd>
              {problem.location && (
                <>
                  <dt>{t("deposit.problems.location")}</dt>
                  <dd>
                    <code className="xpath">{problem.location}</code>
                  </dd>
                </>
              )}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}
