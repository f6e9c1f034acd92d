// The export walks every page of the filtered list (100 at a time, the API's largest page), then writes one
// file for a French spreadsheet (lib/csv.ts).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { OperationResult } from "urql";
import { useClient } from "urql";

import type { InvoiceFilter, InvoiceRowFragment, InvoiceSort, ReceivedInvoicesQuery } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { dateCell, decimalCell, momentCell, textCell, toCsv } from "../../lib/csv";
import { formatCount } from "../../lib/format";
import type { Side } from "../../lib/invoiceList";
import { IssuedQuery, ReceivedQuery } from "./queries";

export function ExportButton({
  side,
  filter,
  sortBy,
  disabled,
}: {
  side: Side;
  filter: InvoiceFilter;
  sortBy: InvoiceSort;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const client = useClient();
  const [done, setDone] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async () => {
    setDone(0);
    setFailure(null);
    try {
      const all: InvoiceRowFragment[] = [];
      let cursor: string | null = null;
      for (;;) {
        const result: OperationResult<ReceivedInvoicesQuery> = await client
          .query(side === "received" ? ReceivedQuery : IssuedQuery, { first: 100, after: cursor, filter, sortBy }, {
            requestPolicy: "network-only",
          })
          .toPromise();
        const chunk = result.data?.workspace.invoices;
        if (!chunk) throw result.error ?? new Error("no data");
        all.push(...chunk.nodes);
        setDone(all.length);
        if (!chunk.pageInfo.hasNextPage || !chunk.pageInfo.endCursor) break;
        cursor = chunk.pageInfo.endCursor;
      }
      const header = [
        t("list.number"),
        t("invoices.csv.type"),
        t("list.supplier"),
        t("csv.supplierId"),
        t("list.recipient"),
        t("csv.recipientId"),
        t("detail.serviceCode"),
        t("detail.engagement"),
        t("list.issueDate"),
        t("list.depositedAt"),
        t("detail.withoutVat"),
        t("detail.vatTotal"),
        t("list.amount"),
        t("csv.currency"),
        t("list.status"),
      ];
      const rows = all.map((i) => [
        textCell(i.number),
        textCell(i.isCreditNote ? t("detail.creditNote") : t("detail.invoice")),
        textCell(i.supplier.name),
        textCell(i.supplier.identifier),
        textCell(i.recipient.name),
        textCell(i.recipient.identifier),
        textCell(i.serviceCode),
        textCell(i.engagementNumber),
        dateCell(i.issueDate),
        momentCell(i.depositedAt),
        decimalCell(i.totals.withoutVat),
        decimalCell(i.totals.vat),
        decimalCell(i.totals.withVat),
        textCell(i.currency),
        textCell(t(`status.${i.status}`)),
      ]);
      const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = side === "received" ? "factures-recues.csv" : "factures-emises.csv";
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone(null);
    } catch (caught) {
      setDone(null);
      setFailure(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <>
      <button type="button" className="export" disabled={disabled || done !== null} onClick={() => void run()}>
        {done === null ? t("csv.export") : t("csv.working")}
      </button>
      <span role="status" className="muted small">
        {done !== null ? t("invoices.csv.progress", { count: done, formatted: formatCount(done, locale) }) : ""}
      </span>
      {failure && (
        <p role="alert" className="error">
          {t("invoices.csv.failed", { message: failure })}
        </p>
      )}
    </>
  );
}
