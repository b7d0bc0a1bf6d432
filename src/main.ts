// The app page's entry: small, so that the phone registers before its views are built.
// First: a number from a tel:/sip: link goes to a phone already open, before anything else.
import "./early-launch.js";
// Then the app: its code and the saved configuration are fetched at once, and it starts (reads,
// registers) as soon as they are here, before any view exists (install-app.ts).
import { startFirstApp } from "./install-app.js";
import { applyOnFirstStart, fetchProvisionEarly } from "./app/early-provision.js";
import { linesSettled } from "./lines-settled.js";
import "./app.css";

/**
 * How long the views wait for the lines to register, at most, once the app has started. On a
 * PBX a few milliseconds away the REGISTER and its challenge take ~20 ms; one far away costs the
 * views no more than this (index.html's shell is on screen meanwhile). docs/performance.md,
 * "Registration before the views".
 */
const VIEWS_WAIT_MS = 80;

/** How long the views wait, at most, for a provisioning link's file to be applied on a first start. */
const PROVISION_WAIT_MS = 300;

/**
 * The theme chosen in Settings → General, as the element last showed it (its data-theme),
 * remembered here so that index.html's card and the page have it from the first paint, not
 * the system's colours until the settings are read (a flash of light for a dark choice).
 */
const THEME_HINT = "webphone-theme";
const shell = document.querySelector("sip-phone");
if (shell) {
  try {
    const hint = localStorage.getItem(THEME_HINT);
    if (hint === "light" || hint === "dark") shell.setAttribute("data-theme", hint);
    new MutationObserver(() => {
      const theme = shell.getAttribute("data-theme");
      if (theme) localStorage.setItem(THEME_HINT, theme);
      else localStorage.removeItem(THEME_HINT);
    }).observe(shell, { attributes: true, attributeFilter: ["data-theme"] });
  } catch {
    // Storage blocked (a browser setting): the card takes the system's colours, as before.
  }
}

const app = startFirstApp();
const started = app.startedEarly ?? Promise.resolve();
// A provisioning link (`?provision=`): its file is fetched and checked now, beside the phone's
// start, and on a first start applied before the views exist (app/early-provision.ts). The
// views wait for that, PROVISION_WAIT_MS after the start at most (a slow file server: they
// then apply the file when it comes, as they do whenever it needs the user's yes).
const provision = new URLSearchParams(location.search).get("provision");
const beforeViews = provision
  ? Promise.race([
      applyOnFirstStart(app, started, fetchProvisionEarly(provision)),
      started.then(() => new Promise((resolve) => setTimeout(resolve, PROVISION_WAIT_MS))),
    ])
  : started;
// The views' chunk is fetched now (vite.config.ts preloads it with index.html), and evaluated
// once the lines have settled: building the views is one long task that would otherwise delay
// the REGISTER's answers.
void linesSettled(app, beforeViews, VIEWS_WAIT_MS)
  .then(() => import("./app-page.js"))
  .catch(() => {
    // The views' chunk could not be fetched (offline without the cached app, a deployment
    // mid-update): the shell says so in index.html's words, not "Starting" for ever.
    for (const p of document.querySelectorAll<HTMLElement>("sip-phone > .shell-status, sip-phone > .shell-failed")) p.hidden = !p.hidden;
  });
