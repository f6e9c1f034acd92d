// A party as the invoice names it: name, identifiers, VAT number, address, contact. Text only.
import { useTranslation } from "react-i18next";

import type { DocumentPartyFragment } from "../../gql/graphql";

export function Party({
  party,
  fallbackName,
  routed,
}: {
  party: DocumentPartyFragment;
  fallbackName: string | null | undefined;
  routed: string;
}) {
  const { t } = useTranslation();
  const address = party.address;
  const town = [address?.postcode, address?.city].filter(Boolean).join(" ");
  const identifiers = [party.legalRegistration, ...party.identifiers].filter(
    (value, index, all): value is string => Boolean(value) && all.indexOf(value) === index,
  );
  return (
    <>
      <p className="party-name">{party.name ?? fallbackName ?? routed}</p>
      {party.tradingName && party.tradingName !== party.name && <p className="muted">{party.tradingName}</p>}
      {address && (
        <address>
          {[address.line1, address.line2, address.line3, town, address.subdivision, address.country]
            .filter(Boolean)
            .map((line, index) => (
              <span key={index}>
                {line}
                <br />
              </span>
            ))}
        </address>
      )}
      <dl className="facts">
        <div>
          <dt>{t("invoices.routedId")}</dt>
          <dd className="id">{routed}</dd>
        </div>
        {identifiers
          .filter((v) => v !== routed)
          .map((value) => (
            <div key={value}>
              <dt>{t("invoices.legalId")}</dt>
              <dd className="id">{value}</dd>
            </div>
          ))}
        {party.vatId && (
          <div>
            <dt>{t("invoices.vatId")}</dt>
            <dd className="id">{party.vatId}</dd>
          </div>
        )}
        {party.contact && (party.contact.name || party.contact.email || party.contact.phone) && (
          <div>
            <dt>{t("invoices.contact")}</dt>
            <dd>
              {[party.contact.name, party.contact.phone, party.contact.email].filter(Boolean).join(" · ")}
            </dd>
          </div>
        )}
      </dl>
    </>
  );
}
