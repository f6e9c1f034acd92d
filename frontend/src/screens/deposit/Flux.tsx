// Flux: deposit an archive, follow its integration to the end (the flux is asked again every second until
// it ends; subscriptions come later), read its per-invoice report, and page through past fluxes.
// Archive and member names come from the depositor: text only.
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { Pager } from "../../components/Pager";
import { useCursors } from "../../components/useCursors";
import { graphql } from "../../gql";
import type { FluxStatus } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { ProblemList } from "./Problems";

const ENDED: FluxStatus[] = ["IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE", "IN_INCIDENTE"];
const POLL_MS = 1000;
const PAGE = 10;

const DepositFlux = graphql(`
  mutation DepositFlux($input: DepositFluxInput!) {
    depositFlux(input: $input) {
      flux {
        id
        number
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const FluxQuery = graphql(`
  query FluxReport($id: ID!) {
    node(id: $id) {
      ... on Flux {
        id
        number
        filename
        status
        depositedAt
        updatedAt
        depositor
        incident
        report {
          index
          name
          status
          invoiceNumber
          invoiceId
          problems {
            code
            message
            field
            bt
            btName
            location
          }
        }
      }
    }
  }
`);

const FluxesQuery = graphql(`
  query Fluxes($first: Int!, $after: String) {
    workspace {
      id
      fluxes(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          id
          number
          filename
          status
          depositedAt
        }
      }
    }
  }
`);

export function Flux() {
  const { t } = useTranslation();
  const { id: shown } = useParams();
  const navigate = useNavigate();
  const inputId = useId();
  const [archive, setArchive] = useState<File | null>(null);
  const [state, deposit] = useMutation(DepositFlux);
  const [refusal, setRefusal] = useState<{ code: string; message: string }[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);
  const [ended, setEnded] = useState(0); // fluxes seen ending here: the list below then asks again
  const onEnd = useCallback(() => setEnded((n) => n + 1), []);

  const send = async () => {
    if (!archive) return;
    setRefusal([]);
    const result = await deposit({ input: { archive } });
    const payload = result.data?.depositFlux;
    if (payload?.flux) {
      setArchive(null);
      if (inputRef.current) inputRef.current.value = "";
      void navigate(`/flux/${encodeURIComponent(payload.flux.id)}`);
    } else if (payload) {
      setRefusal(payload.userErrors);
    }
  };

  return (
    <section aria-labelledby="flux-title" className="deposit">
      <h1 id="flux-title">{t("deposit.flux.title")}</h1>
      <p className="muted">{t("deposit.flux.intro")}</p>
      <form
        className="flux-form"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <input
          ref={inputRef}
          id={inputId}
          className="file-input"
          type="file"
          accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
          onChange={(event) => {
            setArchive(event.target.files?.[0] ?? null);
            setRefusal([]);
          }}
        />
        <label htmlFor={inputId} className="file-button">
          {t("deposit.flux.choose")}
        </label>
        {archive && (
          <span className="file-name" data-testid="archive-name">
            {t("deposit.file.chosen", { name: archive.name })}
          </span>
        )}
        <button type="submit" className="primary" disabled={!archive || state.fetching}>
          {state.fetching ? t("deposit.flux.submitting") : t("deposit.flux.submit")}
        </button>
      </form>
      {state.error && <p role="alert">{t("deposit.common.error", { message: state.error.message })}</p>}
      {refusal.length > 0 && (
        <div className="outcome bad" role="alert">
          <p>
            <strong>{t("deposit.flux.refused")}</strong>
          </p>
          <ul>
            {refusal.map((r, index) => (
              <li key={index}>
                {t(`deposit.flux.errors.${r.code}`, { defaultValue: r.code })}{" "}
                <span className="muted small" lang="en">
                  ({r.message})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {shown && <FluxReport key={shown} id={shown} onEnd={onEnd} />}
      <PastFluxes shown={shown ?? null} ended={ended} />
    </section>
  );
}

function FluxReport({ id, onEnd }: { id: string; onEnd: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [{ data, error }, again] = useQuery({ query: FluxQuery, variables: { id }, requestPolicy: "network-only" });
  const flux = data?.node && "report" in data.node ? data.node : null;
  const ended = flux ? ENDED.includes(flux.status) : false;

  // Ask again a second after each answer until the flux ends (not on a fixed clock: a slow answer is
  // never overtaken by the next question).
  const wasRunning = useRef(false);
  useEffect(() => {
    if (flux && ended && wasRunning.current) {
      wasRunning.current = false;
      onEnd();
    }
    if (!flux || ended) return;
    wasRunning.current = true;
    const timer = window.setTimeout(() => again({ requestPolicy: "network-only" }), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [flux, ended, again, onEnd]);

  if (error) return <p role="alert">{t("deposit.common.error", { message: error.message })}</p>;
  if (!data) return <p role="status">{t("deposit.common.loading")}</p>;
  if (!flux) return <p role="alert">{t("notFound")}</p>;
  const status = t(`deposit.flux.statuses.${flux.status}`);

  return (
    <section className="card flux-report" aria-labelledby="flux-report-title" data-testid="flux-report">
      <h2 id="flux-report-title">{t("deposit.flux.flux", { number: flux.number })}</h2>
      <dl>
        <dt>{t("deposit.flux.file")}</dt>
        <dd>{flux.filename}</dd>
        <dt>{t("deposit.flux.status")}</dt>
        <dd>
          <span className={`status flux-${flux.status.toLowerCase()}`} data-testid="flux-status">
            {status}
          </span>
        </dd>
        <dt>{t("deposit.flux.depositedAt")}</dt>
        <dd>{formatDateTime(flux.depositedAt, locale)}</dd>
        <dt>{t("deposit.flux.updatedAt")}</dt>
        <dd>{formatDateTime(flux.updatedAt, locale)}</dd>
        <dt>{t("deposit.flux.depositor")}</dt>
        <dd>{flux.depositor}</dd>
      </dl>
      <p aria-live="polite" role="status" data-testid="flux-progress">
        {ended ? t("deposit.flux.finished", { status }) : t("deposit.flux.following")}{" "}
        {t("deposit.flux.progress", { count: flux.report.length })}
      </p>
      {flux.incident && (
        <p role="alert" lang="en">
          {t("deposit.flux.incident", { incident: flux.incident })}
        </p>
      )}
      <h3>{t("deposit.flux.report")}</h3>
      {flux.report.length === 0 ? (
        <p className="empty">{t("deposit.flux.noReport")}</p>
      ) : (
        <table className="invoices deposit-table" data-testid="flux-entries">
          <thead>
            <tr>
              <th scope="col">{t("deposit.flux.member")}</th>
              <th scope="col">{t("deposit.flux.number")}</th>
              <th scope="col">{t("deposit.flux.verdict")}</th>
              <th scope="col">{t("deposit.flux.problems")}</th>
            </tr>
          </thead>
          <tbody>
            {flux.report.map((entry) => (
              <tr key={entry.index}>
                <td className="member-name">{entry.name}</td>
                <td className="nowrap">
                  {entry.invoiceId ? (
                    <Link to={`/factures/${encodeURIComponent(entry.invoiceId)}`}>{entry.invoiceNumber}</Link>
                  ) : (
                    (entry.invoiceNumber ?? "—")
                  )}
                </td>
                <td>
                  <span className={`status ${entry.status === "ACCEPTED" ? "verdict-ok" : "verdict-bad"}`}>
                    {entry.status === "ACCEPTED" ? t("deposit.flux.accepted") : t("deposit.flux.rejected")}
                  </span>
                </td>
                <td>
                  {entry.problems.length > 0 ? (
                    <ProblemList problems={entry.problems.map((p) => ({ ...p, rule: p.code, code: null }))} />
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PastFluxes({ shown, ended }: { shown: string | null; ended: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const cursors = useCursors();
  const after = cursors.after;
  const [{ data, fetching, error }, again] = useQuery({ query: FluxesQuery, variables: { first: PAGE, after } });
  const page = data?.workspace.fluxes;
  // A flux just deposited, or just ended, shows as it is without a reload.
  useEffect(() => {
    if (shown) again({ requestPolicy: "network-only" });
  }, [shown, ended, again]);

  return (
    <section aria-labelledby="past-fluxes">
      <h2 id="past-fluxes">{t("deposit.flux.past")}</h2>
      {error && <p role="alert">{t("deposit.common.error", { message: error.message })}</p>}
      {!page && fetching && <p role="status">{t("deposit.common.loading")}</p>}
      {page && page.nodes.length === 0 && <p className="empty">{t("deposit.flux.none")}</p>}
      {page && page.nodes.length > 0 && (
        <table className="invoices deposit-table" data-testid="flux-list">
          <thead>
            <tr>
              <th scope="col">{t("deposit.flux.flux", { number: "" }).trim()}</th>
              <th scope="col">{t("deposit.flux.file")}</th>
              <th scope="col">{t("deposit.flux.depositedAt")}</th>
              <th scope="col">{t("deposit.flux.status")}</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((flux) => (
              <tr key={flux.id} aria-current={flux.id === shown ? "true" : undefined}>
                <td className="nowrap">
                  <Link
                    to={`/flux/${encodeURIComponent(flux.id)}`}
                    aria-label={t("deposit.flux.show", { number: flux.number })}
                  >
                    {flux.number}
                  </Link>
                </td>
                <td className="member-name">{flux.filename}</td>
                <td>{formatDateTime(flux.depositedAt, locale)}</td>
                <td>
                  <span className={`status flux-${flux.status.toLowerCase()}`}>
                    {t(`deposit.flux.statuses.${flux.status}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} pageInfo={page?.pageInfo} hideAlone />
    </section>
  );
}
