/**
 * Requests from outside the page (a link that asks to dial, a provisioning link): how they are
 * planned and checked (src/app), and the words of the questions and refusals the user sees. One
 * module loaded on first use by `<sip-phone>` (most sessions never get such a request), so none
 * of it is in the first load. The rest of the phone's words are in messages.ts.
 */
import type { ConfigChange } from "../app/config-changes.js";
import type { LinkDialPlan } from "../app/link-dial.js";
import type { ProvisionProblem } from "../app/provision.js";
import type { Words } from "../i18n/words.js";
import type { ConfirmQuestion } from "./confirm-request.js";

export { planLinkDial } from "../app/link-dial.js";
export { applyProvision, fetchProvision } from "../app/provision.js";

/** A link (`?dial=`, tel:/sip: handler, launch queue) asks to call: what the user confirms. */
export function linkDialQuestion(w: Words, plan: LinkDialPlan): ConfirmQuestion {
  return {
    heading: w.t("link.question"),
    note: w.t("link.note"),
    rows: [
      [w.t("link.number"), plan.display],
      [w.t("link.calls"), plan.uri],
      [w.t("link.line"), plan.line === plan.aor ? plan.line : w.t("link.lineAndAor", { line: plan.line, aor: plan.aor })],
    ],
    action: w.t("link.call"),
  };
}

/** A provisioning link would change the user's lines: what they see before saying yes. */
export function provisionQuestion(w: Words, source: string, changes: ConfigChange[]): ConfirmQuestion {
  return {
    heading: w.t("provision.question", { source }),
    note: w.t("provision.note"),
    items: changes.map((c) => describeConfigChange(w, c)),
    action: w.t("provision.apply"),
  };
}

export function describeConfigChange(w: Words, c: ConfigChange): string {
  switch (c.kind) {
    case "added":
      return w.t("provision.added", { line: c.line, uri: c.sipUri, servers: c.servers.join(", ") });
    case "removed":
      return w.t("provision.removed", { line: c.line, uri: c.sipUri });
    case "changed":
      return w.t("provision.changed", {
        line: c.line,
        changes: c.fields
          .map(({ field, from, to }) =>
            from === undefined && to === undefined
              ? w.t("provision.fieldChanges", { field })
              : w.t("provision.fieldFromTo", { field, from: from ?? w.t("provision.none"), to: to ?? w.t("provision.none") }),
          )
          .join("; "),
      });
  }
}

export function describeProvisionProblem(w: Words, source: string, p: ProvisionProblem): string {
  const refused = (why: string) => w.t("provision.refused", { source, why });
  const failed = (why: string) => w.t("provision.failed", { source, why });
  const foreign = w.t("provision.foreign");
  switch (p.kind) {
    case "bad-url":
      return refused(w.t("provision.badUrl"));
    case "scheme":
      return refused(w.t("provision.scheme", { scheme: p.scheme }));
    case "insecure":
      return refused(w.t("provision.insecure", { origin: p.origin }));
    case "origin":
      return refused(w.t("provision.origin", { origin: p.origin, foreign }));
    case "redirected":
      return refused(w.t("provision.redirected", { origin: p.origin, foreign }));
    case "declined":
      return w.t("provision.declined", { source });
    case "http":
      return failed(w.t("provision.http", { status: p.status }));
    case "not-json":
      return failed(w.t("provision.notJson"));
    case "invalid":
      return failed(w.t("provision.invalid", { why: p.message }));
    case "network":
    case "failed":
      return failed(p.message);
  }
}
