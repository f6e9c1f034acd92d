// The administration's lists: twenty rows a page, the shared pager with the list's total before it.
import { useTranslation } from "react-i18next";

import { Pager as SharedPager } from "../../components/Pager";
import type { Cursors } from "../../components/useCursors";
import { useLocale } from "../../i18n";
import { formatCount } from "../../lib/format";

export const ADMIN_PAGE_SIZE = 20;

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
  const summary = total != null && (
    <span className="muted">{t("admin.total", { count: total, formatted: formatCount(total, locale) })}</span>
  );
  return <SharedPager cursors={cursors} hasNext={hasNext} endCursor={endCursor} summary={summary} />;
}
