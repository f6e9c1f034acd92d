import type { ReactNode } from "react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router";

import { signOut, switchWorkspace } from "../auth/session";
import type { ShellQuery } from "../gql/graphql";
import { DepositLinks } from "./deposit/DepositLinks";

type Viewer = ShellQuery["viewer"];
type Membership = Viewer["workspaces"][number];

export function Shell({ viewer, current, children }: { viewer: Viewer; current: Membership | null; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const [leaving, setLeaving] = useState(false);
  const others = viewer.workspaces.filter((w) => !w.current);

  const choose = (identifier: string) => {
    if (!identifier) return;
    setLeaving(true);
    void switchWorkspace(identifier, location.pathname);
  };
  // Arrow keys on a closed select fire "change" at each step (Chromium): with the keyboard, a structure is
  // picked with the arrows and taken with Enter; a pick with the mouse is taken at once.
  const [picked, setPicked] = useState("");
  const stepping = useRef(false);

  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <span className="brand">{t("app.name")}</span>
        <div className="where" aria-live="polite">
          <span className="label">{t("header.workspace")}</span>
          <strong data-testid="current-workspace">{current?.name ?? "—"}</strong>
          {current && (
            <span className="badge" data-testid="current-role">
              {t(`role.${current.role}`)}
              {current.access === "READ_ONLY" ? ` · ${t("access.READ_ONLY")}` : ""}
            </span>
          )}
        </div>
        {others.length > 0 && (
          <label className="switch">
            <span className="visually-hidden">{t("header.switch")}</span>
            <select
              value={picked}
              disabled={leaving}
              aria-description={t("header.switchHint")}
              onKeyDown={(event) => {
                const typed = event.key.length === 1 && event.key !== " "; // type-ahead, not Space (opens the list)
                stepping.current =
                  !event.altKey &&
                  (typed || event.key.startsWith("Arrow") || ["Home", "End", "PageUp", "PageDown"].includes(event.key));
                if (event.key === "Enter") choose(picked);
              }}
              onChange={(event) => {
                setPicked(event.target.value);
                if (!stepping.current) choose(event.target.value);
                stepping.current = false;
              }}
            >
              <option value="">{t("header.switch")}…</option>
              {others.map((w) => (
                <option key={`${w.identifierType}:${w.identifier}`} value={w.identifier}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="link"
          lang={i18n.resolvedLanguage === "en" ? "fr" : "en"}
          title={t("header.languageLabel")}
          onClick={() => void i18n.changeLanguage(i18n.resolvedLanguage === "en" ? "fr" : "en")}
        >
          {i18n.resolvedLanguage === "en" ? "Français" : "English"}
        </button>
        <button type="button" onClick={() => void signOut()}>
          {t("header.signOut")}
        </button>
      </header>
      <nav className="side" aria-label={t("nav.label")}>
        {viewer.user && (
          <p className="user">
            <span className="muted small">{t("header.signedInAs")}</span>
            <br />
            {viewer.user.displayName}
            <br />
            {/* The hub's own page (password, e-mail, sessions, apps): a full page load, not a route of the app. */}
            <a className="small" href="/account">
              {t("header.account")}
            </a>
          </p>
        )}
        <ul>
          <li>
            <NavLink to="/factures/recues">{t("nav.received")}</NavLink>
          </li>
          <li>
            <NavLink to="/factures/emises">{t("nav.issued")}</NavLink>
          </li>
          <DepositLinks />
          {viewer.scopes.includes("workspace:admin") && (
            <li>
              <NavLink to="/administration">{t("admin.nav")}</NavLink>
            </li>
          )}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
