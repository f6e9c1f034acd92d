// Invitations: invite an e-mail address with a role (a mail carries a single-use link, valid seven days),
// follow them, withdraw a pending one (confirmed).
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { Access, AdminInvitationFragment, Language, Role } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "./ConfirmDialog";
import { Announce, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import { RoleAndAccess } from "./RoleAndAccess";
import type { ApiUserError } from "./userErrors";

graphql(`
  fragment AdminInvitation on Invitation {
    id
    email
    role
    access
    status
    createdAt
    expiresAt
  }
`);

const InvitationsQuery = graphql(`
  query AdminInvitations($first: Int!, $after: String) {
    workspace {
      id
      invitations(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminInvitation
        }
      }
    }
  }
`);

const Invite = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      invitation {
        ...AdminInvitation
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const Withdraw = graphql(`
  mutation WithdrawInvitation($input: WithdrawInvitationInput!) {
    withdrawInvitation(input: $input) {
      invitation {
        id
        status
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

export function Invitations() {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: InvitationsQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after },
  });
  const outcome = useMutationResult(text);
  const [withdrawing, setWithdrawing] = useState<AdminInvitationFragment | null>(null);
  const [{ fetching: withdrawingNow }, withdraw] = useMutation(Withdraw);
  const page = data?.workspace.invitations;

  const changed = (message: string) => {
    outcome.succeed(message);
    refetch({ requestPolicy: "network-only" });
  };

  const confirmWithdraw = async () => {
    if (!withdrawing) return;
    const result = await withdraw({ input: { id: withdrawing.id } });
    const errors = result.data?.withdrawInvitation.userErrors ?? [];
    if (result.error || errors.length || !result.data?.withdrawInvitation.invitation) {
      outcome.refuse(errors, result.error);
      return;
    }
    const email = withdrawing.email;
    setWithdrawing(null);
    changed(t("admin.invitations.withdrawn", { email }));
  };

  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t("admin.invitations.heading")}</h2>
      <InviteForm onInvited={changed} />
      <Announce>{outcome.done}</Announce>
      <ListTable
        labelledBy="invitations-heading"
        columns={[
          t("admin.invitations.email"),
          t("admin.members.role"),
          t("admin.invitations.status"),
          t("admin.invitations.expires"),
          t("admin.actions"),
        ]}
        page={page}
        fetching={fetching}
        error={error}
        empty={t("admin.invitations.empty")}
        row={(i) => (
          <tr key={i.id}>
            <td>{i.email}</td>
            <td>
              {t(`role.${i.role}`)}
              <div className="muted small">{t(`access.${i.access}`)}</div>
            </td>
            <td>{t(`admin.invitations.state.${i.status}`)}</td>
            <td>{formatDateTime(i.expiresAt, locale)}</td>
            <td className="row-actions">
              {i.status === "PENDING" && (
                <button
                  type="button"
                  aria-label={t("admin.invitations.withdrawLabel", { email: i.email })}
                  onClick={() => {
                    outcome.clear();
                    setWithdrawing(i);
                  }}
                >
                  {t("admin.invitations.withdraw")}
                </button>
              )}
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {withdrawing && (
        <ConfirmDialog
          title={t("admin.invitations.withdrawTitle", { email: withdrawing.email })}
          text={t("admin.invitations.withdrawText", { email: withdrawing.email })}
          confirm={t("admin.invitations.withdraw")}
          busy={withdrawingNow}
          problem={outcome.problem}
          onConfirm={() => void confirmWithdraw()}
          onClose={() => setWithdrawing(null)}
        />
      )}
    </section>
  );
}

interface InviteValues {
  email: string;
  role: Role;
  access: Access;
  language: Language;
}

const INVITE_FIELDS = ["email"] as const;

function InviteForm({ onInvited }: { onInvited: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const text = useErrorText();
  const [, invite] = useMutation(Invite);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<InviteValues>({
    defaultValues: { email: "", role: "UTILISATEUR", access: "WRITE", language: i18n.resolvedLanguage === "en" ? "EN" : "FR" },
  });

  const save = async (values: InviteValues) => {
    setGeneral([]);
    const result = await invite({ input: { ...values, email: values.email.trim() } });
    const payload = result.data?.inviteMember;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral(applyErrors<InviteValues>(payload.userErrors, INVITE_FIELDS, setError, text));
      return;
    }
    reset();
    onInvited(t("admin.invitations.sent", { email: payload.invitation?.email ?? values.email }));
  };

  return (
    <form className="admin-form card inline-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
      <h3>{t("admin.invitations.invite")}</h3>
      <FormProblems fieldCount={errors.email ? 1 : 0} general={general} />
      <div className="field-row">
        <TextField
          label={t("admin.invitations.email")}
          type="email"
          autoComplete="off"
          required
          hint={t("admin.invitations.emailHint")}
          error={errors.email?.message}
          registration={register("email", { validate: (v) => v.trim() !== "" || t("admin.errors.REQUIRED") })}
        />
        <RoleAndAccess role={register("role")} access={register("access")} />
        <div className="field">
          <label>
            {t("admin.invitations.language")}
            <select {...register("language")}>
              <option value="FR">Français</option>
              <option value="EN">English</option>
            </select>
          </label>
        </div>
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {t("admin.invitations.invite")}
        </button>
      </div>
    </form>
  );
}
