// An administration list in its four states: loading, failed, empty, or the table of its rows (marked busy
// while another page loads). The heading the section shows labels the table.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function ListTable<N>({
  labelledBy,
  columns,
  page,
  fetching,
  error,
  empty,
  row,
}: {
  labelledBy: string;
  columns: readonly string[];
  page: { nodes: readonly N[] } | undefined;
  fetching: boolean;
  error: { message: string } | undefined;
  empty: string;
  row: (node: N) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error && <p role="alert">{t("admin.loadError", { message: error.message })}</p>}
      {!page && fetching && <p role="status">{t("admin.loading")}</p>}
      {page && page.nodes.length === 0 && <p className="empty">{empty}</p>}
      {page && page.nodes.length > 0 && (
        <table className="admin-table" aria-labelledby={labelledBy} aria-busy={fetching}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{page.nodes.map(row)}</tbody>
        </table>
      )}
    </>
  );
}
