// The deposit area's entries in the side navigation (kept here so the shell needs one line for them).
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

export function DepositLinks() {
  const { t } = useTranslation();
  return (
    <>
      <li>
        <NavLink to="/deposer">{t("deposit.nav.deposit")}</NavLink>
      </li>
      <li>
        <NavLink to="/flux">{t("deposit.nav.flux")}</NavLink>
      </li>
      <li>
        <NavLink to="/a-valider">{t("deposit.nav.toValidate")}</NavLink>
      </li>
      <li>
        <NavLink to="/annuaire">{t("deposit.nav.directory")}</NavLink>
      </li>
    </>
  );
}
