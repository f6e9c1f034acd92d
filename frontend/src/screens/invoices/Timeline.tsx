// The history as a timeline: when, who (and for which side), from which status to which, why.
import { useTranslation } from "react-i18next";

import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import type { DetailInvoice } from "./detailQuery";

export function Timeline({ history }: { history: DetailInvoice["history"] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section aria-labelledby="h-history">
      <h2 id="h-history">{t("detail.history")}</h2>
      <ol className="timeline">
        {[...history].reverse().map((event, index) => (
          <li key={history.length - index} className={`side-${event.actorSide.toLowerCase()}`}>
            <div className="when">
              <time dateTime={event.at}>{formatDateTime(event.at, locale)}</time>
            </div>
            <div className="what">
              <strong>
                {event.status
                  ? t(`status.${event.status}`)
                  : t(`invoices.actionNames.${event.action}`, { defaultValue: event.action })}
              </strong>
              {event.fromStatus && event.status && (
                <span className="muted"> {t("invoices.fromStatus", { status: t(`status.${event.fromStatus}`) })}</span>
              )}
              {event.action !== "STATUS" && event.status && (
                <span className="muted small"> · {t(`invoices.actionNames.${event.action}`, { defaultValue: event.action })}</span>
              )}
            </div>
            <div className="who muted small">
              {event.actor} · {t(`invoices.sides.${event.actorSide}`, { defaultValue: event.actorSide })}
            </div>
            {event.reason && <blockquote>{event.reason}</blockquote>}
          </li>
        ))}
      </ol>
    </section>
  );
}
