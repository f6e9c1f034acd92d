// Sign-in first: /callback completes an authorization; any other page without a token starts one.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router";
import { Provider } from "urql";

import { App } from "./App";
import { SignInError, completeSignIn, rememberWorkspace, signIn, signedIn } from "./auth/session";
import { createClient } from "./lib/client";

type Phase = { kind: "working" } | { kind: "ready" } | { kind: "failed"; reason: string };

let started: Promise<void> | null = null; // once per page, even under StrictMode's double effects

function start(): Promise<void> {
  started ??= (async () => {
    const url = new URL(window.location.href);
    if (url.pathname === "/callback") {
      const returnTo = await completeSignIn(url);
      window.history.replaceState(null, "", returnTo);
    } else if (!signedIn()) {
      // `/?workspace=IDENTIFIER` (the hub's page after creating a structure) names the workspace to land in.
      const named = url.pathname === "/" ? url.searchParams.get("workspace") : null;
      if (named) {
        rememberWorkspace(named);
        await signIn(named, "/");
      } else {
        await signIn();
      }
    }
  })();
  return started;
}

export function Boot() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: "working" });
  const language = i18n.resolvedLanguage === "en" ? "en" : "fr";
  const client = useMemo(() => createClient(language), [language]);

  useEffect(() => {
    start().then(
      () => setPhase({ kind: "ready" }),
      (error: unknown) =>
        setPhase({ kind: "failed", reason: error instanceof SignInError ? error.message : String(error) }),
    );
  }, []);

  if (phase.kind === "failed") {
    return (
      <main className="centered">
        <p role="alert">{t("signIn.failed", { reason: phase.reason })}</p>
        <button type="button" onClick={() => void signIn(undefined, "/")}>
          {t("signIn.retry")}
        </button>
      </main>
    );
  }
  if (phase.kind === "working") {
    return (
      <main className="centered">
        <p role="status">{t("signIn.working")}</p>
      </main>
    );
  }
  return (
    <Provider value={client}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </Provider>
  );
}
