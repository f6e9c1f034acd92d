// The apps members authorized in this workspace (their consents), each of which can be withdrawn.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { AdminAuthorizedAppFragment } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "./ConfirmDialog";
import { Announce, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import { Tags } from "./Tags";

graphql(`
  fragment AdminAuthorizedApp on AuthorizedApp {
    id
    clientId
    clientName
    scopes
    createdAt
    updatedAt
    user {
      id
      displayName
      email
    }
  }
`);

const AppsQuery = graphql(`
  query AdminAuthorizedApps($first: Int!, $after: String) {
    workspace {
      id
      authorizedApps(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminAuthorizedApp
        }
      }
    }
  }
`);

const RevokeAuthorization = graphql(`
  mutation RevokeAuthorization($input: RevokeAuthorizationInput!) {
    revokeAuthorization(input: $input) {
      revokedAuthorizationId
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

export function AuthorizedApps() {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AppsQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after },
  });
  const [pending, setPending] = useState<AdminAuthorizedAppFragment | null>(null);
  const outcome = useMutationResult(text);
  const [{ fetching: revoking }, revoke] = useMutation(RevokeAuthorization);
  const page = data?.workspace.authorizedApps;

  const confirm = async () => {
    if (!pending) return;
    const result = await revoke({ input: { id: pending.id } });
    const payload = result.data?.revokeAuthorization;
    if (!payload?.revokedAuthorizationId) {
      outcome.refuse(payload?.userErrors, result.error);
      return;
    }
    outcome.succeed(t("admin.apps.revoked", { name: pending.clientName }));
    setPending(null);
    refetch({ requestPolicy: "network-only" });
  };

  return (
    <section aria-labelledby="apps-heading">
      <h2 id="apps-heading">{t("admin.apps.heading")}</h2>
      <Announce>{outcome.done}</Announce>
      <ListTable
        labelledBy="apps-heading"
        columns={[
          t("admin.apps.app"),
          t("admin.apps.member"),
          t("admin.apps.scopes"),
          t("admin.apps.since"),
          t("admin.actions"),
        ]}
        page={page}
        fetching={fetching}
        error={error}
        empty={t("admin.apps.empty")}
        row={(a) => (
          <tr key={a.id}>
            <td>
              {a.clientName}
              <div className="muted small">
                <code>{a.clientId}</code>
              </div>
            </td>
            <td>
              {a.user ? a.user.displayName : t("admin.none")}
              {a.user && <div className="muted small">{a.user.email}</div>}
            </td>
            <td>
              <Tags items={a.scopes} />
            </td>
            <td className="small">{formatDateTime(a.createdAt, locale)}</td>
            <td className="row-actions">
              <button
                type="button"
                aria-label={t("admin.apps.revokeLabel", { name: a.clientName })}
                onClick={() => {
                  outcome.clear();
                  setPending(a);
                }}
              >
                {t("admin.apps.revoke")}
              </button>
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {pending && (
        <ConfirmDialog
          title={t("admin.apps.revokeTitle", { name: pending.clientName })}
          text={t("admin.apps.revokeText")}
          confirm={t("admin.apps.revoke")}
          busy={revoking}
          problem={outcome.problem}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}
