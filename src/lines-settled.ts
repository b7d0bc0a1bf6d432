import type { SipPhoneApp } from "./components/app-factory.js";

/** Line states (sip/api/line-state.ts) in which a registration is still under way. */
const UNDER_WAY: ReadonlySet<string> = new Set(["connecting", "registering"]);

/**
 * Resolves once the app has started and none of its lines is still connecting or registering,
 * or `maxWaitMs` after its start at the latest; at once if the start fails (the element says
 * why). The app page loads its views after this (src/main.ts): building them is one main-thread
 * task of ~50 ms, which would otherwise sit between the WebSocket's messages and the REGISTER
 * (e2e/bench/load-timeline.mjs). The deadline bounds what a slow server costs the first paint
 * of the views; index.html's static shell is on screen meanwhile.
 */
export function linesSettled(app: Pick<SipPhoneApp, "phone">, started: Promise<unknown>, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    let off: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      off?.();
      clearTimeout(timer);
      resolve();
    };
    const check = () => {
      if (!app.phone.lines.some((l) => UNDER_WAY.has(l.state))) done();
    };
    started.then(() => {
      timer = setTimeout(done, maxWaitMs);
      off = app.phone.on("line-state", check);
      check();
    }, done);
  });
}
