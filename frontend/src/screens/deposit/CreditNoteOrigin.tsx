// The invoices a credit note corrects (BG-3: number BT-25, date BT-26), shown for a credit note (381) only.
// The hub refuses a credit note naming none (FH-CREDIT-NOTE-ORIGIN): one row is there from the start.
import type { ReactNode } from "react";
import { useFieldArray } from "react-hook-form";
import type { Control, FieldErrors, UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";

import type { FormValues } from "./invoiceFormValues";
import { emptyPreceding } from "./invoiceFormValues";

interface Props {
  control: Control<FormValues>;
  register: UseFormRegister<FormValues>;
  errors: FieldErrors<FormValues>;
  invalid: (message: string | undefined, id: string) => object;
  fieldError: (message: string | undefined, id: string) => ReactNode;
}

export function CreditNoteOrigin({ control, register, errors, invalid, fieldError }: Props) {
  const { t } = useTranslation();
  const { fields, append, remove } = useFieldArray({ control, name: "precedingInvoices" });
  return (
    <fieldset aria-describedby="f-preceding-hint">
      <legend>{t("deposit.form.preceding")}</legend>
      <p id="f-preceding-hint" className="muted small">
        {t("deposit.form.precedingHint")}
      </p>
      {fields.length === 0 && (
        <p className="field-error" role="status">
          {t("deposit.form.precedingNone")}
        </p>
      )}
      {fields.map((row, index) => {
        const n = index + 1;
        const numberId = `p-${row.id}-number`;
        const dateId = `p-${row.id}-date`;
        const numberError = errors.precedingInvoices?.[index]?.number?.message;
        const dateError = errors.precedingInvoices?.[index]?.issueDate?.message;
        return (
          <div className="grid-fields" key={row.id} data-testid="preceding">
            <div className="field">
              <label htmlFor={numberId}>{t("deposit.form.precedingNumber", { n })}</label>
              <input
                id={numberId}
                autoComplete="off"
                {...invalid(numberError, `${numberId}-error`)}
                {...register(`precedingInvoices.${index}.number`, {
                  validate: (value, values) =>
                    values.typeCode !== "381" || !!value.trim() || t("deposit.form.errors.required"),
                })}
              />
              {fieldError(numberError, `${numberId}-error`)}
            </div>
            <div className="field">
              <label htmlFor={dateId}>
                {t("deposit.form.precedingDate", { n })}{" "}
                <span className="muted small">({t("deposit.common.optional")})</span>
              </label>
              <input
                id={dateId}
                type="date"
                {...invalid(dateError, `${dateId}-error`)}
                {...register(`precedingInvoices.${index}.issueDate`)}
              />
              {fieldError(dateError, `${dateId}-error`)}
            </div>
            <div className="field">
              <button
                type="button"
                className="link"
                onClick={() => remove(index)}
                aria-label={t("deposit.form.removePreceding", { n })}
              >
                ✕
              </button>
            </div>
          </div>
        );
      })}
      <p>
        <button type="button" onClick={() => append(emptyPreceding())}>
          + {t("deposit.form.addPreceding")}
        </button>
      </p>
    </fieldset>
  );
}
