import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next, useTranslation } from "react-i18next";

import type { Locale } from "../lib/format";
import { en } from "./en";
import { fr } from "./fr";

export const LANGUAGE_KEY = "facturehub.language";

// French first; the switch is remembered in this browser (localStorage), nothing else is guessed.
void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    supportedLngs: ["fr", "en"],
    fallbackLng: "fr",
    interpolation: { escapeValue: false }, // React escapes
    detection: { order: ["localStorage"], lookupLocalStorage: LANGUAGE_KEY, caches: ["localStorage"] },
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
