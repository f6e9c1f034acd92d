// Requests to join the structure (demandes de rattachement): approve with a role and access, or decline with
// a reason the requester reads in their mail; both in the shared dialog.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { Dialog } from "../../components/Dialog";
import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { Access, AdminMembershipRequestFragment, Role } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { Announce, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import { RoleAndAccess } from "./RoleAndAccess";
import type { ApiUserError } from "./userErrors";

graphql(`
  fragment AdminMembershipRequest on MembershipRequest {
    id
    message
    createdAt
    requester {
      id
      email
      displayName
    }
  }
`);

const RequestsQuery = graphql(`
  query AdminMembershipRequests($first: Int!, $after: String) {
    workspace {
      id
      membershipRequests(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminMembershipRequest
        }
      }
    }
  }
`);

const Approve = graphql(`
  mutation ApproveMembershipRequest($input: ApproveMembershipRequestInput!) {
    approveMembershipRequest(input: $input) {
      membershipRequest {
        id
        status
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const Decline = graphql(`
  mutation DeclineMembershipRequest($input: DeclineMembershipRequestInput!) {
    declineMembershipRequest(input: $input) {
      membershipRequest {
        id
        status
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

type Answering = { request: AdminMembershipRequestFragment; approve: boolean };

export function Requests() {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: RequestsQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after },
  });
  const outcome = useMutationResult(text);
  const [answering, setAnswering] = useState<Answering | null>(null);
  const page = data?.workspace.membershipRequests;

  const answered = (message: string) => {
    outcome.succeed(message);
    setAnswering(null);
    refetch({ requestPolicy: "network-only" });
  };
  const open = (request: AdminMembershipRequestFragment, approve: boolean) => {
    outcome.clear();
    setAnswering({ request, approve });
  };

  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">{t("admin.requests.heading")}</h2>
      <p className="muted">{t("admin.requests.intro")}</p>
      <Announce>{outcome.done}</Announce>
      <ListTable
        labelledBy="requests-heading"
        columns={[t("admin.requests.who"), t("admin.requests.message"), t("admin.requests.asked"), t("admin.actions")]}
        page={page}
        fetching={fetching}
        error={error}
        empty={t("admin.requests.empty")}
        row={(r) => (
          <tr key={r.id}>
            <td>
              {r.requester.displayName}
              <div className="muted small">{r.requester.email}</div>
            </td>
            <td className="message">{r.message ?? <span className="muted">{t("admin.requests.noMessage")}</span>}</td>
            <td>{formatDateTime(r.createdAt, locale)}</td>
            <td className="row-actions">
              <button
                type="button"
                aria-label={t("admin.requests.approveLabel", { name: r.requester.displayName })}
                onClick={() => open(r, true)}
              >
                {t("admin.requests.approve")}
              </button>
              <button
                type="button"
                aria-label={t("admin.requests.declineLabel", { name: r.requester.displayName })}
                onClick={() => open(r, false)}
              >
                {t("admin.requests.decline")}
              </button>
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {answering?.approve && (
        <ApproveDialog request={answering.request} onClose={() => setAnswering(null)} onDone={answered} />
      )}
      {answering && !answering.approve && (
        <DeclineDialog request={answering.request} onClose={() => setAnswering(null)} onDone={answered} />
      )}
    </section>
  );
}

interface ApproveValues {
  role: Role;
  access: Access;
}

function ApproveDialog({
  request,
  onClose,
  onDone,
}: {
  request: AdminMembershipRequestFragment;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [, approve] = useMutation(Approve);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const name = request.requester.displayName;
  const {
    register,
    handleSubmit,
    formState: { isSubmitting },
  } = useForm<ApproveValues>({ defaultValues: { role: "UTILISATEUR", access: "WRITE" } });

  const save = async (values: ApproveValues) => {
    setGeneral([]);
    const result = await approve({ input: { id: request.id, ...values } });
    const payload = result.data?.approveMembershipRequest;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral([...payload.userErrors]);
      return;
    }
    onDone(t("admin.requests.approved", { name }));
  };

  return (
    <Dialog title={t("admin.requests.approveTitle", { name })} onClose={onClose}>
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={0} general={general} />
        <p className="muted">{request.requester.email}</p>
        <RoleAndAccess role={register("role")} access={register("access")} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className="primary" disabled={isSubmitting}>
            {t("admin.requests.approve")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface DeclineValues {
  reason: string;
}

const DECLINE_FIELDS = ["reason"] as const;

function DeclineDialog({
  request,
  onClose,
  onDone,
}: {
  request: AdminMembershipRequestFragment;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const text = useErrorText();
  const [, decline] = useMutation(Decline);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const name = request.requester.displayName;
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<DeclineValues>({ defaultValues: { reason: "" } });

  const save = async (values: DeclineValues) => {
    setGeneral([]);
    const result = await decline({ input: { id: request.id, reason: values.reason } });
    const payload = result.data?.declineMembershipRequest;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral(applyErrors<DeclineValues>(payload.userErrors, DECLINE_FIELDS, setError, text));
      return;
    }
    onDone(t("admin.requests.declined", { name }));
  };

  return (
    <Dialog title={t("admin.requests.declineTitle", { name })} onClose={onClose}>
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={errors.reason ? 1 : 0} general={general} />
        <TextField
          label={t("admin.requests.reason")}
          hint={t("admin.requests.reasonHint")}
          multiline
          required
          error={errors.reason?.message}
          registration={register("reason", { validate: (v) => v.trim() !== "" || t("admin.errors.REQUIRED") })}
        />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className="primary" disabled={isSubmitting}>
            {t("admin.requests.decline")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
