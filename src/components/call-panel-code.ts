/**
 * The call card (with its quality indicator and pop-out button) loads with the first call, or
 * when the user starts typing a number: a phone that is only registered does not evaluate it
 * (docs/performance.md, "What the first load leaves out"). `<sip-phone>` renders its cards once
 * this has resolved (call-cards.ts). A failed fetch is forgotten, so the next call tries again.
 */
let code: Promise<unknown> | undefined;
export function loadCallPanel(): Promise<unknown> {
  return (code ??= import("./call-panel.js").catch((e: unknown) => {
    code = undefined;
    throw e;
  }));
}
