import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes } from "react-router";
import { useQuery } from "urql";

import { rememberWorkspace } from "./auth/session";
import { graphql } from "./gql";
import { Shell } from "./screens/Shell";

const InvoiceList = lazy(() => import("./screens/invoices/InvoiceList").then((m) => ({ default: m.InvoiceList })));
const InvoiceDetail = lazy(() => import("./screens/invoices/InvoiceDetail").then((m) => ({ default: m.InvoiceDetail })));

const ShellQuery = graphql(`
  query Shell {
    viewer {
      role
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
        <Route path="*" element={<p>{t("notFound")}</p>} />
      </Routes>
      </Suspense>
    </Shell>
  );
}
