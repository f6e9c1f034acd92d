// A client secret, shown this once: a read-only field (select-all on focus, the fallback when the clipboard
// is out of reach) and a copy button; what happened is announced.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { Dialog } from "../../components/Dialog";


export function SecretDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  const field = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState("");

  const selectAll = () => field.current?.select();
  const copy = async () => {
    setSaid("");
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(secret);
      setSaid(t("admin.clients.copied"));
    } catch {
      field.current?.focus();
      selectAll();
      setSaid(t("admin.clients.copyFallback"));
    }
  };

  return (
    <Dialog title={t("admin.clients.secretTitle", { name })} onClose={onClose}>
      <p>{t("admin.clients.secretOnce")}</p>
      <div className="field">
        <label htmlFor="client-secret">{t("admin.clients.secret")}</label>
        <div className="secret">
          <input
            id="client-secret"
            data-testid="client-secret"
            ref={field}
            type="text"
            readOnly
            value={secret}
            spellCheck={false}
            autoComplete="off"
            onFocus={selectAll}
            onClick={selectAll}
          />
          <button type="button" className="primary" data-autofocus onClick={() => void copy()}>
            {t("admin.clients.copy")}
          </button>
        </div>
      </div>
      <p role="status" className="announce">
        {said}
      </p>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t("admin.clients.secretDone")}
        </button>
      </div>
    </Dialog>
  );
}
