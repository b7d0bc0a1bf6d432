/**
 * Requests from outside the page (a link that asks to dial, a provisioning link): how they are
 * planned and checked (src/app), and the words of the questions and refusals the user sees. One
 * module loaded on first use by `<sip-phone>` (most sessions never get such a request), so none
 * of it is in the first load. The rest of the phone's words are in messages.ts.
 */
import type { ConfigChange } from "../app/config-changes.js";
import type { LinkDialPlan } from "../app/link-dial.js";
import type { ProvisionProblem } from "../app/provision.js";
import type { ConfirmQuestion } from "./confirm-request.js";

export { planLinkDial } from "../app/link-dial.js";
export { provisionFrom } from "../app/provision.js";

/** A link (`?dial=`, tel:/sip: handler, launch queue) asks to call: what the user confirms. */
export function linkDialQuestion(plan: LinkDialPlan): ConfirmQuestion {
  return {
    heading: "Call this number?",
    note: "A link asked the phone to call. Nothing is dialled until you press Call.",
    rows: [
      ["Number", plan.display],
      ["Calls", plan.uri],
      ["Line", plan.line === plan.aor ? plan.line : `${plan.line} (${plan.aor})`],
    ],
    action: "Call",
  };
}

/** A provisioning link would change the user's lines: what they see before saying yes. */
export function provisionQuestion(source: string, changes: ConfigChange[]): ConfirmQuestion {
  return {
    heading: `Change your lines as ${source} says?`,
    note: "A provisioning link brings a new configuration. Apply it only if your administrator sent it.",
    items: changes.map(describeConfigChange),
    action: "Apply",
  };
}

export function describeConfigChange(c: ConfigChange): string {
  switch (c.kind) {
    case "added":
      return `New line ${c.line}: ${c.sipUri} on ${c.servers.join(", ")}`;
    case "removed":
      return `Line ${c.line} (${c.sipUri}) is removed`;
    case "changed":
      return `${c.line}: ${c.fields
        .map((f) =>
          f.from === undefined && f.to === undefined ? `${f.field} changes` : `${f.field} ${f.from ?? "(none)"} → ${f.to ?? "(none)"}`,
        )
        .join("; ")}`;
  }
}

export function describeProvisionProblem(source: string, p: ProvisionProblem): string {
  const refused = (why: string) => `Provisioning from ${source} refused: ${why}. Your lines are unchanged.`;
  const failed = (why: string) => `Provisioning from ${source} failed: ${why}`;
  const foreign = "is neither the phone's own site nor one this installation allows (VITE_PROVISION_ORIGINS)";
  switch (p.kind) {
    case "bad-url":
      return refused("it is not a valid address");
    case "scheme":
      return refused(`only https: addresses are fetched, never ${p.scheme}`);
    case "insecure":
      return refused(`${p.origin} is not https: (http: only for the phone's own address on this computer)`);
    case "origin":
      return refused(`${p.origin} ${foreign}`);
    case "redirected":
      return refused(`it redirected to ${p.origin}, which ${foreign}`);
    case "declined":
      return `Provisioning from ${source} was not applied: your lines are unchanged.`;
    case "http":
      return failed(`HTTP ${p.status}`);
    case "not-json":
      return failed("the response is not JSON");
    case "invalid":
      return failed(`invalid configuration: ${p.message}`);
    case "network":
    case "failed":
      return failed(p.message);
  }
}
