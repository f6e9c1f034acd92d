// Saisir une facture: react-hook-form for the fields and the line editor, live totals from lib/totals
// (the hub's own arithmetic, exact), the recipient from the directory with what it requires.
import { Fragment, useRef, useState } from "react";
import { Controller, useFieldArray, useForm, useWatch } from "react-hook-form";
import type { FieldPath, RegisterOptions } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation } from "urql";

import { graphql } from "../../gql";
import type { CreateInvoiceMutation, InvoiceFrame, InvoiceInput } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatAmount } from "../../lib/format";
import { compactIban, ibanProblem } from "../../lib/iban";
import { computeTotals, decimalPlaces, normalizeDecimal, parseDecimal } from "../../lib/totals";
import {
  CATEGORIES,
  isRated,
  mixesNotSubject,
  needsBuyerVat,
  needsDeliveryDate,
  needsReason,
  takesReason,
} from "../../lib/vatCategories";
import { CreditNoteOrigin } from "./CreditNoteOrigin";
import type { FormValues, LineValues } from "./invoiceFormValues";
import { emptyLine, emptyPreceding } from "./invoiceFormValues";
import type { Attempt } from "./idempotency";
import { keyFor, withKey } from "./idempotency";
import type { Problem } from "./Problems";
import { ProblemList } from "./Problems";
import { NO_ADDRESSING, RecipientPicker, requirements } from "./RecipientPicker";

const Create = graphql(`
  mutation CreateInvoice($input: InvoiceInput!) {
    createInvoice(input: $input) {
      invoice {
        id
        number
        status
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

const FRAMES: readonly InvoiceFrame[] = [
  "A1_FACTURE_FOURNISSEUR",
  "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
  "A9_FACTURE_SOUSTRAITANT",
  "A12_FACTURE_COTRAITANT",
];
// A subcontractor's (A9) or co-contractor's (A12) invoice is validated first by the main contractor.
const VALIDATED: ReadonlySet<InvoiceFrame> = new Set(["A9_FACTURE_SOUSTRAITANT", "A12_FACTURE_COTRAITANT"]);
const VAT_ID = /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/;
const compact = (text: string) => text.replace(/[\s.\-]/g, "").toUpperCase();

type LinePath = `lines.${number}.${keyof LineValues}`;

const NUMBER = /^[A-Za-z0-9_/+-]{1,20}$/;
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function toInput(values: FormValues): InvoiceInput {
  const a = values.addressing;
  const categories = values.lines.map((l) => l.vatCategory);
  const credit = values.typeCode === "381";
  return {
    number: values.number.trim(),
    issueDate: values.issueDate,
    dueDate: values.dueDate || null,
    typeCode: values.typeCode,
    frame: values.frame,
    // Only what is shown is sent: a validator typed for A9 and left when going back to A1 is not.
    validatorIdentifier: VALIDATED.has(values.frame) ? values.validatorIdentifier.replace(/\s/g, "") || null : null,
    recipientIdentifier: a.recipient?.identifier ?? "",
    serviceCode: a.serviceCode || null,
    engagementNumber: a.engagementNumber.trim() || null,
    paymentTerms: values.paymentTerms.trim() || null,
    note: values.note.trim() || null,
    iban: compactIban(values.iban) || null,
    buyerVatIdentifier: needsBuyerVat(categories) ? values.buyerVatIdentifier.trim() || null : null,
    deliveryDate: needsDeliveryDate(categories) ? values.deliveryDate || null : null,
    precedingInvoices: credit
      ? values.precedingInvoices
          .filter((p) => p.number.trim())
          .map((p) => ({ number: p.number.trim(), issueDate: p.issueDate || null }))
      : null,
    lines: values.lines.map((l) => ({
      itemName: l.itemName.trim(),
      quantity: normalizeDecimal(l.quantity) ?? l.quantity,
      netPrice: normalizeDecimal(l.netPrice) ?? l.netPrice,
      vatRate: isRated(l.vatCategory) ? (normalizeDecimal(l.vatRate) ?? l.vatRate) : null,
      vatCategory: l.vatCategory,
      vatExemptionReason: takesReason(l.vatCategory) ? l.vatExemptionReason.trim() || null : null,
    })),
  };
}

// The form's own names for the hub's input paths: ["input", "lines", "0", "quantity"] is lines.0.quantity.
const FORM_FIELDS = new Set([
  "number",
  "issueDate",
  "dueDate",
  "paymentTerms",
  "note",
  "iban",
  "validatorIdentifier",
  "buyerVatIdentifier",
  "deliveryDate",
]);
const LINE_FIELDS = new Set(["itemName", "quantity", "netPrice", "vatRate", "vatCategory", "vatExemptionReason"]);

export function formPath(field: readonly string[] | null | undefined): FieldPath<FormValues> | null {
  const path = (field ?? []).filter((p) => p !== "input");
  const [head, index, leaf] = path;
  if (head && FORM_FIELDS.has(head) && path.length === 1) return head as FieldPath<FormValues>;
  if (head === "lines" && index && /^\d+$/.test(index) && leaf) {
    // The form has no field for the code: the reason's text is where an exemption is typed.
    const name = leaf === "vatExemptionReasonCode" ? "vatExemptionReason" : leaf;
    if (LINE_FIELDS.has(name)) return `lines.${Number(index)}.${name as keyof LineValues}`;
  }
  if (head === "precedingInvoices" && index && /^\d+$/.test(index) && (leaf === "number" || leaf === "issueDate")) {
    return `precedingInvoices.${Number(index)}.${leaf}`;
  }
  return null;
}

export function InvoiceForm() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [result, setResult] = useState<CreateInvoiceMutation["createInvoice"] | null>(null);
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [lost, setLost] = useState<string | null>(null);
  const [state, create] = useMutation(Create);
  const attempt = useRef<Attempt | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitted },
  } = useForm<FormValues>({
    defaultValues: {
      number: "",
      issueDate: today(),
      dueDate: "",
      typeCode: "380",
      frame: "A1_FACTURE_FOURNISSEUR",
      validatorIdentifier: "",
      addressing: NO_ADDRESSING,
      paymentTerms: "",
      note: "",
      iban: "",
      buyerVatIdentifier: "",
      deliveryDate: "",
      precedingInvoices: [emptyPreceding()],
      lines: [emptyLine()],
    },
    shouldFocusError: true,
  });
  const { fields, append, remove } = useFieldArray({ control, name: "lines" });
  const lines = useWatch({ control, name: "lines" });
  const frame = useWatch({ control, name: "frame" });
  const typeCode = useWatch({ control, name: "typeCode" });
  const categories = lines.map((l) => l.vatCategory);
  const totals = computeTotals(lines);
  const money = (value: string) => formatAmount(value, "EUR", locale);

  const decimal = (places: number, min?: number, max?: number) => (text: string) => {
    const value = parseDecimal(text);
    if (!text.trim()) return t("deposit.form.errors.required");
    if (!value) return t("deposit.form.errors.number");
    if (decimalPlaces(text) > places) return t("deposit.form.errors.places", { places });
    const number = Number(normalizeDecimal(text));
    if (min !== undefined && number < min) return max !== undefined ? t("deposit.form.errors.rate") : t("deposit.form.errors.positive");
    if (max !== undefined && number >= max) return t("deposit.form.errors.rate");
    return true;
  };

  const onSubmit = async (values: FormValues) => {
    const input = toInput(values);
    attempt.current = keyFor(attempt.current, JSON.stringify(input));
    setLost(null);
    setServerProblems([]);
    const answer = await create({ input }, withKey(attempt.current.key));
    if (!answer.data) {
      setLost(answer.error?.message ?? "");
      return;
    }
    attempt.current = null;
    const payload = answer.data.createInvoice;
    setResult(payload);
    for (const error of payload.userErrors) {
      const path = formPath(error.field);
      if (path) setError(path, { type: "server", message: error.message });
    }
    setServerProblems(payload.userErrors);
  };

  if (result?.invoice) {
    const invoice = result.invoice;
    return (
      <section aria-labelledby="form-title" className="deposit">
        <h1 id="form-title">{t("deposit.form.title")}</h1>
        <div className="outcome ok" role="status">
          <p>{t("deposit.file.deposited", { number: invoice.number, status: t(`status.${invoice.status}`) })}</p>
          <p>
            <Link to={`/factures/${encodeURIComponent(invoice.id)}`}>{t("deposit.file.open", { number: invoice.number })}</Link>
          </p>
          <button
            type="button"
            onClick={() => {
              setResult(null);
              setServerProblems([]);
              reset();
            }}
          >
            {t("deposit.file.another")}
          </button>
        </div>
      </section>
    );
  }

  const fieldError = (message: string | undefined, id: string) =>
    message ? (
      <p id={id} className="field-error" role="alert">
        {message}
      </p>
    ) : null;
  const invalid = (message: string | undefined, id: string) =>
    message ? { "aria-invalid": true as const, "aria-describedby": id } : {};

  return (
    <section aria-labelledby="form-title" className="deposit">
      <div className="list-head">
        <h1 id="form-title">{t("deposit.form.title")}</h1>
        <Link to="/deposer">{t("deposit.form.fileLink")}</Link>
      </div>
      <p className="muted">{t("deposit.form.intro")}</p>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <fieldset>
          <legend>{t("deposit.form.general")}</legend>
          <div className="grid-fields">
            <div className="field">
              <label htmlFor="f-number">{t("deposit.form.number")}</label>
              <input
                id="f-number"
                autoComplete="off"
                aria-describedby="f-number-hint"
                {...invalid(errors.number?.message, "f-number-error f-number-hint")}
                {...register("number", {
                  required: t("deposit.form.errors.required"),
                  pattern: { value: NUMBER, message: t("deposit.form.errors.numberFormat") },
                })}
              />
              <span id="f-number-hint" className="muted small">
                {t("deposit.form.numberHint")}
              </span>
              {fieldError(errors.number?.message, "f-number-error")}
            </div>
            <div className="field">
              <label htmlFor="f-issue">{t("deposit.form.issueDate")}</label>
              <input
                id="f-issue"
                type="date"
                {...invalid(errors.issueDate?.message, "f-issue-error")}
                {...register("issueDate", { required: t("deposit.form.errors.required") })}
              />
              {fieldError(errors.issueDate?.message, "f-issue-error")}
            </div>
            <div className="field">
              <label htmlFor="f-due">
                {t("deposit.form.dueDate")} <span className="muted small">({t("deposit.common.optional")})</span>
              </label>
              <input id="f-due" type="date" {...invalid(errors.dueDate?.message, "f-due-error")} {...register("dueDate")} />
              {fieldError(errors.dueDate?.message, "f-due-error")}
            </div>
            <div className="field">
              <label htmlFor="f-type">{t("deposit.form.typeCode")}</label>
              <select id="f-type" {...register("typeCode")}>
                <option value="380">{t("deposit.form.invoice")}</option>
                <option value="381">{t("deposit.form.creditNote")}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-frame">{t("deposit.form.frame")}</label>
              <select id="f-frame" aria-describedby="f-frame-hint" {...register("frame")}>
                {FRAMES.map((f) => (
                  <option key={f} value={f}>
                    {t(`invoices.frame.${f}`)}
                  </option>
                ))}
              </select>
              <span id="f-frame-hint" className="muted small">
                {t("deposit.form.frameHint")}
              </span>
            </div>
            {VALIDATED.has(frame) && (
              <div className="field">
                <label htmlFor="f-validator">{t("deposit.form.validatorIdentifier")}</label>
                <input
                  id="f-validator"
                  autoComplete="off"
                  aria-describedby="f-validator-hint"
                  {...invalid(errors.validatorIdentifier?.message, "f-validator-error f-validator-hint")}
                  {...register("validatorIdentifier", {
                    validate: (value, values) => {
                      // Its SIRET, or the identifier of a main contractor outside France: the hub looks it up.
                      return !VALIDATED.has(values.frame) || !!value.trim() || t("deposit.form.errors.validatorRequired");
                    },
                  })}
                />
                <span id="f-validator-hint" className="muted small">
                  {t("deposit.form.validatorHint")}
                </span>
                {fieldError(errors.validatorIdentifier?.message, "f-validator-error")}
              </div>
            )}
          </div>
        </fieldset>

        {typeCode === "381" && (
          <CreditNoteOrigin control={control} register={register} errors={errors} invalid={invalid} fieldError={fieldError} />
        )}

        <Controller
          control={control}
          name="addressing"
          rules={{
            validate: (a) => {
              if (!a.recipient) return t("deposit.form.errors.recipient");
              const needs = requirements(a);
              if (needs.service && !a.serviceCode) return t("deposit.form.errors.service");
              if (needs.engagement && !a.engagementNumber.trim()) return t("deposit.form.errors.engagement");
              if (needs.either && !a.serviceCode && !a.engagementNumber.trim()) {
                return t("deposit.form.errors.serviceOrEngagement");
              }
              return true;
            },
          }}
          render={({ field, fieldState }) => {
            const message = fieldState.error?.message;
            const needs = requirements(field.value);
            const errorsFor = {
              recipient: !field.value.recipient ? message : undefined,
              serviceCode:
                field.value.recipient && needs.service && !field.value.serviceCode ? message : undefined,
              engagementNumber:
                field.value.recipient && (needs.engagement || needs.either) && !field.value.engagementNumber.trim()
                  ? message
                  : undefined,
            };
            return <RecipientPicker value={field.value} onChange={field.onChange} errors={errorsFor} required />;
          }}
        />

        <fieldset>
          <legend>{t("deposit.form.lines")}</legend>
          <table className="invoices line-editor">
            <thead>
              <tr>
                <th scope="col">{t("deposit.form.itemName")}</th>
                <th scope="col">{t("deposit.form.quantity")}</th>
                <th scope="col">{t("deposit.form.netPrice")}</th>
                <th scope="col">{t("deposit.form.vatRate")}</th>
                <th scope="col">{t("deposit.form.vatCategory")}</th>
                <th scope="col" className="num">
                  {t("deposit.form.lineNet")}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t("deposit.validate.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fields.map((row, index) => {
                const n = index + 1;
                const lineErrors = errors.lines?.[index];
                const label = (what: string) => `${t(`deposit.form.${what}`)}, ${t("deposit.form.line", { n })}`;
                const cell = (name: keyof LineValues, options: RegisterOptions<FormValues, LinePath>, extra = {}) => {
                  const id = `l-${row.id}-${name}`;
                  const message = lineErrors?.[name]?.message;
                  return (
                    <>
                      <input
                        id={id}
                        aria-label={label(name)}
                        autoComplete="off"
                        {...extra}
                        {...invalid(message, `${id}-error`)}
                        {...register(`lines.${index}.${name}`, options)}
                      />
                      {fieldError(message, `${id}-error`)}
                    </>
                  );
                };
                const category = lines[index]?.vatCategory ?? "S";
                const categoryId = `l-${row.id}-vatCategory`;
                const categoryError = lineErrors?.vatCategory?.message;
                const reasonId = `l-${row.id}-vatExemptionReason`;
                const reasonError = lineErrors?.vatExemptionReason?.message;
                return (
                  <Fragment key={row.id}>
                  <tr data-testid="line">
                    <td>{cell("itemName", { required: t("deposit.form.errors.required") })}</td>
                    <td>{cell("quantity", { validate: decimal(6) }, { inputMode: "decimal", className: "narrow" })}</td>
                    <td>{cell("netPrice", { validate: decimal(6, 0) }, { inputMode: "decimal", className: "narrow" })}</td>
                    <td>
                      {isRated(category) ? (
                        cell(
                          "vatRate",
                          { validate: (text, values) => (isRated(values.lines[index]?.vatCategory ?? "S") ? decimal(2, 0, 100)(text) : true) },
                          { inputMode: "decimal", className: "narrow" },
                        )
                      ) : (
                        <span data-testid="line-rate">{category === "O" ? t("deposit.form.noRate") : "0 %"}</span>
                      )}
                    </td>
                    <td>
                      <select
                        id={categoryId}
                        aria-label={label("vatCategory")}
                        {...invalid(categoryError, `${categoryId}-error`)}
                        {...register(`lines.${index}.vatCategory`, {
                          validate: (value, values) =>
                            value !== "O" && mixesNotSubject(values.lines.map((l) => l.vatCategory))
                              ? t("deposit.form.errors.notSubjectAlone")
                              : true,
                        })}
                      >
                        {CATEGORIES.map((c) => (
                          <option key={c} value={c}>
                            {t(`deposit.form.categories.${c}`)}
                          </option>
                        ))}
                      </select>
                      {fieldError(categoryError, `${categoryId}-error`)}
                    </td>
                    <td className="num" data-testid="line-net">
                      {totals.lineNets[index] != null ? money(totals.lineNets[index] ?? "0") : "—"}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        disabled={fields.length === 1}
                        onClick={() => remove(index)}
                        aria-label={t("deposit.form.removeLine", { n })}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                  {takesReason(category) && (
                    <tr className="line-extra" data-testid="line-reason">
                      <td colSpan={7}>
                        <div className="field">
                          <label htmlFor={reasonId}>
                            {t("deposit.form.exemptionReason", { n })}
                            {!needsReason(category) && (
                              <>
                                {" "}
                                <span className="muted small">({t("deposit.common.optional")})</span>
                              </>
                            )}
                          </label>
                          <input
                            id={reasonId}
                            autoComplete="off"
                            maxLength={500}
                            aria-describedby={`${reasonId}-hint`}
                            {...invalid(reasonError, `${reasonId}-error ${reasonId}-hint`)}
                            {...register(`lines.${index}.vatExemptionReason`, {
                              validate: (value, values) => {
                                const all = values.lines;
                                if (!needsReason(all[index]?.vatCategory ?? "S") || value.trim()) return true;
                                // The lines of one category share one reason: another E line may give it.
                                const given = all.some((l) => l.vatCategory === "E" && l.vatExemptionReason.trim());
                                return given || t("deposit.form.errors.exemptionRequired");
                              },
                            })}
                          />
                          <span id={`${reasonId}-hint`} className="muted small">
                            {t(needsReason(category) ? "deposit.form.exemptionHintE" : "deposit.form.exemptionHint")}
                          </span>
                          {fieldError(reasonError, `${reasonId}-error`)}
                        </div>
                      </td>
                    </tr>
                  )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
          <p>
            <button type="button" onClick={() => append(emptyLine())}>
              + {t("deposit.form.addLine")}
            </button>
          </p>
          {(needsBuyerVat(categories) || needsDeliveryDate(categories)) && (
            <div className="grid-fields">
              {needsBuyerVat(categories) && (
                <div className="field">
                  <label htmlFor="f-buyer-vat">{t("deposit.form.buyerVatIdentifier")}</label>
                  <input
                    id="f-buyer-vat"
                    autoComplete="off"
                    aria-describedby="f-buyer-vat-hint"
                    {...invalid(errors.buyerVatIdentifier?.message, "f-buyer-vat-error f-buyer-vat-hint")}
                    {...register("buyerVatIdentifier", {
                      validate: (value, values) => {
                        if (!needsBuyerVat(values.lines.map((l) => l.vatCategory))) return true;
                        if (!value.trim()) return t("deposit.form.errors.buyerVatRequired");
                        return VAT_ID.test(compact(value)) || t("deposit.form.errors.vatFormat");
                      },
                    })}
                  />
                  <span id="f-buyer-vat-hint" className="muted small">
                    {t("deposit.form.buyerVatHint")}
                  </span>
                  {fieldError(errors.buyerVatIdentifier?.message, "f-buyer-vat-error")}
                </div>
              )}
              {needsDeliveryDate(categories) && (
                <div className="field">
                  <label htmlFor="f-delivery">{t("deposit.form.deliveryDate")}</label>
                  <input
                    id="f-delivery"
                    type="date"
                    aria-describedby="f-delivery-hint"
                    {...invalid(errors.deliveryDate?.message, "f-delivery-error f-delivery-hint")}
                    {...register("deliveryDate", {
                      validate: (value, values) =>
                        !needsDeliveryDate(values.lines.map((l) => l.vatCategory)) ||
                        !!value ||
                        t("deposit.form.errors.deliveryRequired"),
                    })}
                  />
                  <span id="f-delivery-hint" className="muted small">
                    {t("deposit.form.deliveryHint")}
                  </span>
                  {fieldError(errors.deliveryDate?.message, "f-delivery-error")}
                </div>
              )}
            </div>
          )}
        </fieldset>

        <div className="cards">
          <section className="card" aria-labelledby="h-breakdown">
            <h2 id="h-breakdown">{t("deposit.form.breakdown")}</h2>
            <table className="plain" data-testid="breakdown">
              <thead>
                <tr>
                  <th scope="col">{t("deposit.form.vatCategory")}</th>
                  <th scope="col" className="num">
                    {t("deposit.form.base")}
                  </th>
                  <th scope="col" className="num">
                    {t("deposit.form.tax")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {totals.breakdown.map((g) => (
                  <tr key={`${g.category}-${g.rate ?? ""}`}>
                    <th scope="row">
                      {g.category}
                      {g.rate != null && ` ${g.rate.replace(/\.?0+$/, "").replace(".", locale === "fr" ? "," : ".") || "0"} %`}
                    </th>
                    <td className="num">{money(g.taxable)}</td>
                    <td className="num">{money(g.tax)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="h-form-totals">
            <h2 id="h-form-totals">{t("deposit.form.totals")}</h2>
            <dl className="totals" aria-live="polite" data-testid="totals">
              <dt>{t("deposit.form.withoutVat")}</dt>
              <dd data-testid="total-without-vat">{money(totals.withoutVat)}</dd>
              <dt>{t("deposit.form.vat")}</dt>
              <dd data-testid="total-vat">{money(totals.vat)}</dd>
              <dt>{t("deposit.form.withVat")}</dt>
              <dd data-testid="total-with-vat">
                <strong>{money(totals.withVat)}</strong>
              </dd>
            </dl>
            {!totals.complete && <p className="muted small">{t("deposit.form.incomplete")}</p>}
          </section>
        </div>

        <fieldset>
          <legend>{t("deposit.form.payment")}</legend>
          <div className="grid-fields">
            <div className="field">
              <label htmlFor="f-terms">{t("deposit.form.paymentTerms")}</label>
              <input id="f-terms" maxLength={500} {...register("paymentTerms")} />
            </div>
            <div className="field">
              <label htmlFor="f-iban">
                {t("deposit.form.iban")} <span className="muted small">({t("deposit.common.optional")})</span>
              </label>
              <input
                id="f-iban"
                autoComplete="off"
                spellCheck={false}
                aria-describedby="f-iban-hint"
                {...invalid(errors.iban?.message, "f-iban-error f-iban-hint")}
                {...register("iban", {
                  validate: (value) => {
                    if (!value.trim()) return true;
                    const problem = ibanProblem(value);
                    return problem === null || t(`deposit.form.errors.iban.${problem}`);
                  },
                })}
              />
              <span id="f-iban-hint" className="muted small">
                {t("deposit.form.ibanHint")}
              </span>
              {fieldError(errors.iban?.message, "f-iban-error")}
            </div>
            <div className="field">
              <label htmlFor="f-note">{t("deposit.form.note")}</label>
              <textarea id="f-note" rows={2} maxLength={1000} {...register("note")} />
            </div>
          </div>
        </fieldset>

        {isSubmitted && Object.keys(errors).length > 0 && serverProblems.length === 0 && (
          <p role="alert" className="field-error">
            {t("deposit.form.fixFields")}
          </p>
        )}
        {serverProblems.length > 0 && (
          <div className="outcome bad" role="alert">
            <p>
              <strong>{t("deposit.form.refused", { count: serverProblems.length })}</strong>
            </p>
            <ProblemList problems={serverProblems} />
          </div>
        )}
        {lost !== null && (
          <p role="alert" className="field-error">
            {t("deposit.file.retry")} {lost}
          </p>
        )}
        <p>
          <button type="submit" className="primary" disabled={state.fetching}>
            {state.fetching ? t("deposit.form.submitting") : t("deposit.form.submit")}
          </button>
        </p>
      </form>
    </section>
  );
}
