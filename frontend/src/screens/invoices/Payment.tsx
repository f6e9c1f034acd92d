// Payment terms and means: what the clerk needs to pay (due date, means, account, remittance).
import { useTranslation } from "react-i18next";

import { useLocale } from "../../i18n";
import { formatDate } from "../../lib/format";
import { groupIban } from "../../lib/invoiceText";
import type { DetailInvoice } from "./detailQuery";

export function Payment({ document }: { document: DetailInvoice["document"] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const payment = document.payment;
  const facts: [string, string | null | undefined][] = [
    [t("invoices.dueDate"), document.dueDate ? formatDate(document.dueDate, locale) : null],
    [t("invoices.terms"), document.paymentTerms],
    [
      t("invoices.means"),
      payment?.meansText ??
        (payment?.meansCode
          ? t(`invoices.meansCodes.${payment.meansCode}`, { defaultValue: t("invoices.meansCode", { code: payment.meansCode }) })
          : null),
    ],
    [t("invoices.remittance"), payment?.remittance],
    [t("invoices.mandate"), payment?.mandate],
  ];
  const shown = facts.filter((f): f is [string, string] => Boolean(f[1]));
  if (shown.length === 0 && !payment?.creditTransfers.length) return <p className="muted">{t("invoices.noPayment")}</p>;
  return (
    <dl className="facts">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className="pre">{value}</dd>
        </div>
      ))}
      {payment?.creditTransfers.map((transfer, index) => (
        <div key={index}>
          <dt className="wide">{t("invoices.account")}</dt>
          <dd className="wide">
            <span className="mono">{groupIban(transfer.account)}</span>
            {transfer.provider && <span className="muted"> · BIC {transfer.provider}</span>}
            {transfer.accountName && <div className="muted small">{transfer.accountName}</div>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
