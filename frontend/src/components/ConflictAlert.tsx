// Someone else changed the invoice meanwhile: said plainly, with the reload that shows what they did.
import { useTranslation } from "react-i18next";

export function ConflictAlert({ onReload, primary = false }: { onReload: () => void; primary?: boolean }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="conflict">
      <p>
        <strong>{t("invoices.conflictTitle")}</strong> {t("invoices.conflict")}
      </p>
      <button type="button" className={primary ? "primary" : undefined} onClick={onReload}>
        {t("invoices.reload")}
      </button>
    </div>
  );
}
