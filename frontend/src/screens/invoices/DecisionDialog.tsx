// A modal to confirm a decision, with its reason: the native <dialog> in modal mode makes the rest of the
// page inert, closes on Escape, and gives focus back to the button that opened it; Tab cycles inside it.
import type { FormEvent, KeyboardEvent } from "react";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

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
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  // The native modal lets Tab leave for the browser's own controls: keep it cycling inside.
  const trap = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== "Tab" || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>("textarea, button:not([disabled]), input, select")];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonRequired && !reason.trim()) {
      setMissing(true);
      return;
    }
    onConfirm(reason.trim());
  };

  return (
    <dialog
      ref={dialog}
      className="decision"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-hint`}
      onKeyDown={trap}
      onCancel={(event) => {
        event.preventDefault(); // Escape: close through React so the state follows
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
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
          autoFocus
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
    </dialog>
  );
}
