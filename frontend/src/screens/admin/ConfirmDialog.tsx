// Are you sure? The administration's confirmation of a removal, a revocation or a rotation.
import { useTranslation } from "react-i18next";

import { Dialog } from "../../components/Dialog";

/** Are you sure? One sentence, a cancel and a confirm; the refusal (if any) is read out inside. */
export function ConfirmDialog({
  title,
  text,
  confirm,
  busy,
  problem,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirm: string;
  busy: boolean;
  problem: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog title={title} onClose={onClose} role="alertdialog">
      <p>{text}</p>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={onClose} data-autofocus>
          {problem ? t("admin.close") : t("admin.cancel")}
        </button>
        {!problem && (
          <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
            {confirm}
          </button>
        )}
      </div>
    </Dialog>
  );
}
