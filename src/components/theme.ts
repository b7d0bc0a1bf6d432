import type { Settings } from "../storage/settings-store.js";

// The user's look and language, applied to the element (the settings are src/storage's).

/**
 * Puts the user's theme (Settings → General) on `<sip-phone>` as `data-theme`, which the design
 * tokens follow (shared-styles.ts) and the app page's background too (app.css). A theme never
 * chosen leaves the attribute alone, so a host page's own `data-theme` stays in force.
 */
export function applyTheme(el: HTMLElement, theme: Settings["theme"]): void {
  if (theme === undefined) return;
  if (theme === "auto") el.removeAttribute("data-theme");
  else el.setAttribute("data-theme", theme);
}

/**
 * Puts the user's language (Settings → General) on `<sip-phone>` as its `lang`, which its
 * LanguageController follows. "auto" takes back only a `lang` the setting put there (a host
 * page's own `lang` on the element stays); a language never chosen changes nothing.
 */
export function applyLanguage(el: HTMLElement, language: string | undefined): void {
  if (language === undefined) return;
  if (language === "auto") {
    if (el.hasAttribute("data-lang-chosen")) el.removeAttribute("lang");
    el.removeAttribute("data-lang-chosen");
  } else {
    el.setAttribute("lang", language);
    el.setAttribute("data-lang-chosen", "");
  }
}
