import { Suspense, lazy, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes } from "react-router";
import { useQuery } from "urql";

import { rememberWorkspace } from "./auth/session";
import { graphql } from "./gql";
import { Shell } from "./screens/Shell";
import { Deposit, Directory, Flux, InvoiceForm, ToValidate } from "./screens/deposit/lazy";

const Admin = lazy(() => import("./screens/admin/Admin"));

const InvoiceList = lazy(() => import("./screens/invoices/InvoiceList").then((m) => ({ default: m.InvoiceList })));
const InvoiceDetail = lazy(() => import("./screens/invoices/InvoiceDetail").then((m) => ({ default: m.InvoiceDetail })));

const ShellQuery = graphql(`
  query Shell {
    viewer {
      role
      scopes
      user {
        displayName
        email
      }
      workspaces {
        identifier
        identifierType
        name
        isPublic
        role
        access
        current
      }
    }
  }
`);

export function App() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: ShellQuery, requestPolicy: "cache-first" });
  const current = data?.viewer.workspaces.find((w) => w.current) ?? null;

  useEffect(() => {
    if (current) rememberWorkspace(current.identifier);
  }, [current]);

  if (error) {
    return (
      <main className="centered">
        <p role="alert">{error.message}</p>
      </main>
    );
  }
  if (!data) {
    return (
      <main className="centered">
        <p role="status">{t("signIn.working")}</p>
      </main>
    );
  }
  const home = current?.isPublic === false ? "/factures/emises" : "/factures/recues";
  return (
    <Shell viewer={data.viewer} current={current}>
      <Suspense
        fallback={
          <p role="status" className="muted">
            {t("invoices.loading")}
          </p>
        }
      >
      <Routes>
        <Route path="/" element={<Navigate to={home} replace />} />
        <Route path="/factures/recues" element={<InvoiceList side="received" />} />
        <Route path="/factures/emises" element={<InvoiceList side="issued" />} />
        <Route path="/factures/:id" element={<InvoiceDetail />} />
        <Route path="/deposer" element={<Deposit />} />
        <Route path="/deposer/saisie" element={<InvoiceForm />} />
        <Route path="/flux" element={<Flux />} />
        <Route path="/flux/:id" element={<Flux />} />
        <Route path="/a-valider" element={<ToValidate />} />
        <Route path="/annuaire" element={<Directory />} />
        <Route
          path="/administration/*"
          element={
            <Suspense fallback={<p role="status">{t("admin.loading")}</p>}>
              <Admin scopes={data.viewer.scopes} selfEmail={data.viewer.user?.email ?? null} />
            </Suspense>
          }
        />
        <Route path="*" element={<p>{t("notFound")}</p>} />
      </Routes>
      </Suspense>
    </Shell>
  );
}
