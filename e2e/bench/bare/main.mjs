// The floor for the stack (npm run bench): what a page does with SIP.js 0.21 alone, written as
// its documentation shows (UserAgent, Registerer, Inviter, the default web session description
// handler), with nothing of ours. It registers at load from the query string
// (?user=&pass=&server=) and offers dial/answer/hangup/firstRtp to the bench through window.bare.
// It runs the same patched sip.js as the phone (patches/: item 2 makes its parser faster).
import { Inviter, Registerer, RegistererState, SessionState, UserAgent } from "sip.js";

const q = new URLSearchParams(location.search);
const domain = "127.0.0.1";
/** @type {Window & { __t?: Record<string, number>, bare?: unknown }} */
const w = window;
const now = () => performance.timeOrigin + performance.now();

/** @type {import("sip.js").Invitation | undefined} */
let incoming;
/** @type {import("sip.js").Session | undefined} */
let session;

const ua = new UserAgent({
  uri: UserAgent.makeURI(`sip:${q.get("user")}@${domain}`),
  authorizationUsername: q.get("user") ?? "",
  authorizationPassword: q.get("pass") ?? "",
  transportOptions: { server: q.get("server") ?? "" },
  logLevel: "error",
  delegate: {
    onInvite: (invitation) => {
      incoming = invitation;
      session = invitation;
    },
  },
});
const registerer = new Registerer(ua);
registerer.stateChange.addListener((state) => {
  if (state === RegistererState.Registered && w.__t && !w.__t.registered) w.__t.registered = performance.now();
});
await ua.start();
await registerer.register();

/** The session's peer connection (the default handler keeps it public). */
const pc = () => /** @type {{ peerConnection?: RTCPeerConnection } | undefined} */ (session?.sessionDescriptionHandler)?.peerConnection;

w.bare = {
  registered: () => registerer.state === RegistererState.Registered,
  /** @param {string} target */
  dial: async (target) => {
    const inviter = new Inviter(ua, /** @type {import("sip.js").URI} */ (UserAgent.makeURI(`sip:${target}@${domain}`)));
    session = inviter;
    await inviter.invite();
  },
  hasIncoming: () => incoming?.state === SessionState.Initial,
  answer: async () => {
    await incoming?.accept();
  },
  hangup: async () => {
    const s = session;
    if (!s) return;
    if (s.state === SessionState.Established) await s.bye();
    else if (s instanceof Inviter && s.state !== SessionState.Terminated) await s.cancel();
    else if (s.state === SessionState.Initial) await /** @type {import("sip.js").Invitation} */ (s).reject();
  },
  state: () => session?.state,
  /** When the first inbound RTP packet was counted (epoch ms), polled 2 ms apart, bounded. */
  firstRtp: async () => {
    for (let i = 0; i < 2000; i++) {
      const report = await pc()?.getStats();
      let packets = 0;
      report?.forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "audio") packets += s.packetsReceived ?? 0;
      });
      if (packets > 0) return now();
      await new Promise((r) => setTimeout(r, 2));
    }
    return NaN;
  },
};
