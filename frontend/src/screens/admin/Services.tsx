// The workspace's services: a paged, searchable list; create, edit, activate and deactivate.
// Names and descriptions are typed by people: rendered as text only.
import { useDeferredValue, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { Dialog } from "../../components/Dialog";
import { useCursors } from "../../components/useCursors";
import { useMutationResult } from "../../components/useMutationResult";
import { graphql } from "../../gql";
import type { AdminServiceFragment } from "../../gql/graphql";
import { useLocale } from "../../i18n";
import { formatDate } from "../../lib/format";
import { Announce, CheckField, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import { ListTable } from "./ListTable";
import { ADMIN_PAGE_SIZE, Pager } from "./Pager";
import type { ApiUserError } from "./userErrors";
import { optional } from "./userErrors";

graphql(`
  fragment AdminService on Service {
    id
    code
    name
    description
    isActive
    startDate
    endDate
    engagementRequired
  }
`);

const ServicesQuery = graphql(`
  query AdminServices($first: Int!, $after: String, $filter: ServiceFilter) {
    workspace {
      id
      services(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          ...NextPage
        }
        nodes {
          ...AdminService
        }
      }
    }
  }
`);

const CreateService = graphql(`
  mutation CreateService($input: CreateServiceInput!) {
    createService(input: $input) {
      service {
        ...AdminService
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const UpdateService = graphql(`
  mutation UpdateService($input: UpdateServiceInput!) {
    updateService(input: $input) {
      service {
        ...AdminService
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

type Activity = "" | "active" | "inactive";

export function Services() {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useErrorText();
  const [search, setSearch] = useState("");
  const words = useDeferredValue(search.trim());
  const [activity, setActivity] = useState<Activity>("");
  const cursors = useCursors();
  const filter = {
    ...(words ? { search: words } : {}),
    ...(activity ? { active: activity === "active" } : {}),
  };
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ServicesQuery,
    variables: { first: ADMIN_PAGE_SIZE, after: cursors.after, filter: Object.keys(filter).length ? filter : null },
  });
  const [editing, setEditing] = useState<AdminServiceFragment | "new" | null>(null);
  const outcome = useMutationResult(text);
  const [, update] = useMutation(UpdateService);
  const page = data?.workspace.services;

  const toggle = async (service: AdminServiceFragment) => {
    outcome.clear();
    const result = await update({ input: { id: service.id, isActive: !service.isActive } });
    const errors = result.data?.updateService.userErrors ?? [];
    if (result.error || errors.length) {
      outcome.refuse(errors, result.error);
      return;
    }
    outcome.succeed(t("admin.services.updated", { code: service.code }));
    refetch({ requestPolicy: "network-only" });
  };

  const edit = (service: AdminServiceFragment | "new") => {
    outcome.clear();
    setEditing(service);
  };

  const saved = (message: string) => {
    setEditing(null);
    outcome.succeed(message);
    refetch({ requestPolicy: "network-only" });
  };

  return (
    <section aria-labelledby="services-heading">
      <div className="list-head">
        <h2 id="services-heading">{t("admin.services.heading")}</h2>
        <button type="button" className="primary" onClick={() => edit("new")}>
          {t("admin.services.create")}
        </button>
      </div>
      <div className="filters">
        <label>
          {t("admin.services.search")}
          <input
            type="search"
            value={search}
            placeholder={t("admin.services.searchHint")}
            onChange={(e) => {
              setSearch(e.target.value);
              cursors.reset();
            }}
          />
        </label>
        <label>
          {t("admin.services.activeFilter")}
          <select
            value={activity}
            onChange={(e) => {
              setActivity(e.target.value as Activity);
              cursors.reset();
            }}
          >
            <option value="">{t("admin.services.all")}</option>
            <option value="active">{t("admin.services.activeOnly")}</option>
            <option value="inactive">{t("admin.services.inactiveOnly")}</option>
          </select>
        </label>
      </div>
      <Announce>{outcome.done}</Announce>
      {outcome.problem && (
        <p role="alert" className="problem">
          {outcome.problem}
        </p>
      )}
      <ListTable
        labelledBy="services-heading"
        columns={[
          t("admin.services.code"),
          t("admin.services.name"),
          t("admin.services.state"),
          t("admin.services.engagementShort"),
          t("admin.services.period"),
          t("admin.actions"),
        ]}
        page={page}
        fetching={fetching}
        error={error}
        empty={words || activity ? t("admin.services.emptyFiltered") : t("admin.services.empty")}
        row={(s) => (
          <tr key={s.id}>
            <td>
              <code>{s.code}</code>
            </td>
            <td>
              {s.name}
              {s.description && <div className="muted small">{s.description}</div>}
            </td>
            <td>
              <span className={s.isActive ? "status status-active" : "status status-inactive"}>
                {s.isActive ? t("admin.services.active") : t("admin.services.inactive")}
              </span>
            </td>
            <td>{s.engagementRequired ? t("admin.yes") : t("admin.no")}</td>
            <td>
              {s.startDate || s.endDate
                ? `${s.startDate ? formatDate(s.startDate, locale) : "…"} – ${s.endDate ? formatDate(s.endDate, locale) : "…"}`
                : t("admin.none")}
            </td>
            <td className="row-actions">
              <button
                type="button"
                aria-label={t("admin.services.editLabel", { code: s.code })}
                onClick={() => edit(s)}
              >
                {t("admin.edit")}
              </button>
              <button
                type="button"
                aria-label={t(s.isActive ? "admin.services.deactivateLabel" : "admin.services.activateLabel", {
                  code: s.code,
                })}
                onClick={() => void toggle(s)}
              >
                {s.isActive ? t("admin.services.deactivate") : t("admin.services.activate")}
              </button>
            </td>
          </tr>
        )}
      />
      <Pager cursors={cursors} page={page} />
      {editing && (
        <ServiceDialog service={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={saved} />
      )}
    </section>
  );
}

interface Values {
  code: string;
  name: string;
  description: string;
  startDate: string;
  endDate: string;
  engagementRequired: boolean;
  isActive: boolean;
}

const FIELDS = ["code", "name", "description", "startDate", "endDate", "engagementRequired", "isActive"] as const;

function ServiceDialog({
  service,
  onClose,
  onSaved,
}: {
  service: AdminServiceFragment | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation();
  const text = useErrorText();
  const [, create] = useMutation(CreateService);
  const [, update] = useMutation(UpdateService);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    defaultValues: {
      code: service?.code ?? "",
      name: service?.name ?? "",
      description: service?.description ?? "",
      startDate: service?.startDate ?? "",
      endDate: service?.endDate ?? "",
      engagementRequired: service?.engagementRequired ?? false,
      isActive: service?.isActive ?? true,
    },
  });
  const required = { validate: (v: string) => v.trim() !== "" || t("admin.errors.REQUIRED") };

  const save = async (values: Values) => {
    setGeneral([]);
    const common = {
      name: values.name.trim(),
      description: optional(values.description),
      startDate: optional(values.startDate),
      endDate: optional(values.endDate),
      engagementRequired: values.engagementRequired,
      isActive: values.isActive,
    };
    const payload = service
      ? (await update({ input: { id: service.id, ...common } })).data?.updateService
      : (await create({ input: { code: values.code.trim(), ...common } })).data?.createService;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: "" }]);
      return;
    }
    if (payload.userErrors.length) {
      setGeneral(applyErrors<Values>(payload.userErrors, FIELDS, setError, text));
      return;
    }
    const code = payload.service?.code ?? values.code;
    onSaved(t(service ? "admin.services.updated" : "admin.services.created", { code }));
  };
  const invalid = FIELDS.filter((f) => errors[f]).length;

  return (
    <Dialog
      title={service ? t("admin.services.editTitle", { code: service.code }) : t("admin.services.createTitle")}
      onClose={onClose}
    >
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={invalid} general={general} />
        <TextField
          label={t("admin.services.code")}
          required={!service}
          readOnly={!!service}
          hint={service ? t("admin.services.codeFixed") : undefined}
          error={errors.code?.message}
          registration={register("code", service ? {} : required)}
        />
        <TextField
          label={t("admin.services.name")}
          required
          error={errors.name?.message}
          registration={register("name", required)}
        />
        <TextField
          label={t("admin.services.description")}
          multiline
          error={errors.description?.message}
          registration={register("description")}
        />
        <div className="field-row">
          <TextField
            label={t("admin.services.startDate")}
            type="date"
            error={errors.startDate?.message}
            registration={register("startDate")}
          />
          <TextField
            label={t("admin.services.endDate")}
            type="date"
            error={errors.endDate?.message}
            registration={register("endDate")}
          />
        </div>
        <CheckField label={t("admin.services.engagementRequired")} registration={register("engagementRequired")} />
        <CheckField label={t("admin.services.isActive")} registration={register("isActive")} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className="primary" disabled={isSubmitting}>
            {isSubmitting ? t("admin.saving") : t("admin.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
