// The administration's lists: keyset paging (the cursors of the pages before this one, a total, two
// buttons) and the tags their cells show.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useLocale } from "../../i18n";
import { formatCount } from "../../lib/format";

export const ADMIN_PAGE_SIZE = 20;

export interface Cursors {
  after: string | null;
  page: number;
  next: (endCursor: string | null | undefined) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursors(): Cursors {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1] ?? null,
    page: stack.length,
    next: (end) => {
      if (end) setStack((s) => [...s, end]);
    },
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}

export function Pager({
  cursors,
  hasNext,
  endCursor,
  total,
}: {
  cursors: Cursors;
  hasNext: boolean;
  endCursor: string | null | undefined;
  total: number | null | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="pager">
      {total != null && (
        <span className="muted">{t("admin.total", { count: total, formatted: formatCount(total, locale) })}</span>
      )}
      <button type="button" disabled={cursors.page === 1} onClick={cursors.previous}>
        {t("admin.previous")}
      </button>
      <span>{t("admin.page", { page: cursors.page })}</span>
      <button type="button" disabled={!hasNext} onClick={() => cursors.next(endCursor)}>
        {t("admin.next")}
      </button>
    </div>
  );
}

/** Short machine words (scopes, grant types) that wrap between, never inside. */
export function Tags({ items }: { items: readonly string[] }) {
  return (
    <span className="tags">
      {items.map((item) => (
        <code key={item}>{item}</code>
      ))}
    </span>
  );
}
