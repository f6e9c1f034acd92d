// Form parts for the administration: labelled fields whose errors are tied to them (aria-describedby) and
// read out, the API's typed refusals put on their fields, and the polite announcement of a success.
import type { InputHTMLAttributes } from "react";
import { useId, useState } from "react";
import type { FieldValues, Path, UseFormRegisterReturn, UseFormSetError } from "react-hook-form";
import { useTranslation } from "react-i18next";

import type { ApiUserError } from "./userErrors";
import { sortErrors } from "./userErrors";

// Codes that say it all; for the others the API's own (English, specific) words follow in French.
const SELF_EXPLAINED = new Set(["REQUIRED", "DUPLICATE", "INVALID_DATE_RANGE", "LAST_PRINCIPAL_MANAGER"]);

/** What a refusal says to the reader: French from its code; English has the API's own (specific) words. */
export function useErrorText(): (error: ApiUserError) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    if (i18n.resolvedLanguage === "en" && error.message) return error.message;
    const key = `admin.errors.${error.code}`;
    if (!i18n.exists(key)) return error.message;
    const detail = error.message && !SELF_EXPLAINED.has(error.code) ? t("admin.errors.detail", { message: error.message }) : "";
    return detail ? `${t(key)} ${detail}` : t(key);
  };
}

/** Put each refusal on its field (focusing the first) and give back those that belong to no field. */
export function applyErrors<V extends FieldValues>(
  errors: readonly ApiUserError[],
  fields: readonly Path<V>[],
  setError: UseFormSetError<V>,
  text: (error: ApiUserError) => string,
): ApiUserError[] {
  const sorted = sortErrors(errors, fields);
  let first = true;
  for (const field of fields) {
    const error = sorted.byField[field];
    if (!error) continue;
    setError(field, { type: error.code, message: text(error) }, { shouldFocus: first });
    first = false;
  }
  return sorted.general;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const joined = ids.filter(Boolean).join(" ");
  return joined || undefined;
}

export function TextField({
  label,
  hint,
  error,
  registration,
  required,
  multiline,
  ...input
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  registration: UseFormRegisterReturn;
  required?: boolean;
  multiline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "required">) {
  const id = useId();
  const props = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-required": required || undefined,
    "aria-describedby": describedBy(hint && `${id}-hint`, error && `${id}-error`),
    ...registration,
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {multiline ? <textarea rows={3} {...props} /> : <input type="text" {...input} {...props} />}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CheckField({ label, registration }: { label: string; registration: UseFormRegisterReturn }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" {...registration} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** The form's own alert: how many fields to correct, and what belongs to none. */
export function FormProblems({ fieldCount, general }: { fieldCount: number; general: readonly ApiUserError[] }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (fieldCount === 0 && general.length === 0) return null;
  return (
    <div role="alert" className="problem">
      {fieldCount > 0 && <p>{t("admin.fixErrors", { count: fieldCount })}</p>}
      {general.map((error, i) => (
        <p key={i}>{text(error)}</p>
      ))}
    </div>
  );
}

/** A live region present from the start, so that what is put in it later is read out; a sentence said in
 * the other language ends when the language is switched. */
export function Announce({ children }: { children: string }) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  const [said, setSaid] = useState({ text: children, language });
  if (said.text !== children) setSaid({ text: children, language });
  return (
    <p role="status" className="announce">
      {said.language === language ? children : ""}
    </p>
  );
}
