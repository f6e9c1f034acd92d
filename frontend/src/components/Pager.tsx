// Previous / next over keyset cursors, the page number read out as it changes. `summary` (a total) goes
// before the buttons; `hideAlone` drops the whole pager when everything fits on one page. No pageInfo yet
// (the first page still loading): no pager.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { graphql } from "../gql";
import type { Cursors } from "./useCursors";

// What a list asks of its page for this pager.
graphql(`
  fragment NextPage on PageInfo {
    hasNextPage
    endCursor
  }
`);

export interface PageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

export function Pager({
  cursors,
  pageInfo,
  summary,
  hideAlone = false,
}: {
  cursors: Cursors;
  pageInfo: PageInfo | null | undefined;
  summary?: ReactNode;
  hideAlone?: boolean;
}) {
  const { t } = useTranslation();
  const endCursor = pageInfo?.endCursor;
  const canNext = Boolean(pageInfo?.hasNextPage && endCursor);
  if (!pageInfo && !hideAlone) return null;
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
