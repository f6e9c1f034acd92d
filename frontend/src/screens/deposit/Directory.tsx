// Annuaire: the public structures invoices can be addressed to (by name, identifier, postcode or town),
// each with its services and what it requires of an invoice.
import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";

import { Pager } from "../../components/Pager";
import { useCursors } from "../../components/useCursors";
import { graphql } from "../../gql";
import type { DirectorySearchQuery } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatCount } from "../../lib/format";
import { Requirements } from "./RecipientPicker";

const PAGE = 20;

const DirectoryQuery = graphql(`
  query DirectorySearch($search: String, $first: Int!, $after: String) {
    directory {
      structures(search: $search, first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          id
          identifier
          identifierType
          name
          address {
            line1
            postcode
            town
          }
          parameters {
            serviceCodeRequired
            engagementRequired
            serviceOrEngagementRequired
            paymentStatusReported
          }
        }
      }
    }
  }
`);

const ServicesQuery = graphql(`
  query DirectoryServices($identifier: String!) {
    directory {
      structure(identifier: $identifier) {
        id
        services(first: 100) {
          totalCount
          nodes {
            id
            code
            name
            isActive
            engagementRequired
          }
        }
      }
    }
  }
`);

export function Directory() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [search, setSearch] = useState("");
  const words = useDeferredValue(search.trim());
  const cursors = useCursors();
  const after = cursors.after;
  const [{ data, fetching, error }] = useQuery({
    query: DirectoryQuery,
    variables: { search: words || null, first: PAGE, after },
  });
  const page = data?.directory.structures;

  return (
    <section aria-labelledby="directory-title">
      <h1 id="directory-title">{t("deposit.directory.title")}</h1>
      <p className="muted">{t("deposit.directory.intro")}</p>
      <div className="filters">
        <label>
          {t("deposit.directory.search")}
          <input
            type="search"
            value={search}
            placeholder={t("deposit.directory.searchHint")}
            onChange={(event) => {
              setSearch(event.target.value);
              cursors.reset();
            }}
          />
        </label>
        {page?.totalCount != null && (
          <span aria-live="polite" data-testid="structure-count">
            {t("deposit.directory.count", { count: page.totalCount, formatted: formatCount(page.totalCount, locale) })}
          </span>
        )}
      </div>
      {error && <p role="alert">{t("deposit.common.error", { message: error.message })}</p>}
      {!page && fetching && <p role="status">{t("deposit.common.loading")}</p>}
      {page && page.nodes.length === 0 && <p className="empty">{t("deposit.directory.none")}</p>}
      <ul className="structures">
        {page?.nodes.map((s) => (
          <Structure key={s.id} structure={s} />
        ))}
      </ul>
      <Pager cursors={cursors} pageInfo={page?.pageInfo} hideAlone />
    </section>
  );
}

type Found = DirectorySearchQuery["directory"]["structures"]["nodes"][number];

function Structure({ structure }: { structure: Found }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panel = `services-${structure.id}`;
  return (
    <li className="card structure" data-testid="structure">
      <h2>{structure.name}</h2>
      <p className="muted small">
        {structure.identifierType} {structure.identifier} · {structure.address.line1}, {structure.address.postcode}{" "}
        {structure.address.town}
      </p>
      <Requirements recipient={structure} />
      {structure.parameters.paymentStatusReported && <p className="small">{t("deposit.directory.paymentStatus")}</p>}
      <button type="button" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
        {open ? t("deposit.directory.hideServices") : t("deposit.directory.showServices")}
      </button>
      <div id={panel}>{open && <Services identifier={structure.identifier} name={structure.name} />}</div>
    </li>
  );
}

function Services({ identifier, name }: { identifier: string; name: string }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: ServicesQuery, variables: { identifier } });
  if (error) return <p role="alert">{t("deposit.common.error", { message: error.message })}</p>;
  if (!data) return <p role="status">{t("deposit.common.loading")}</p>;
  const services = data.directory.structure?.services.nodes ?? [];
  if (services.length === 0) return <p className="muted">{t("deposit.directory.noServices")}</p>;
  return (
    <table className="plain services">
      <caption className="visually-hidden">{t("deposit.directory.services", { name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("deposit.directory.code")}</th>
          <th scope="col">{t("deposit.directory.name")}</th>
          <th scope="col">{t("deposit.directory.engagement")}</th>
          <th scope="col">{t("deposit.directory.active")}</th>
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.id}>
            <td>
              <code>{s.code}</code>
            </td>
            <td>{s.name}</td>
            <td>{s.engagementRequired ? t("deposit.directory.engagementRequired") : t("deposit.directory.engagementFree")}</td>
            <td>{s.isActive ? "✓" : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
