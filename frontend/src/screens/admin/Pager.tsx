// The administration's lists: twenty rows a page, the shared pager with the list's total before it.
import { useTranslation } from "react-i18next";

import type { PageInfo } from "../../components/Pager";
import { Pager as SharedPager } from "../../components/Pager";
import type { Cursors } from "../../components/useCursors";
import { useLocale } from "../../i18n";
import { formatCount } from "../../lib/format";

export const ADMIN_PAGE_SIZE = 20;

export function Pager({
  cursors,
  page,
}: {
  cursors: Cursors;
  page: { pageInfo: PageInfo; totalCount?: number | null } | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = page?.totalCount;
  const summary = total != null && (
    <span className="muted">{t("admin.total", { count: total, formatted: formatCount(total, locale) })}</span>
  );
  return <SharedPager cursors={cursors} pageInfo={page?.pageInfo} summary={summary} />;
}
