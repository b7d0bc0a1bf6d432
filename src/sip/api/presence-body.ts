import { child, children, parseXml } from "../core/xml-lite.js";
import type { PresenceState } from "./presence-state.js";

/**
 * Reading the bodies of dialog (RFC 4235) and presence (RFC 3863 PIDF, RFC 4480 RPID) NOTIFYs.
 * Tolerant of namespace prefixes and unknown elements, strict about well-formedness: a body
 * that is not well-formed XML, or whose root is not the expected one, is `undefined` and the
 * caller keeps the last good state (and notes it in the trace).
 */

/** RFC 4235 3.7.1 dialog states. */
export type DialogPhase = "trying" | "proceeding" | "early" | "confirmed" | "terminated";

export interface DialogEntry {
  id: string;
  phase: DialogPhase;
  /** `recipient`: the call came to the watched party (ringing there means it can be picked up). */
  direction?: "initiator" | "recipient";
  callId?: string;
  /** The watched party's tag (RFC 4235 `local-tag`). */
  localTag?: string;
  /** The other party's tag (`remote-tag`). */
  remoteTag?: string;
  /** The other party's address of record (`<remote><identity>`). */
  remoteIdentity?: string;
  /** The other party's display name, when given. */
  remoteName?: string;
}

export interface DialogInfo {
  version: number;
  /** `full`: the whole list (replaces what we had); `partial`: only the dialogs that changed. */
  full: boolean;
  entity: string;
  dialogs: DialogEntry[];
}

/** At most this many dialogs per watched party are kept (a body listing thousands is hostile). */
export const MAX_DIALOGS = 32;
const PHASES = new Set(["trying", "proceeding", "early", "confirmed", "terminated"]);
const MAX_VALUE = 256;

const bounded = (v: string | undefined) => (v && v.length <= MAX_VALUE ? v : undefined);

export function parseDialogInfo(text: string): DialogInfo | undefined {
  const root = parseXml(text);
  if (root?.name !== "dialog-info") return undefined;
  const version = Number(root.attrs.version);
  const mode = root.attrs.state;
  if (!Number.isInteger(version) || version < 0 || (mode !== "full" && mode !== "partial")) return undefined;
  const dialogs: DialogEntry[] = [];
  for (const d of children(root, "dialog").slice(0, MAX_DIALOGS)) {
    const id = bounded(d.attrs.id);
    const phase = child(d, "state")?.text.toLowerCase() ?? "";
    if (!id || !PHASES.has(phase)) return undefined;
    const direction = d.attrs.direction;
    const identity = child(child(d, "remote"), "identity");
    dialogs.push({
      id,
      phase: phase as DialogPhase,
      direction: direction === "initiator" || direction === "recipient" ? direction : undefined,
      callId: bounded(d.attrs["call-id"]),
      localTag: bounded(d.attrs["local-tag"]),
      remoteTag: bounded(d.attrs["remote-tag"]),
      remoteIdentity: bounded(identity?.text),
      remoteName: bounded(identity?.attrs.display),
    });
  }
  return { version, full: mode === "full", entity: bounded(root.attrs.entity) ?? "", dialogs };
}

/**
 * The lamp for a set of live dialogs: in a call (confirmed) is busy; a call ringing there that
 * they did not start is ringing; calling out (early, initiator) is busy; nothing is idle.
 */
export function dialogState(dialogs: readonly DialogEntry[]): PresenceState {
  const live = dialogs.filter((d) => d.phase !== "terminated");
  if (live.some((d) => d.phase === "confirmed")) return "busy";
  if (live.some((d) => d.direction === "recipient")) return "ringing";
  return live.length ? "busy" : "idle";
}

/** The dialog to pick up: the newest that rings at the watched party. */
export function ringingDialog(dialogs: readonly DialogEntry[]): DialogEntry | undefined {
  return [...dialogs].reverse().find((d) => d.direction === "recipient" && d.phase !== "confirmed" && d.phase !== "terminated");
}

/**
 * The call held at a watched park slot: the newest confirmed call that came to it (RFC 4235
 * `recipient`), whose other party is the parked one.
 */
export function parkedDialog(dialogs: readonly DialogEntry[]): DialogEntry | undefined {
  return [...dialogs].reverse().find((d) => d.direction === "recipient" && d.phase === "confirmed");
}

/**
 * A dialog's tags do not change once it exists (RFC 3261 12), so tags a server gave for it once
 * are kept when a later update of the same dialog (same call-id) leaves them out: Kamailio 5.6's
 * pua_dialoginfo (include_tags=1) sends them with `early` and omits them with `confirmed`, and a
 * parked call is only retrievable by Replaces with them (pickup.ts).
 */
function withKnownTags(d: DialogEntry, known: DialogEntry | undefined): DialogEntry {
  if (!known || known.callId !== d.callId || d.localTag || d.remoteTag) return d;
  return { ...d, localTag: known.localTag, remoteTag: known.remoteTag };
}

/**
 * The dialogs of a watched party, kept across NOTIFYs: a full body replaces them, a partial one
 * updates the dialogs it names (RFC 4235 4.1), terminated ones are dropped, and a body older
 * than the last one taken (its version lower) is ignored.
 */
export class DialogView {
  private version = -1;
  private map = new Map<string, DialogEntry>();

  get dialogs(): DialogEntry[] {
    return [...this.map.values()];
  }

  /** A new subscription starts its versions again. */
  reset(): void {
    this.version = -1;
    this.map.clear();
  }

  /** Takes a parsed body; false when it was older than what we have. */
  apply(info: DialogInfo): boolean {
    if (info.version < this.version) return false;
    this.version = info.version;
    const before = this.map;
    if (info.full) this.map = new Map();
    for (const d of info.dialogs) {
      if (d.phase === "terminated") this.map.delete(d.id);
      else this.map.set(d.id, withKnownTags(d, before.get(d.id)));
    }
    while (this.map.size > MAX_DIALOGS) this.map.delete(this.map.keys().next().value as string);
    return true;
  }
}

export interface PidfInfo {
  state: PresenceState;
  note?: string;
}

/**
 * A PIDF body: closed everywhere is offline; open with an RPID activity of being on the phone
 * or busy (or a note that says so, as many servers send) is busy; open otherwise idle.
 */
export function parsePidf(text: string): PidfInfo | undefined {
  const root = parseXml(text);
  if (root?.name !== "presence") return undefined;
  const basics = children(root, "tuple").map((t) => child(child(t, "status"), "basic")?.text.toLowerCase());
  if (basics.some((b) => b !== "open" && b !== "closed")) return undefined;
  const note = bounded(
    child(root, "note")?.text ??
      children(root, "tuple")
        .map((t) => child(t, "note")?.text)
        .find(Boolean),
  );
  if (!basics.includes("open")) return { state: "offline", note };
  const activities = children(root, "person").flatMap((p) => children(p, "activities").flatMap((a) => a.children.map((c) => c.name)));
  const busy = activities.some((a) => a === "on-the-phone" || a === "busy") || /on the phone|busy/i.test(note ?? "");
  return { state: busy ? "busy" : "idle", note };
}
