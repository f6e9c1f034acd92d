import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next, useTranslation } from "react-i18next";

import type { Locale } from "../lib/format";
import { en } from "./en";
import { fr } from "./fr";

export const LANGUAGE_KEY = "facturehub.language";
export const LANGUAGE_COOKIE = "facturehub_lang";

// French first; the switch is remembered in this browser, nothing else is guessed.
void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    supportedLngs: ["fr", "en"],
    fallbackLng: "fr",
    interpolation: { escapeValue: false }, // React escapes
    // The cookie is the one the hub's sign-in pages read and write (auth/page_text.py): one switch for both.
    detection: {
      order: ["cookie", "localStorage"],
      lookupCookie: LANGUAGE_COOKIE,
      lookupLocalStorage: LANGUAGE_KEY,
      caches: ["localStorage", "cookie"],
      cookieOptions: { path: "/", sameSite: "lax" },
    },
  });

i18next.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18next.resolvedLanguage ?? "fr";

export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === "en" ? "en" : "fr";
}

export default i18next;
