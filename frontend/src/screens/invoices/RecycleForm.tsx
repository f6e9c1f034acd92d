// The supplier re-routes an invoice the recipient sent back (A_RECYCLER): same number, a new recipient,
// service or engagement number; each part left empty keeps the current one.
import type { FormEvent } from "react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";

import { ConflictAlert } from "../../components/ConflictAlert";
import { ProblemText } from "../../components/ProblemText";
import { useVersionedChange } from "../../components/useVersionedChange";
import type { Addressing } from "../deposit/RecipientPicker";
import { NO_ADDRESSING, RecipientPicker } from "../deposit/RecipientPicker";
import { RecycleInvoice } from "./mutations";

export function RecycleForm({ invoiceId, version, reload }: { invoiceId: string; version: number; reload: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const client = useClient();
  const [addressing, setAddressing] = useState<Addressing>(NO_ADDRESSING);
  const [busy, setBusy] = useState(false);
  const change = useVersionedChange();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    change.setProblem(null);
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
    if (change.judge(answer.error, error)) reload();
  };

  return (
    <section className="card recycle" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("invoices.recycle.title")}</h2>
      <p className="muted">{t("invoices.recycle.hint")}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <RecipientPicker value={addressing} onChange={setAddressing} />
        {change.conflict && <ConflictAlert onReload={() => (change.dismissConflict(), reload())} />}
        <ProblemText>{change.problem}</ProblemText>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("invoices.working") : t("invoices.recycle.send")}
        </button>
      </form>
    </section>
  );
}
