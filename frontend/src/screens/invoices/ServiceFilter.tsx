// The service filter: on the received side, a pick among the workspace's own services (the ones its invoices
// are addressed to); on the issued side the services are the recipients', which no list here holds: a code.
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";

import { graphql } from "../../gql";
import type { Side } from "../../lib/invoiceList";

// One page of the largest size the API allows: past it (hasNextPage), the codes are offered to a text field
// (a combobox) rather than a select that would hide some services.
const FilterServices = graphql(`
  query FilterServices {
    workspace {
      id
      services(first: 100) {
        pageInfo {
          hasNextPage
        }
        nodes {
          id
          code
          name
          isActive
        }
      }
    }
  }
`);

interface Props {
  id: string;
  side: Side;
  value: string;
  onChange: (value: string) => void;
}

export function ServiceFilter({ id, side, value, onChange }: Props) {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: FilterServices, pause: side !== "received" });
  const services = data?.workspace.services;
  const label = <label htmlFor={id}>{t(side === "received" ? "invoices.filter.serviceOf" : "invoices.filter.service")}</label>;
  const entry = (s: { code: string; name: string; isActive: boolean }) =>
    `${s.name} (${s.code})${s.isActive ? "" : ` · ${t("invoices.filter.serviceInactive")}`}`;
  if (side === "received" && services && !services.pageInfo.hasNextPage) {
    const known = services.nodes.some((s) => s.code === value);
    return (
      <>
        {label}
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{t("invoices.filter.anyService")}</option>
          {services.nodes.map((s) => (
            <option key={s.id} value={s.code}>
              {entry(s)}
            </option>
          ))}
          {/* A code from the address the workspace no longer has: kept, so the link still filters. */}
          {value && !known && <option value={value}>{value}</option>}
        </select>
      </>
    );
  }
  const listId = services ? `${id}-services` : undefined;
  return (
    <>
      {label}
      <input id={id} type="text" list={listId} value={value} onChange={(event) => onChange(event.target.value)} />
      {services && (
        <datalist id={listId}>
          {services.nodes.map((s) => (
            <option key={s.id} value={s.code}>
              {entry(s)}
            </option>
          ))}
        </datalist>
      )}
    </>
  );
}
