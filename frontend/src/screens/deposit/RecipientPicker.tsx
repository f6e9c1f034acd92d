// A public recipient chosen from the directory, then its service and engagement number. What the recipient
// requires (service code, engagement number) is shown as soon as it is chosen, before the fields are typed.
import { useDeferredValue, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";

import { graphql } from "../../gql";
import type { RecipientSearchQuery } from "../../gql/graphql";

export type Recipient = RecipientSearchQuery["directory"]["structures"]["nodes"][number];

export interface Addressing {
  recipient: Recipient | null;
  serviceCode: string;
  engagementNumber: string;
}

export const NO_ADDRESSING: Addressing = { recipient: null, serviceCode: "", engagementNumber: "" };

graphql(`
  fragment RecipientChoice on DirectoryStructure {
    id
    identifier
    name
    isActive
    address {
      postcode
      town
    }
    parameters {
      serviceCodeRequired
      engagementRequired
      serviceOrEngagementRequired
    }
    services(first: 100) {
      nodes {
        id
        code
        name
        isActive
        engagementRequired
      }
    }
  }
`);

const RecipientSearch = graphql(`
  query RecipientSearch($search: String!) {
    directory {
      structures(search: $search, first: 8) {
        nodes {
          ...RecipientChoice
        }
      }
    }
  }
`);

/** What the chosen recipient and service make mandatory, to mark fields before they are typed. */
export function requirements(value: Addressing): { service: boolean; engagement: boolean; either: boolean } {
  const p = value.recipient?.parameters;
  const service = value.recipient?.services.nodes.find((s) => s.code === value.serviceCode);
  return {
    service: p?.serviceCodeRequired ?? false,
    engagement: (p?.engagementRequired ?? false) || (service?.engagementRequired ?? false),
    either: p?.serviceOrEngagementRequired ?? false,
  };
}

export interface AddressingErrors {
  recipient?: string | undefined;
  serviceCode?: string | undefined;
  engagementNumber?: string | undefined;
}

export function RecipientPicker({
  value,
  onChange,
  errors = {},
  required = false,
}: {
  value: Addressing;
  onChange: (value: Addressing) => void;
  errors?: AddressingErrors;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [search, setSearch] = useState("");
  const words = useDeferredValue(search.trim());
  const [{ data, fetching, error }] = useQuery({
    query: RecipientSearch,
    variables: { search: words },
    pause: words.length < 2 || value.recipient !== null,
  });
  const chosen = value.recipient;
  const needs = requirements(value);
  const services = chosen?.services.nodes.filter((s) => s.isActive || s.code === value.serviceCode) ?? [];
  const serviceService = chosen?.services.nodes.find((s) => s.code === value.serviceCode);

  return (
    <fieldset className="recipient">
      <legend>
        {t("deposit.recipient.legend")}
        {!required && <span className="muted small"> ({t("deposit.common.optional")})</span>}
      </legend>
      {!chosen && (
        <>
          <label htmlFor={`${id}-search`}>{t("deposit.recipient.search")}</label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            placeholder={t("deposit.recipient.searchHint")}
            autoComplete="off"
            aria-invalid={errors.recipient ? true : undefined}
            aria-describedby={errors.recipient ? `${id}-recipient-error` : undefined}
            onChange={(event) => setSearch(event.target.value)}
          />
          {errors.recipient && (
            <p id={`${id}-recipient-error`} className="field-error" role="alert">
              {errors.recipient}
            </p>
          )}
          <div aria-live="polite">
            {fetching && <p className="muted small">{t("deposit.recipient.searching")}</p>}
            {error && <p role="alert">{t("deposit.common.error", { message: error.message })}</p>}
            {data && words.length >= 2 && data.directory.structures.nodes.length === 0 && (
              <p className="muted">{t("deposit.recipient.none")}</p>
            )}
          </div>
          {data && words.length >= 2 && data.directory.structures.nodes.length > 0 && (
            <ul className="choices">
              {data.directory.structures.nodes.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-label={t("deposit.recipient.choose", { name: s.name })}
                    onClick={() => onChange({ recipient: s, serviceCode: "", engagementNumber: value.engagementNumber })}
                  >
                    <strong>{s.name}</strong>{" "}
                    <span className="muted small">
                      {s.identifier} · {s.address.postcode} {s.address.town}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {chosen && (
        <div className="chosen" data-testid="recipient-chosen">
          <p>
            <span className="visually-hidden">{t("deposit.recipient.chosen")} : </span>
            <strong>{chosen.name}</strong>{" "}
            <span className="muted small">
              {chosen.identifier} · {chosen.address.postcode} {chosen.address.town}
            </span>{" "}
            <button type="button" className="link" onClick={() => onChange(NO_ADDRESSING)}>
              {t("deposit.recipient.change")}
            </button>
          </p>
          <Requirements recipient={chosen} />
          <div className="addressing-fields">
            <div className="field">
              <label htmlFor={`${id}-service`}>
                {t("deposit.recipient.service")}
                {needs.service && <span className="req"> ({t("deposit.common.required")})</span>}
              </label>
              <select
                id={`${id}-service`}
                value={value.serviceCode}
                required={needs.service}
                aria-invalid={errors.serviceCode ? true : undefined}
                aria-describedby={errors.serviceCode ? `${id}-service-error` : undefined}
                onChange={(event) => onChange({ ...value, serviceCode: event.target.value })}
              >
                <option value="">{t("deposit.recipient.noService")}</option>
                {services.map((s) => (
                  <option key={s.id} value={s.code}>
                    {t(s.engagementRequired ? "deposit.recipient.serviceEngagement" : "deposit.recipient.serviceEntry", {
                      name: s.name,
                      code: s.code,
                    })}
                  </option>
                ))}
              </select>
              {errors.serviceCode && (
                <p id={`${id}-service-error`} className="field-error" role="alert">
                  {errors.serviceCode}
                </p>
              )}
            </div>
            <div className="field">
              <label htmlFor={`${id}-engagement`}>
                {t("deposit.recipient.engagement")}
                {needs.engagement && (
                  <span className="req">
                    {" "}
                    ({t("deposit.common.required")}
                    {serviceService?.engagementRequired && !chosen.parameters.engagementRequired
                      ? `, ${t("deposit.recipient.engagementBecause", { code: serviceService.code })}`
                      : ""}
                    )
                  </span>
                )}
              </label>
              <input
                id={`${id}-engagement`}
                value={value.engagementNumber}
                required={needs.engagement}
                maxLength={50}
                autoComplete="off"
                aria-invalid={errors.engagementNumber ? true : undefined}
                aria-describedby={errors.engagementNumber ? `${id}-engagement-error` : undefined}
                onChange={(event) => onChange({ ...value, engagementNumber: event.target.value })}
              />
              {errors.engagementNumber && (
                <p id={`${id}-engagement-error`} className="field-error" role="alert">
                  {errors.engagementNumber}
                </p>
              )}
            </div>
          </div>
        </div>
      )}
    </fieldset>
  );
}

export function Requirements({ recipient }: { recipient: Pick<Recipient, "parameters"> }) {
  const { t } = useTranslation();
  const p = recipient.parameters;
  const items = [
    p.serviceCodeRequired && t("deposit.recipient.serviceRequired"),
    p.engagementRequired && t("deposit.recipient.engagementRequired"),
    p.serviceOrEngagementRequired && t("deposit.recipient.serviceOrEngagementRequired"),
  ].filter((item): item is string => Boolean(item));
  if (items.length === 0) {
    return (
      <p className="requirements" data-testid="requirements">
        {t("deposit.recipient.requiresNothing")}
      </p>
    );
  }
  return (
    <div className="requirements" data-testid="requirements">
      <p>{t("deposit.recipient.requires")}</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
