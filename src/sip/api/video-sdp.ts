import type { VideoSnapshot } from "./video-state.js";

type Direction = "sendrecv" | "sendonly" | "recvonly" | "inactive";

/** One m= section as far as video cares: its kind, whether it is rejected (port 0), its direction. */
interface Section {
  kind: string;
  port: number;
  direction: Direction;
}

const DIRECTIONS = new Set(["sendrecv", "sendonly", "recvonly", "inactive"]);

/** The m= sections of an SDP in order, each with its direction (media level, else session level, else sendrecv: RFC 4566 6). */
export function sections(sdp: string | undefined): Section[] {
  if (!sdp) return [];
  const out: Section[] = [];
  let sessionDirection: Direction = "sendrecv";
  let current: Section | undefined;
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^m=(\w+) (\d+)/.exec(line);
    if (m) {
      current = { kind: m[1]!, port: Number(m[2]), direction: sessionDirection };
      out.push(current);
      continue;
    }
    const a = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line)?.[1];
    if (a && DIRECTIONS.has(a)) {
      if (current) current.direction = a as Direction;
      else sessionDirection = a as Direction;
    }
  }
  return out;
}

const sends = (d: Direction) => d === "sendrecv" || d === "sendonly";
const receives = (d: Direction) => d === "sendrecv" || d === "recvonly";

/** True when `sdp` has a video stream that is not rejected (port 0). */
export function offersVideo(sdp: string | undefined): boolean {
  return sections(sdp).some((s) => s.kind === "video" && s.port !== 0);
}

/**
 * The call's video from the descriptions negotiated last: ours (`local`) and the other
 * party's (`remote`), m= sections matched by position (RFC 3264 6: an answer has the offer's
 * sections in the offer's order). `local` undefined: we have answered nothing yet (a call that
 * rings), so only the other party's wish shows. `declined`: the user said no to that wish.
 */
export function videoState(local: string | undefined, remote: string | undefined, screen: boolean, declined: boolean): VideoSnapshot {
  const ours = sections(local);
  const theirs = sections(remote);
  let sending = false;
  let receiving = false;
  let wanted = false;
  theirs.forEach((t, i) => {
    if (t.kind !== "video" || t.port === 0) return;
    if (receives(t.direction)) wanted = true;
    const o = ours[i];
    if (!o || o.kind !== "video" || o.port === 0) return;
    if (sends(o.direction) && receives(t.direction)) sending = true;
    if (receives(o.direction) && sends(t.direction)) receiving = true;
  });
  return { local: sending, remote: receiving, screen: sending && screen, requested: wanted && !sending && !declined };
}
