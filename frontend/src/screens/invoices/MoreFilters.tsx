// The filters beyond search and status, applied together (one history entry), checked before they are sent.
import type { FormEvent } from "react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";

import type { ListState, Side, TextFilter } from "../../lib/invoiceList";
import { invalidFilters } from "../../lib/invoiceList";
import { ServiceFilter } from "./ServiceFilter";

const FIELDS: { name: TextFilter; type: "text" | "date"; inputMode?: "decimal" | "numeric" }[] = [
  { name: "counterpart", type: "text", inputMode: "numeric" },
  { name: "number", type: "text" },
  { name: "service", type: "text" },
  { name: "engagement", type: "text" },
  { name: "issuedFrom", type: "date" },
  { name: "issuedTo", type: "date" },
  { name: "depositedFrom", type: "date" },
  { name: "depositedTo", type: "date" },
  { name: "min", type: "text", inputMode: "decimal" },
  { name: "max", type: "text", inputMode: "decimal" },
];

type Values = Partial<Record<TextFilter, string>>;

function valuesOf(state: ListState): Values {
  return Object.fromEntries(FIELDS.map((f) => [f.name, state.text[f.name]]));
}

export function MoreFilters({ side, state, apply }: { side: Side; state: ListState; apply: (next: ListState) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<Values>(() => valuesOf(state));
  const [invalid, setInvalid] = useState<TextFilter[]>([]);
  const active = FIELDS.filter((f) => state.text[f.name]).length;
  const [openAtFirst] = useState(active > 0); // open when a link brings filters; then the person decides
  const shown = FIELDS.map((f) => state.text[f.name]).join("\u0000");
  // The back button changes the address: the form follows it.
  useEffect(() => {
    setValues(valuesOf(state));
    setInvalid([]);
  }, [shown]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = { ...state, text: { ...state.text, ...values } };
    const bad = invalidFilters(next);
    setInvalid(bad);
    if (bad.length === 0) apply(next);
  };
  const clear = () => {
    const emptied = Object.fromEntries(FIELDS.map((f) => [f.name, ""])) as Values;
    setValues(emptied);
    setInvalid([]);
    apply({ ...state, text: { ...state.text, ...emptied } });
  };

  return (
    <details className="more-filters" open={openAtFirst || undefined}>
      <summary>
        {t("invoices.more")}
        {active > 0 && <span className="badge-count"> {t("invoices.activeFilters", { count: active })}</span>}
      </summary>
      <form onSubmit={submit} noValidate>
        <div className="filter-grid">
          {FIELDS.map((f) => {
            const bad = invalid.includes(f.name);
            const label =
              f.name === "counterpart" ? t(`invoices.filter.counterpart.${side}`) : t(`invoices.filter.${f.name}`);
            if (f.name === "service") {
              return (
                <div key={f.name} className="field">
                  <ServiceFilter
                    id={`${id}-${f.name}`}
                    side={side}
                    value={values.service ?? ""}
                    onChange={(service) => setValues({ ...values, service })}
                  />
                </div>
              );
            }
            return (
              <div key={f.name} className="field">
                <label htmlFor={`${id}-${f.name}`}>{label}</label>
                <input
                  id={`${id}-${f.name}`}
                  type={f.type}
                  inputMode={f.inputMode}
                  value={values[f.name] ?? ""}
                  aria-invalid={bad || undefined}
                  aria-describedby={bad ? `${id}-${f.name}-error` : undefined}
                  onChange={(event) => setValues({ ...values, [f.name]: event.target.value })}
                />
                {bad && (
                  <span id={`${id}-${f.name}-error`} className="error small">
                    {f.type === "date" ? t("invoices.filter.badDate") : t("invoices.filter.badAmount")}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        {invalid.length > 0 && (
          <p role="alert" className="error">
            {t("invoices.filter.invalid", { count: invalid.length })}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            {t("invoices.apply")}
          </button>
          <button type="button" onClick={clear} disabled={active === 0}>
            {t("invoices.clear")}
          </button>
        </div>
      </form>
    </details>
  );
}
