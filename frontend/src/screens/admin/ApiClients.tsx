// Applications registered by this workspace: register (a confidential one's secret shown once), rotate the
// secret (the new one shown once), revoke. Names are typed by people: rendered as text only.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { Dialog } from "../../components/Dialog";
import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { AdminApiClientFragment } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "./ConfirmDialog";
import { Announce, CheckField, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import { Tags } from "./Tags";
import { SecretDialog } from "./SecretDialog";
import type { ApiUserError } from "./userErrors";
import { lines } from "./userErrors";

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;

graphql(`
  fragment AdminApiClient on ApiClient {
    id
    clientId
    name
    confidential
    redirectUris
    grantTypes
    scopes
    createdAt
    secretRotatedAt
  }
`);

const ClientsQuery = graphql(`
  query AdminApiClients($first: Int!, $after: String) {
    workspace {
      id
      apiClients(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminApiClient
        }
      }
    }
  }
`);

const RegisterClient = graphql(`
  mutation RegisterApiClient($input: RegisterApiClientInput!) {
    registerApiClient(input: $input) {
      apiClient {
        ...AdminApiClient
      }
      clientSecret
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const RotateSecret = graphql(`
  mutation RotateApiClientSecret($input: RotateApiClientSecretInput!) {
    rotateApiClientSecret(input: $input) {
      apiClient {
        ...AdminApiClient
      }
      clientSecret
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const RevokeClient = graphql(`
  mutation RevokeApiClient($input: RevokeApiClientInput!) {
    revokeApiClient(input: $input) {
      revokedApiClientId
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

type Pending = { kind: "rotate" | "revoke"; client: AdminApiClientFragment };

export function ApiClients({ ownScopes }: { ownScopes: readonly string[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ClientsQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after },
  });
  const [registering, setRegistering] = useState(false);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const outcome = useMutationResult(text);
  const [{ fetching: rotating }, rotate] = useMutation(RotateSecret);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeClient);
  const page = data?.workspace.apiClients;

  const refresh = () => refetch({ requestPolicy: "network-only" });

  const registered = (client: AdminApiClientFragment, clientSecret: string | null) => {
    setRegistering(false);
    outcome.succeed(t("admin.clients.registered", { name: client.name }));
    if (clientSecret) setSecret({ name: client.name, value: clientSecret });
    refresh();
  };

  const confirm = async () => {
    if (!pending) return;
    const { client } = pending;
    if (pending.kind === "rotate") {
      const result = await rotate({ input: { id: client.id } });
      const payload = result.data?.rotateApiClientSecret;
      if (!payload?.clientSecret) {
        outcome.refuse(payload?.userErrors, result.error);
        return;
      }
      setPending(null);
      setSecret({ name: client.name, value: payload.clientSecret });
      refresh();
      return;
    }
    const result = await revoke({ input: { id: client.id } });
    const payload = result.data?.revokeApiClient;
    if (!payload?.revokedApiClientId) {
      outcome.refuse(payload?.userErrors, result.error);
      return;
    }
    setPending(null);
    outcome.succeed(t("admin.clients.revoked", { name: client.name }));
    refresh();
  };

  const ask = (kind: Pending["kind"], client: AdminApiClientFragment) => {
    outcome.clear();
    setPending({ kind, client });
  };

  return (
    <section aria-labelledby="clients-heading">
      <div className="list-head">
        <h2 id="clients-heading">{t("admin.clients.heading")}</h2>
        <button type="button" className="primary" onClick={() => {
            outcome.clear();
            setRegistering(true);
          }}>
          {t("admin.clients.register")}
        </button>
      </div>
      <Announce>{outcome.done}</Announce>
      <ListTable
        labelledBy="clients-heading"
        columns={[
          t("admin.clients.name"),
          t("admin.clients.kind"),
          t("admin.clients.grantTypes"),
          t("admin.clients.scopes"),
          t("admin.clients.created"),
          t("admin.actions"),
        ]}
        page={page}
        fetching={fetching}
        error={error}
        empty={t("admin.clients.empty")}
        row={(c) => (
          <tr key={c.id}>
            <td>
              {c.name}
              <div className="muted small">
                <code data-testid="client-id">{c.clientId}</code>
              </div>
              {c.redirectUris.map((uri) => (
                <div key={uri} className="muted small uri">
                  {uri}
                </div>
              ))}
            </td>
            <td>{c.confidential ? t("admin.clients.confidentialShort") : t("admin.clients.publicShort")}</td>
            <td>
              <Tags items={c.grantTypes} />
            </td>
            <td>
              <Tags items={c.scopes} />
            </td>
            <td className="small">
              {formatDateTime(c.createdAt, locale)}
              {c.secretRotatedAt && (
                <div className="muted">
                  {t("admin.clients.rotated")} {formatDateTime(c.secretRotatedAt, locale)}
                </div>
              )}
            </td>
            <td className="row-actions">
              {c.confidential && (
                <button
                  type="button"
                  aria-label={t("admin.clients.rotateLabel", { name: c.name })}
                  onClick={() => ask("rotate", c)}
                >
                  {t("admin.clients.rotate")}
                </button>
              )}
              <button
                type="button"
                aria-label={t("admin.clients.revokeLabel", { name: c.name })}
                onClick={() => ask("revoke", c)}
              >
                {t("admin.clients.revoke")}
              </button>
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {registering && (
        <RegisterDialog ownScopes={ownScopes} onClose={() => setRegistering(false)} onRegistered={registered} />
      )}
      {pending && (
        <ConfirmDialog
          title={t(pending.kind === "rotate" ? "admin.clients.rotateTitle" : "admin.clients.revokeTitle", {
            name: pending.client.name,
          })}
          text={t(pending.kind === "rotate" ? "admin.clients.rotateText" : "admin.clients.revokeText")}
          confirm={t(pending.kind === "rotate" ? "admin.clients.rotate" : "admin.clients.revoke")}
          busy={rotating || revoking}
          problem={outcome.problem}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
      {secret && <SecretDialog name={secret.name} secret={secret.value} onClose={() => setSecret(null)} />}
    </section>
  );
}

interface Values {
  name: string;
  confidential: boolean;
  grantTypes: string[];
  redirectUris: string;
  scopes: string[];
}

const FIELDS = ["name", "confidential", "grantTypes", "redirectUris", "scopes"] as const;

function RegisterDialog({
  ownScopes,
  onClose,
  onRegistered,
}: {
  ownScopes: readonly string[];
  onClose: () => void;
  onRegistered: (client: AdminApiClientFragment, secret: string | null) => void;
}) {
  const { t } = useTranslation();
  const text = useErrorText();
  const [, register_] = useMutation(RegisterClient);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    defaultValues: {
      name: "",
      confidential: true,
      grantTypes: ["client_credentials"],
      redirectUris: "",
      scopes: ownScopes.includes("invoices:read") ? ["invoices:read"] : [],
    },
  });

  const save = async (values: Values) => {
    setGeneral([]);
    const result = await register_({
      input: {
        name: values.name.trim(),
        confidential: values.confidential,
        grantTypes: values.grantTypes,
        redirectUris: lines(values.redirectUris),
        scopes: values.scopes,
      },
    });
    const payload = result.data?.registerApiClient;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length || !payload.apiClient) {
      setGeneral(applyErrors<Values>(payload.userErrors, FIELDS, setError, text));
      return;
    }
    onRegistered(payload.apiClient, payload.clientSecret ?? null);
  };
  const invalid = FIELDS.filter((f) => errors[f]).length;

  return (
    <Dialog title={t("admin.clients.registerTitle")} onClose={onClose}>
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={invalid} general={general} />
        <TextField
          label={t("admin.clients.name")}
          required
          error={errors.name?.message}
          registration={register("name", { validate: (v) => v.trim() !== "" || t("admin.errors.REQUIRED") })}
        />
        <CheckField label={t("admin.clients.confidential")} registration={register("confidential")} />
        <ChoiceGroup
          legend={t("admin.clients.grantTypes")}
          error={errors.grantTypes?.message}
          options={GRANT_TYPES.map((g) => ({ value: g, label: t(`admin.clients.grant_${g}`) }))}
          registration={register("grantTypes")}
        />
        <TextField
          label={t("admin.clients.redirectUris")}
          hint={t("admin.clients.redirectUrisHint")}
          multiline
          error={errors.redirectUris?.message}
          registration={register("redirectUris")}
        />
        <ChoiceGroup
          legend={t("admin.clients.scopes")}
          hint={t("admin.clients.scopesHint")}
          error={errors.scopes?.message}
          options={ownScopes.map((s) => ({ value: s, label: `${t(`admin.scope.${s.replace(":", "_")}`, { defaultValue: s })} (${s})` }))}
          registration={register("scopes")}
        />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className="primary" disabled={isSubmitting}>
            {t("admin.clients.register")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ChoiceGroup({
  legend,
  hint,
  error,
  options,
  registration,
}: {
  legend: string;
  hint?: string;
  error?: string | undefined;
  options: { value: string; label: string }[];
  registration: ReturnType<ReturnType<typeof useForm<Values>>["register"]>;
}) {
  const id = `group-${registration.name}`;
  return (
    <fieldset
      className="choices"
      aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {options.map((o) => (
        <div key={o.value} className="check">
          <input id={`${id}-${o.value}`} type="checkbox" value={o.value} {...registration} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
