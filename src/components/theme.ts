import type { Settings } from "../storage/settings-store.js";

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
