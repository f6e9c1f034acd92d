// The structure record and its recipient parameters; what identifies the structure is shown, not edited.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { graphql } from "../../gql";
import type { AdminWorkspaceFragment } from "../../gql/graphql";
import { Announce, CheckField, FormProblems, TextField, applyErrors, useErrorText } from "./Form";
import type { ApiUserError } from "./userErrors";
import { optional } from "./userErrors";

graphql(`
  fragment AdminWorkspace on Workspace {
    id
    identifier
    identifierType
    name
    isPublic
    isActive
    vatNumber
    email
    phone
    address {
      line1
      line2
      line3
      postcode
      town
      countryCode
      countryName
    }
    parameters {
      serviceCodeRequired
      engagementRequired
      serviceOrEngagementRequired
      paymentStatusReported
    }
  }
`);

const WorkspaceQuery = graphql(`
  query AdminWorkspace {
    workspace {
      ...AdminWorkspace
    }
  }
`);

const UpdateWorkspace = graphql(`
  mutation UpdateWorkspace($input: UpdateWorkspaceInput!) {
    updateWorkspace(input: $input) {
      workspace {
        ...AdminWorkspace
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

const ADDRESS = ["line1", "line2", "line3", "postcode", "town", "countryCode", "countryName"] as const;
const PARAMETERS = [
  "serviceCodeRequired",
  "engagementRequired",
  "serviceOrEngagementRequired",
  "paymentStatusReported",
] as const;

interface Values {
  name: string;
  vatNumber: string;
  email: string;
  phone: string;
  address: Record<(typeof ADDRESS)[number], string>;
  parameters: Record<(typeof PARAMETERS)[number], boolean>;
}

const FIELDS = [
  "name",
  "vatNumber",
  "email",
  "phone",
  ...ADDRESS.map((f) => `address.${f}` as const),
  "parameters",
] as const;

function valuesOf(w: AdminWorkspaceFragment): Values {
  return {
    name: w.name,
    vatNumber: w.vatNumber ?? "",
    email: w.email ?? "",
    phone: w.phone ?? "",
    address: Object.fromEntries(ADDRESS.map((f) => [f, w.address[f] ?? ""])) as Values["address"],
    parameters: Object.fromEntries(PARAMETERS.map((f) => [f, w.parameters[f]])) as Values["parameters"],
  };
}

export function StructureForm() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: WorkspaceQuery });
  if (error) return <p role="alert">{t("admin.loadError", { message: error.message })}</p>;
  if (!data) return <p role="status">{t("admin.loading")}</p>;
  return <Editor key={data.workspace.id} workspace={data.workspace} />;
}

function Editor({ workspace }: { workspace: AdminWorkspaceFragment }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const [, update] = useMutation(UpdateWorkspace);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const [done, setDone] = useState("");
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ defaultValues: valuesOf(workspace) });

  const save = async (values: Values) => {
    setDone("");
    setGeneral([]);
    const address = Object.fromEntries(ADDRESS.map((f) => [f, optional(values.address[f])]));
    const result = await update({
      input: {
        name: values.name.trim(),
        vatNumber: optional(values.vatNumber),
        email: optional(values.email),
        phone: optional(values.phone),
        address: { ...address, countryCode: optional(values.address.countryCode) ?? "FR" },
        ...(workspace.isPublic
          ? { parameters: Object.fromEntries(PARAMETERS.map((f) => [f, values.parameters[f]])) as Values["parameters"] }
          : {}),
      },
    });
    const payload = result.data?.updateWorkspace;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "?" }]);
      return;
    }
    if (payload.userErrors.length > 0) {
      setGeneral(applyErrors<Values>(payload.userErrors, FIELDS, setError, text));
      return;
    }
    if (payload.workspace) reset(valuesOf(payload.workspace));
    setDone(t("admin.saved"));
  };

  const fieldError = (name: (typeof FIELDS)[number]): string | undefined => {
    const [head, tail] = name.split(".") as [keyof Values, string | undefined];
    const found = tail ? (errors[head] as Record<string, { message?: string }> | undefined)?.[tail] : errors[head];
    return (found as { message?: string } | undefined)?.message;
  };
  const invalid = FIELDS.filter((f) => fieldError(f)).length;

  return (
    <section aria-labelledby="structure-heading">
      <h2 id="structure-heading">{t("admin.structure.heading")}</h2>
      <div className="card">
        <h3>{t("admin.structure.fixed")}</h3>
        <dl>
          <dt>{t("admin.structure.identifier")}</dt>
          <dd data-testid="structure-identifier">{workspace.identifier}</dd>
          <dt>{t("admin.structure.identifierType")}</dt>
          <dd>{workspace.identifierType}</dd>
          <dt>{t("admin.structure.kind")}</dt>
          <dd>{workspace.isPublic ? t("admin.structure.public") : t("admin.structure.private")}</dd>
          <dt>{t("admin.structure.active")}</dt>
          <dd>{workspace.isActive ? t("admin.yes") : t("admin.no")}</dd>
        </dl>
      </div>
      <form className="admin-form" noValidate onSubmit={(e) => void handleSubmit(save)(e)}>
        <FormProblems fieldCount={invalid} general={general} />
        <fieldset>
          <legend>{t("admin.structure.record")}</legend>
          <TextField
            label={t("admin.structure.name")}
            required
            error={fieldError("name")}
            registration={register("name", { validate: (v) => v.trim() !== "" || t("admin.errors.REQUIRED") })}
          />
          <TextField
            label={t("admin.structure.vatNumber")}
            error={fieldError("vatNumber")}
            registration={register("vatNumber")}
          />
          <TextField
            label={t("admin.structure.email")}
            type="email"
            autoComplete="email"
            error={fieldError("email")}
            registration={register("email")}
          />
          <TextField
            label={t("admin.structure.phone")}
            type="tel"
            autoComplete="tel"
            error={fieldError("phone")}
            registration={register("phone")}
          />
        </fieldset>
        <fieldset>
          <legend>{t("admin.structure.address")}</legend>
          {ADDRESS.map((f) => (
            <TextField
              key={f}
              label={t(`admin.structure.${f}`)}
              error={fieldError(`address.${f}`)}
              registration={register(`address.${f}`)}
            />
          ))}
        </fieldset>
        {workspace.isPublic && (
          <fieldset>
            <legend>{t("admin.structure.parameters")}</legend>
            <p className="hint">{t("admin.structure.parametersHint")}</p>
            {PARAMETERS.map((f) => (
              <CheckField key={f} label={t(`admin.structure.${f}`)} registration={register(`parameters.${f}`)} />
            ))}
            {fieldError("parameters") && <p className="field-error">{fieldError("parameters")}</p>}
          </fieldset>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={isSubmitting}>
            {isSubmitting ? t("admin.saving") : t("admin.save")}
          </button>
        </div>
        <Announce>{done}</Announce>
      </form>
    </section>
  );
}
