// Previous / next over keyset cursors, the page number read out as it changes. `summary` (a total) goes
// before the buttons; `hideAlone` drops the whole pager when everything fits on one page.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Cursors } from "./useCursors";

export function Pager({
  cursors,
  hasNext,
  endCursor,
  summary,
  hideAlone = false,
}: {
  cursors: Cursors;
  hasNext: boolean;
  endCursor: string | null | undefined;
  summary?: ReactNode;
  hideAlone?: boolean;
}) {
  const { t } = useTranslation();
  const canNext = hasNext && Boolean(endCursor);
  if (hideAlone && cursors.page === 1 && !canNext) return null;
  return (
    <div className="pager">
      {summary}
      <button type="button" disabled={cursors.page === 1} onClick={cursors.previous}>
        {t("list.previous")}
      </button>
      <span aria-live="polite">{t("list.page", { page: cursors.page })}</span>
      <button type="button" disabled={!canNext} onClick={() => cursors.next(endCursor)}>
        {t("list.next")}
      </button>
    </div>
  );
}
