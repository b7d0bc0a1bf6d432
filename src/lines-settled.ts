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
    // Kept from the events, not read from every line at each: a thousand lines send thousands.
    const underWay = new Set<string>();
    const note = (l: { id: string; state: string }) => {
      if (UNDER_WAY.has(l.state)) underWay.add(l.id);
      else underWay.delete(l.id);
    };
    started.then(() => {
      timer = setTimeout(done, maxWaitMs);
      for (const l of app.phone.lines) note(l);
      off = app.phone.on("line-state", (l) => {
        note(l);
        if (underWay.size === 0) done();
      });
      if (underWay.size === 0) done();
    }, done);
  });
}
