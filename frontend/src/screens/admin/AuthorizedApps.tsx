// The apps members authorized in this workspace (their consents), each of which can be withdrawn.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { graphql } from "../../gql";
import type { AdminAuthorizedAppFragment } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { useCursors } from "../../components/useCursors";
import { ConfirmDialog } from "./Dialog";
import { Announce, useErrorText } from "./Form";
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
          hasNextPage
          endCursor
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
        field
        code
        message
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
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const [{ fetching: revoking }, revoke] = useMutation(RevokeAuthorization);
  const page = data?.workspace.authorizedApps;

  const confirm = async () => {
    if (!pending) return;
    const result = await revoke({ input: { id: pending.id } });
    const payload = result.data?.revokeAuthorization;
    if (!payload?.revokedAuthorizationId) {
      setProblem((payload?.userErrors ?? []).map(text).join(" ") || result.error?.message || "");
      return;
    }
    setDone(t("admin.apps.revoked", { name: pending.clientName }));
    setPending(null);
    refetch({ requestPolicy: "network-only" });
  };

  return (
    <section aria-labelledby="apps-heading">
      <h2 id="apps-heading">{t("admin.apps.heading")}</h2>
      <Announce>{done}</Announce>
      {error && <p role="alert">{t("admin.loadError", { message: error.message })}</p>}
      {!page && fetching && <p role="status">{t("admin.loading")}</p>}
      {page && page.nodes.length === 0 && <p className="empty">{t("admin.apps.empty")}</p>}
      {page && page.nodes.length > 0 && (
        <table className="admin-table" aria-labelledby="apps-heading" aria-busy={fetching}>
          <thead>
            <tr>
              <th scope="col">{t("admin.apps.app")}</th>
              <th scope="col">{t("admin.apps.member")}</th>
              <th scope="col">{t("admin.apps.scopes")}</th>
              <th scope="col">{t("admin.apps.since")}</th>
              <th scope="col">{t("admin.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((a) => (
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
                      setProblem(null);
                      setPending(a);
                    }}
                  >
                    {t("admin.apps.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <Pager
          cursors={cursors}
          hasNext={page.pageInfo.hasNextPage}
          endCursor={page.pageInfo.endCursor}
          total={page.totalCount}
        />
      )}
      {pending && (
        <ConfirmDialog
          title={t("admin.apps.revokeTitle", { name: pending.clientName })}
          text={t("admin.apps.revokeText")}
          confirm={t("admin.apps.revoke")}
          busy={revoking}
          problem={problem}
          onConfirm={() => void confirm()}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}
