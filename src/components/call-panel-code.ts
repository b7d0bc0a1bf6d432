/**
 * The call card (with its quality indicator and pop-out button) loads with the first call, or
 * when the user starts typing a number: a phone that is only registered does not evaluate it
 * (docs/performance.md, "What the first load leaves out"). Until it is defined, `<sip-call-panel>`
 * is an empty element that keeps the call Lit set on it, and upgrades in place.
 */
let code: Promise<unknown> | undefined;
export function loadCallPanel(): Promise<unknown> {
  return (code ??= import("./call-panel.js").catch((e: unknown) => {
    code = undefined;
    throw e;
  }));
}
