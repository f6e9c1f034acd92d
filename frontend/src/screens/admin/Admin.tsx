// Screen 7, Administration: for the workspace's administrators only (the token holds workspace:admin);
// anyone else who comes to the address is told why it is closed to them.
import { useTranslation } from "react-i18next";
import { NavLink, Navigate, Route, Routes } from "react-router";

import { ApiClients } from "./ApiClients";
import { AuthorizedApps } from "./AuthorizedApps";
import { Invitations } from "./Invitations";
import { Members } from "./Members";
import { Requests } from "./Requests";
import { Services } from "./Services";
import { StructureForm } from "./StructureForm";
import { TwoFactorSetting } from "./TwoFactorSetting";

export const ADMIN_SCOPE = "workspace:admin";

export default function Admin({ scopes, selfEmail }: { scopes: readonly string[]; selfEmail: string | null }) {
  const { t } = useTranslation();
  if (!scopes.includes(ADMIN_SCOPE)) {
    return (
      <section className="admin">
        <h1>{t("admin.title")}</h1>
        <p role="alert" className="problem">
          {t("admin.refused")}
        </p>
      </section>
    );
  }
  const sections = [
    ["structure", t("admin.structure.tab")],
    ["securite", t("admin.security.tab")],
    ["services", t("admin.services.tab")],
    ["membres", t("admin.members.tab")],
    ["demandes", t("admin.requests.tab")],
    ["invitations", t("admin.invitations.tab")],
    ["clients", t("admin.clients.tab")],
    ["applications", t("admin.apps.tab")],
  ] as const;
  return (
    <section className="admin">
      <h1>{t("admin.title")}</h1>
      <nav className="subnav" aria-label={t("admin.sections")}>
        <ul>
          {sections.map(([path, label]) => (
            <li key={path}>
              <NavLink to={`/administration/${path}`}>{label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="structure" replace />} />
        <Route path="structure" element={<StructureForm />} />
        <Route path="securite" element={<TwoFactorSetting />} />
        <Route path="services" element={<Services />} />
        <Route path="membres" element={<Members selfEmail={selfEmail} />} />
        <Route path="demandes" element={<Requests />} />
        <Route path="invitations" element={<Invitations />} />
        <Route path="clients" element={<ApiClients ownScopes={scopes} />} />
        <Route path="applications" element={<AuthorizedApps />} />
        <Route path="*" element={<p>{t("notFound")}</p>} />
      </Routes>
    </section>
  );
}
