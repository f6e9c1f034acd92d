// Members and their roles: add an existing account by e-mail, change role and access, remove (confirmed).
// The API's refusals (the last main manager...) are read out where the action was asked.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { Dialog } from "../../components/Dialog";
import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { Access, AdminMemberFragment, Role } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { ConfirmDialog } from "./ConfirmDialog";
import { Announce, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import { RoleAndAccess } from "./RoleAndAccess";
import type { ApiUserError } from "./userErrors";


graphql(`
  fragment AdminMember on Member {
    id
    role
    access
    createdAt
    user {
      id
      email
      displayName
    }
  }
`);

const MembersQuery = graphql(`
  query AdminMembers($first: Int!, $after: String) {
    workspace {
      id
      members(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminMember
        }
      }
    }
  }
`);

const AddMember = graphql(`
  mutation AddMember($input: AddMemberInput!) {
    addMember(input: $input) {
      member {
        ...AdminMember
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const UpdateMember = graphql(`
  mutation UpdateMember($input: UpdateMemberInput!) {
    updateMember(input: $input) {
      member {
        ...AdminMember
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const RemoveMember = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      removedMemberId
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

export function Members({ selfEmail }: { selfEmail: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: MembersQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after },
  });
  const outcome = useMutationResult(text);
  const [editing, setEditing] = useState<AdminMemberFragment | null>(null);
  const [removing, setRemoving] = useState<AdminMemberFragment | null>(null);
  const [{ fetching: removingNow }, remove] = useMutation(RemoveMember);
  const page = data?.workspace.members;

  const changed = (message: string) => {
    outcome.succeed(message);
    setEditing(null);
    refetch({ requestPolicy: "network-only" });
  };

  const confirmRemove = async () => {
    if (!removing) return;
    const result = await remove({ input: { id: removing.id } });
    const errors = result.data?.removeMember.userErrors ?? [];
    if (result.error || errors.length || !result.data?.removeMember.removedMemberId) {
      outcome.refuse(errors, result.error);
      return;
    }
    const name = removing.user.displayName;
    setRemoving(null);
    changed(t("admin.members.removed", { name }));
  };

  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">{t("admin.members.heading")}</h2>
      <AddMemberForm onAdded={changed} />
      <Announce>{outcome.done}</Announce>
      <ListTable
        labelledBy="members-heading"
        columns={[
          t("admin.members.name"),
          t("admin.members.role"),
          t("admin.members.access"),
          t("admin.members.since"),
          t("admin.actions"),
        ]}
        page={page}
        fetching={fetching}
        error={error}
        empty={t("admin.members.empty")}
        row={(m) => (
          <tr key={m.id}>
            <td>
              {m.user.displayName}
              {m.user.email === selfEmail && <span className="muted"> ({t("admin.members.you")})</span>}
              <div className="muted small">{m.user.email}</div>
            </td>
            <td>{t(`role.${m.role}`)}</td>
            <td>{t(`access.${m.access}`)}</td>
            <td>{formatDateTime(m.createdAt, locale)}</td>
            <td className="row-actions">
              <button
                type="button"
                aria-label={t("admin.members.editLabel", { name: m.user.displayName })}
                onClick={() => {
                  outcome.clear();
                  setEditing(m);
                }}
              >
                {t("admin.edit")}
              </button>
              <button
                type="button"
                aria-label={t("admin.members.removeLabel", { name: m.user.displayName })}
                onClick={() => {
                  outcome.clear();
                  setRemoving(m);
                }}
              >
                {t("admin.members.remove")}
              </button>
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {editing && <EditMemberDialog member={editing} onClose={() => setEditing(null)} onSaved={changed} />}
      {removing && (
        <ConfirmDialog
          title={t("admin.members.removeTitle", { name: removing.user.displayName })}
          text={t("admin.members.removeText", { name: removing.user.displayName, email: removing.user.email })}
          confirm={t("admin.members.remove")}
          busy={removingNow}
          problem={outcome.problem}
          onConfirm={() => void confirmRemove()}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

interface AddValues {
  email: string;
  role: Role;
  access: Access;
}

const ADD_FIELDS = ["email"] as const; // role and access are picked from lists: their refusals are general

function AddMemberForm({ onAdded }: { onAdded: (message: string) => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const [, add] = useMutation(AddMember);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<AddValues>({ defaultValues: { email: "", role: "UTILISATEUR", access: "WRITE" } });

  const save = async (values: AddValues) => {
    setGeneral([]);
    const result = await add({ input: { ...values, email: values.email.trim() } });
    const payload = result.data?.addMember;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral(applyErrors<AddValues>(payload.userErrors, ADD_FIELDS, setError, text));
      return;
    }
    reset();
    onAdded(t("admin.members.added", { name: payload.member?.user.displayName ?? values.email }));
  };
  const invalid = ADD_FIELDS.filter((f) => errors[f]).length;

  return (
    <form className="admin-form card inline-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
      <h3>{t("admin.members.add")}</h3>
      <FormProblems fieldCount={invalid} general={general} />
      <div className="field-row">
        <TextField
          label={t("admin.members.email")}
          type="email"
          autoComplete="off"
          required
          hint={t("admin.members.emailHint")}
          error={errors.email?.message}
          registration={register("email", {
            validate: (v) => v.trim() !== "" || t("admin.errors.REQUIRED"),
          })}
        />
        <RoleAndAccess role={register("role")} access={register("access")} />
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {t("admin.members.add")}
        </button>
      </div>
    </form>
  );
}

function EditMemberDialog({
  member,
  onClose,
  onSaved,
}: {
  member: AdminMemberFragment;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [, update] = useMutation(UpdateMember);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const {
    register,
    handleSubmit,
    formState: { isSubmitting },
  } = useForm<AddValues>({ defaultValues: { email: member.user.email, role: member.role, access: member.access } });

  const save = async (values: AddValues) => {
    setGeneral([]);
    const result = await update({ input: { id: member.id, role: values.role, access: values.access } });
    const payload = result.data?.updateMember;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral([...payload.userErrors]); // e.g. LAST_PRINCIPAL_MANAGER: about the whole change
      return;
    }
    onSaved(t("admin.members.updated", { name: member.user.displayName }));
  };

  return (
    <Dialog title={t("admin.members.editTitle", { name: member.user.displayName })} onClose={onClose}>
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={0} general={general} />
        <p className="muted">{member.user.email}</p>
        <RoleAndAccess role={register("role")} access={register("access")} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className="primary" disabled={isSubmitting}>
            {t("admin.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
