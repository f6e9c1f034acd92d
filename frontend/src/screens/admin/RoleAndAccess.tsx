// The role and the access a member is given, the same two choices wherever someone joins a workspace:
// added, invited, or let in on their request.
import type { UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";

import type { Access, Role } from "../../gql/graphql";

export const ROLES: Role[] = ["GESTIONNAIRE_PRINCIPAL", "GESTIONNAIRE", "UTILISATEUR"];
export const ACCESSES: Access[] = ["WRITE", "READ_ONLY"];

export function RoleAndAccess({ role, access }: { role: UseFormRegisterReturn; access: UseFormRegisterReturn }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label>
          {t("admin.members.role")}
          <select {...role}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="field">
        <label>
          {t("admin.members.access")}
          <select {...access}>
            {ACCESSES.map((a) => (
              <option key={a} value={a}>
                {t(`access.${a}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}
