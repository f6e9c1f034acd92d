// The supplier re-routes an invoice the recipient sent back (A_RECYCLER): same number, a new recipient,
// service or engagement number; each part left empty keeps the current one.
import type { FormEvent } from "react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";

import type { Addressing } from "../deposit/RecipientPicker";
import { NO_ADDRESSING, RecipientPicker } from "../deposit/RecipientPicker";
import { RecycleInvoice } from "./mutations";

export function RecycleForm({ invoiceId, version, reload }: { invoiceId: string; version: number; reload: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const client = useClient();
  const [addressing, setAddressing] = useState<Addressing>(NO_ADDRESSING);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const answer = await client
      .mutation(RecycleInvoice, {
        input: {
          invoiceId,
          recipientIdentifier: addressing.recipient?.identifier ?? null,
          serviceCode: addressing.serviceCode.trim() || null,
          engagementNumber: addressing.engagementNumber.trim() || null,
          version,
        },
      })
      .toPromise();
    setBusy(false);
    const error = answer.data?.recycleInvoice.userErrors[0];
    if (error?.code === "CONFLICT") setConflict(true);
    else if (answer.error || error) setProblem(answer.error?.message ?? error?.message ?? "");
    else reload();
  };

  return (
    <section className="card recycle" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("invoices.recycle.title")}</h2>
      <p className="muted">{t("invoices.recycle.hint")}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <RecipientPicker value={addressing} onChange={setAddressing} />
        {conflict && (
          <div role="alert" className="conflict">
            <p>
              <strong>{t("invoices.conflictTitle")}</strong> {t("invoices.conflict")}
            </p>
            <button type="button" onClick={() => (setConflict(false), reload())}>
              {t("invoices.reload")}
            </button>
          </div>
        )}
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("invoices.working") : t("invoices.recycle.send")}
        </button>
      </form>
    </section>
  );
}
