// A modal to confirm a decision, with its reason (required to refuse). While the decision is on its way,
// Escape does not close it.
import type { FormEvent } from "react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { Dialog } from "../../components/Dialog";

export function DecisionDialog({
  title,
  reasonRequired,
  busy,
  onConfirm,
  onClose,
}: {
  title: string;
  reasonRequired: boolean;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonRequired && !reason.trim()) {
      setMissing(true);
      return;
    }
    onConfirm(reason.trim());
  };

  return (
    <Dialog
      title={title}
      className="decision"
      describedBy={`${id}-hint`}
      onClose={() => {
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <p id={`${id}-hint`} className="muted small">
          {reasonRequired ? t("invoices.reasonHintRequired") : t("invoices.reasonHintOptional")}
        </p>
        <label htmlFor={`${id}-reason`}>
          {t("invoices.reason")}
          {reasonRequired ? ` (${t("invoices.required")})` : ""}
        </label>
        <textarea
          id={`${id}-reason`}
          rows={4}
          value={reason}
          data-autofocus
          required={reasonRequired}
          maxLength={1000}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-missing` : undefined}
          onChange={(event) => {
            setReason(event.target.value);
            setMissing(false);
          }}
        />
        {missing && (
          <p id={`${id}-missing`} role="alert" className="error">
            {t("invoices.reasonRequired")}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("invoices.working") : t("invoices.confirm")}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            {t("invoices.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
