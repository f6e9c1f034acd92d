// The supplier answers a suspension: a comment and/or documents, sent as one multipart request.
import type { FormEvent } from "react";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";

import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemText } from "../../components/ProblemText";
import { useVersionedChange } from "../../components/useVersionedChange";

import { CompleteInvoice } from "./mutations";

export function CompleteForm({ invoiceId, version, reload }: { invoiceId: string; version: number; reload: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [comment, setComment] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const change = useVersionedChange();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim() && files.length === 0) {
      change.setProblem(t("invoices.complete.empty"));
      return;
    }
    setBusy(true);
    change.setProblem(null);
    const answer = await client
      .mutation(CompleteInvoice, {
        input: { invoiceId, comment: comment.trim() || null, attachments: files.length ? files : null, version },
      })
      .toPromise();
    setBusy(false);
    const error = answer.data?.completeInvoice.userErrors[0];
    if (change.judge(answer.error, error)) {
      setComment("");
      setFiles([]);
      if (input.current) input.current.value = "";
      reload();
    }
  };

  return (
    <section className="card complete" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("invoices.complete.title")}</h2>
      <p className="muted">{t("invoices.complete.hint")}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor={`${id}-comment`}>{t("invoices.complete.comment")}</label>
        <textarea id={`${id}-comment`} rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />
        <label htmlFor={`${id}-files`}>{t("invoices.complete.files")}</label>
        <input
          ref={input}
          id={`${id}-files`}
          type="file"
          multiple
          accept=".pdf,.png,.jpg,.jpeg,.xml,.csv,.txt,.xlsx,.docx,.odt,.ods,.zip"
          onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
        />
        {files.length > 0 && (
          <ul className="small">
            {files.map((f) => (
              <li key={f.name}>{f.name}</li>
            ))}
          </ul>
        )}
        {change.conflict && <ConflictAlert onReload={() => (change.dismissConflict(), reload())} />}
        <ProblemText>{change.problem}</ProblemText>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("invoices.working") : t("invoices.complete.send")}
        </button>
      </form>
    </section>
  );
}
