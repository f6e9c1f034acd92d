// The problems the hub found in a deposit, each with its rule, business term, field and what to do. The
// hub says each one in the language of the switch (the client sends it as Accept-Language), from the one
// catalogue of its rules: nothing here repeats those words.
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
    btName
    location
  }
`);

export interface Problem {
  code?: string | null; // InvoiceErrorCode, for invoice mutations
  rule?: string | null;
  message: string;
  bt?: string | null;
  btName?: string | null;
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

// The official rules' messages begin with their id ("[BR-CO-15]-..."), which the list shows beside them.
function withoutRuleTag(message: string): string {
  return message.replace(/^\[[^\]]+\]-\s*/, "");
}

export function ProblemList({ problems, id }: { problems: readonly Problem[]; id?: string }) {
  const { t } = useTranslation();
  const fieldName = useFieldName();
  return (
    <ol className="problems" id={id}>
      {problems.map((problem, index) => {
        const field = fieldName(problem.field);
        return (
          <li key={index} className="problem">
            <p className="problem-what">{withoutRuleTag(problem.message)}</p>
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
                  <dd>{problem.btName ? `${problem.bt} · ${problem.btName}` : problem.bt}</dd>
                </>
              )}
              {field && (
                <>
                  <dt>{t("deposit.problems.field")}</dt>
                  <dd>{field}</dd>
                </>
              )}
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
