// Previous / next over keyset cursors: the caller keeps the stack of cursors.
import { useTranslation } from "react-i18next";

export function Pager(props: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  if (!props.hasPrevious && !props.hasNext) return null;
  return (
    <div className="pager">
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        {t("deposit.common.previous")}
      </button>
      <span aria-live="polite">{t("deposit.common.page", { page: props.page })}</span>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        {t("deposit.common.next")}
      </button>
    </div>
  );
}
