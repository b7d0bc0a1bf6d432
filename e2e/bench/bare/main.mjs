// The floor for the stack (npm run bench): what a page does with SIP.js 0.21 alone, written as
// its documentation shows (UserAgent, Registerer, Inviter, the default web session description
// handler), with nothing of ours. It registers at load from the query string
// (?user=&pass=&server=) and offers dial/answer/hangup to the bench through window.bare.
// It runs the same patched sip.js as the phone (patches/: item 2 makes its parser faster).
import { Inviter, Registerer, RegistererState, SessionState, UserAgent } from "sip.js";

const q = new URLSearchParams(location.search);
const domain = "127.0.0.1";
/** @type {Window & { __t?: Record<string, number>, bare?: unknown }} */
const w = window;

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
      playWhenUp(invitation);
    },
  },
});
/** Plays a session's remote audio once it is up, as SIP.js's documentation does (setupRemoteMedia). */
const remoteAudio = new Audio();
/** @param {import("sip.js").Session} s */
const playWhenUp = (s) =>
  s.stateChange.addListener((state) => {
    if (state !== SessionState.Established) return;
    const pc = /** @type {{ peerConnection?: RTCPeerConnection } | undefined} */ (s.sessionDescriptionHandler)?.peerConnection;
    const stream = new MediaStream();
    pc?.getReceivers().forEach((r) => r.track && stream.addTrack(r.track));
    remoteAudio.srcObject = stream;
    void remoteAudio.play().catch(() => undefined);
  });
const registerer = new Registerer(ua);
registerer.stateChange.addListener((state) => {
  if (state === RegistererState.Registered && w.__t && !w.__t.registered) w.__t.registered = performance.now();
});
await ua.start();
await registerer.register();

w.bare = {
  registered: () => registerer.state === RegistererState.Registered,
  /** @param {string} target */
  dial: async (target) => {
    const inviter = new Inviter(ua, /** @type {import("sip.js").URI} */ (UserAgent.makeURI(`sip:${target}@${domain}`)));
    session = inviter;
    playWhenUp(inviter);
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
};
