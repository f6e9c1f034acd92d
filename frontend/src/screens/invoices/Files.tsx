// The invoice's files: the document as deposited, the hub's UBL, CII and readable PDF, and the attachments.
// Links are signed for a few minutes: an older page asks for fresh ones before following one.
import type { MouseEvent } from "react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";

import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { formatSize } from "../../lib/invoiceText";
import type { DetailInvoice } from "./detailQuery";
import { asInvoice, InvoiceQuery } from "./detailQuery";

const FRESH_MS = 4 * 60 * 1000; // the links live five minutes

type Pick = (invoice: DetailInvoice) => string | undefined;

export function Files({ invoice, reload }: { invoice: DetailInvoice; reload: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const client = useClient();
  const [signedAt, setSignedAt] = useState(() => Date.now());
  useEffect(() => setSignedAt(Date.now()), [invoice.downloads.original]);

  const follow = (pick: Pick) => async (event: MouseEvent<HTMLAnchorElement>) => {
    if (Date.now() - signedAt < FRESH_MS) return;
    event.preventDefault();
    const answer = await client.query(InvoiceQuery, { id: invoice.id }, { requestPolicy: "network-only" }).toPromise();
    const fresh = asInvoice(answer.data?.node);
    const url = fresh ? pick(fresh) : undefined;
    reload();
    if (url) window.location.assign(url);
  };
  const link = (pick: Pick, label: string, hint?: string) => {
    const href = pick(invoice);
    return href ? (
      <a href={href} onClick={(event) => void follow(pick)(event)} download>
        {label}
        {hint && <span className="muted small"> {hint}</span>}
      </a>
    ) : null;
  };

  return (
    <section aria-labelledby="h-files" className="card files">
      <h2 id="h-files">{t("detail.files")}</h2>
      <ul className="downloads">
        <li>{link((i) => i.downloads.pdf, t("invoices.download.pdf"))}</li>
        <li>{link((i) => i.downloads.original, t("detail.original"), `(${invoice.documentName} · ${invoice.syntax})`)}</li>
        <li>{link((i) => i.downloads.ubl, t("invoices.download.ubl"))}</li>
        <li>{link((i) => i.downloads.cii, t("invoices.download.cii"))}</li>
      </ul>
      <h3>{t("invoices.attachments")}</h3>
      {invoice.attachments.length === 0 ? (
        <p className="muted">{t("invoices.noAttachments")}</p>
      ) : (
        <ul className="attachments">
          {invoice.attachments.map((a, index) => (
            <li key={`${a.kind}-${index}`}>
              {link((i) => i.attachments[index]?.downloadUrl, a.filename)}{" "}
              <span className="muted small">
                {t(`invoices.kind.${a.kind}`, { defaultValue: a.kind })} · {formatSize(a.size, locale)} ·{" "}
                {formatDateTime(a.addedAt, locale)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
