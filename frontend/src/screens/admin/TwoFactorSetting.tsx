// The workspace's security setting: whether its administrators must sign in with a second factor. The hub's
// sign-in pages enforce it (an administrator without one is sent to enrol before getting a token).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";

import { graphql } from "../../gql";
import { Announce, FormProblems } from "./Form";
import type { ApiUserError } from "./userErrors";

const TwoFactorQuery = graphql(`
  query AdminTwoFactor {
    workspace {
      id
      requireAdminTwoFactor
    }
  }
`);

const SetAdminTwoFactor = graphql(`
  mutation SetAdminTwoFactor($input: SetAdminTwoFactorInput!) {
    setAdminTwoFactor(input: $input) {
      workspace {
        id
        requireAdminTwoFactor
      }
      userErrors {
        ...AdminUserError
      }
    }
  }
`);

export function TwoFactorSetting() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: TwoFactorQuery });
  const [{ fetching }, set] = useMutation(SetAdminTwoFactor);
  const [general, setGeneral] = useState<ApiUserError[]>([]);
  const [done, setDone] = useState("");
  if (error) return <p role="alert">{t("admin.loadError", { message: error.message })}</p>;
  if (!data) return <p role="status">{t("admin.loading")}</p>;
  const required = data.workspace.requireAdminTwoFactor;

  const toggle = async () => {
    setDone("");
    setGeneral([]);
    const result = await set({ input: { required: !required } });
    const payload = result.data?.setAdminTwoFactor;
    if (!payload) {
      setGeneral([{ code: "INVALID", message: result.error?.message ?? "?" }]);
      return;
    }
    if (payload.userErrors.length > 0) {
      setGeneral(payload.userErrors);
      return;
    }
    setDone(payload.workspace?.requireAdminTwoFactor ? t("admin.security.nowOn") : t("admin.security.nowOff"));
  };

  return (
    <section aria-labelledby="security-heading">
      <h2 id="security-heading">{t("admin.security.heading")}</h2>
      <div className="card">
        <FormProblems fieldCount={0} general={general} />
        <p id="security-state">{required ? t("admin.security.on") : t("admin.security.off")}</p>
        <p className="hint">{t("admin.security.hint")}</p>
        <div className="check">
          <input
            id="require-admin-two-factor"
            type="checkbox"
            role="switch"
            checked={required}
            aria-describedby="security-state"
            disabled={fetching}
            onChange={() => void toggle()}
          />
          <label htmlFor="require-admin-two-factor">{t("admin.security.toggle")}</label>
        </div>
        <Announce>{done}</Announce>
      </div>
    </section>
  );
}
