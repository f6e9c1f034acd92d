// The deposit area's screens as lazy components: their code (and react-hook-form) loads when one is first
// opened, so the first load stays small.
import type { ComponentType } from "react";
import { Suspense, lazy } from "react";
import { useTranslation } from "react-i18next";

type Screens = typeof import("./routes");

function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="muted">
      {t("deposit.common.loading")}
    </p>
  );
}

function screen(name: keyof Screens): ComponentType {
  const Lazy = lazy(() => import("./routes").then((m) => ({ default: m[name] as ComponentType })));
  return function Screen() {
    return (
      <Suspense fallback={<Loading />}>
        <Lazy />
      </Suspense>
    );
  };
}

export const Deposit = screen("Deposit");
export const InvoiceForm = screen("InvoiceForm");
export const Flux = screen("Flux");
export const ToValidate = screen("ToValidate");
export const Directory = screen("Directory");
