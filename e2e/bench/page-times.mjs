// What the bench puts in every page it measures (instrument) and reads back (times): event
// times, live WebRTC objects, the first inbound RTP. Shared by bench.mjs and its parts.

/** @typedef {import("../lib/browser.mjs").Page} Page */
/** @typedef {import("../lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */
/** @typedef {import("../lib/sip-phone-api.mjs").LineSnapshot} LineSnapshot */
/**
 * What instrument() adds to a bench page: event times (epoch ms; `registered` is ms since the
 * page's start), live WebRTC objects, and the time of a call's first inbound RTP.
 * `notified`: when the first NOTIFY about "<user> <dialog state>" arrived.
 * `register200`: when the first 200 OK to a REGISTER arrived on a WebSocket, ms since the page's start.
 * @typedef {{ inviteSent?: number, registered?: number, register200?: number, ringing?: number, click?: number, handoff?: number, notified?: Record<string, number> }} Times
 * @typedef {Window & {
 *   __t: Times,
 *   __live: () => { peerConnections: number, micTracks: number },
 *   __firstPacket: () => Promise<number>,
 *   __firstPacketByStats: () => Promise<number>,
 *   __sent?: Record<string, number>,
 * }} BenchWindow
 */

/** Installed in every bench page: timestamps (epoch ms) of the events we measure. */
export function instrument() {
  const w = /** @type {BenchWindow} */ (/** @type {unknown} */ (window));
  const now = () => performance.timeOrigin + performance.now();
  w.__t = {};
  const origSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (/** @type {string | ArrayBufferLike | Blob | ArrayBufferView} */ data) {
    if (typeof data === "string" && data.startsWith("INVITE ") && !w.__t.inviteSent) w.__t.inviteSent = now();
    // Requests sent, by method (the scale figures count keep-alives).
    const method = typeof data === "string" ? /^([A-Z]+) sip/.exec(data)?.[1] : undefined;
    if (method) (w.__sent ??= {})[method] = (w.__sent[method] ?? 0) + 1;
    return origSend.call(this, data);
  };
  // When each NOTIFY about a watched party arrived (our listener runs before the phone's).
  const WS = window.WebSocket;
  /** @param {ConstructorParameters<typeof WebSocket>} args */
  const listened = function (...args) {
    const ws = new WS(...args);
    ws.addEventListener("message", (e) => {
      // Kamailio may send a SIP message as a binary frame (src/sip/core/sip-bytes.ts).
      const text = typeof e.data === "string" ? e.data : e.data instanceof ArrayBuffer ? new TextDecoder().decode(e.data) : "";
      if (text.startsWith("SIP/2.0 200 ") && /\r\nCSeq:\s*\d+\s+REGISTER\r\n/i.test(text)) w.__t.register200 ??= performance.now();
      const entity = text.startsWith("NOTIFY ") ? /entity="sip:([^@"]+)@/.exec(text)?.[1] : undefined;
      // Every dialog state the body names (a full body may list a finished call before the new one).
      const states = [...text.matchAll(/<state[^>]*>(\w+)</g)].map((m) => m[1]);
      if (entity) for (const st of states.length ? states : ["none"]) (w.__t.notified ??= {})[`${entity} ${st}`] ??= now();
    });
    return ws;
  };
  listened.prototype = WS.prototype;
  Object.assign(listened, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = /** @type {typeof WebSocket} */ (/** @type {unknown} */ (listened));
  document.addEventListener("line-state", (e) => {
    if (/** @type {CustomEvent<LineSnapshot>} */ (e).detail.state === "registered" && !w.__t.registered)
      w.__t.registered = performance.now();
  });
  document.addEventListener("call-state", (e) => {
    if (/** @type {CustomEvent<CallSnapshot>} */ (e).detail.state === "ringing" && !w.__t.ringing) w.__t.ringing = now();
  });
  document.addEventListener(
    "click",
    (e) => {
      const label = /** @type {Node | undefined} */ (e.composedPath()[0])?.textContent?.trim();
      const callButton = e.composedPath().some((n) => /** @type {Element} */ (n).localName === "sip-call-button");
      if (label === "Call" || label === "Answer" || callButton) w.__t.click = now();
    },
    true,
  );
  // A ?dial= link handed over by another tab (app/launch.ts's channel): when this tab heard it.
  if (typeof BroadcastChannel === "function")
    new BroadcastChannel("webphone-launch").addEventListener("message", (e) => {
      if (/** @type {{ type?: string }} */ (e.data)?.type === "dial") w.__t.handoff ??= now();
    });
  // Live peer connections and microphone tracks, for the leak figures.
  /** @type {Set<RTCPeerConnection>} */
  const pcs = new Set();
  /** @type {Set<MediaStreamTrack>} */
  const tracks = new Set();
  const PC = window.RTCPeerConnection;
  /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
  const counted = function (...args) {
    const pc = new PC(...args);
    pcs.add(pc);
    return pc;
  };
  counted.prototype = PC.prototype;
  window.RTCPeerConnection = /** @type {typeof RTCPeerConnection} */ (/** @type {unknown} */ (counted));
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const stream = await gum(c);
    for (const t of stream.getTracks()) tracks.add(t);
    return stream;
  };
  w.__live = () => ({
    peerConnections: [...pcs].filter((pc) => pc.signalingState !== "closed").length,
    micTracks: [...tracks].filter((t) => t.readyState === "live").length,
  });
  // When the first audio packet of a call arrives: RTCRtpReceiver.getSynchronizationSources()
  // is updated per packet, where getStats() is cached by Chrome for 50 ms (its
  // RTCStatsCollector), which blurred the earlier figures by up to that much. Any live
  // connection counts: a page has one call at a time here (a standby leg receives nothing).
  w.__firstPacket = async () => {
    // A poll for the condition itself, 1 ms apart for the figure's resolution; bounded.
    for (let i = 0; i < 5000; i++) {
      const live = [...pcs].filter((pc) => pc.signalingState !== "closed");
      if (live.some((pc) => pc.getReceivers().some((r) => r.track.kind === "audio" && r.getSynchronizationSources().length > 0)))
        return now();
      await new Promise((r) => setTimeout(r, 1));
    }
    return NaN;
  };
  // The same moment read from the packets' own times, which the page's main thread does not
  // delay (a page busy with its first call sees the first packet late, the network does not):
  // the last packet's arrival minus 20 ms per packet before it (Opus, 20 ms packets, both pages).
  // Chrome may answer getStats() from a report of up to 50 ms ago, from before the first packet:
  // asked again until one shows it (bounded); the estimate does not depend on when it is read.
  w.__firstPacketByStats = async () => {
    for (let i = 0; i < 100; i++) {
      for (const pc of [...pcs].filter((p) => p.signalingState !== "closed")) {
        /** @type {number[]} */
        const at = [];
        (await pc.getStats()).forEach((r) => {
          if (r.type === "inbound-rtp" && r.kind === "audio" && r.packetsReceived > 0 && r.lastPacketReceivedTimestamp)
            at.push(r.lastPacketReceivedTimestamp - (r.packetsReceived - 1) * 20);
        });
        if (at.length) return Math.min(...at);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return NaN;
  };
}

/**
 * Two reloads not measured, for the phone and the bare page alike: a returning user's browser
 * has the scripts' compiled code cached (V8 keeps it from a script's second load on), which the
 * first reloads after the set-up do not have yet; they made the first measured reload the
 * slowest by tens of ms, on either page.
 * @param {Page} page
 */
export async function warmUpReloads(page) {
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await page.waitForFunction(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__t.registered, null, {
      timeout: 15_000,
    });
  }
}

/** @param {...Page} pages */
export async function resetTimes(...pages) {
  for (const p of pages) {
    await p.evaluate(() => {
      /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__t = {};
    });
  }
}

/** @param {Page} p */
export const times = (p) => p.evaluate(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__t);

/**
 * How long a measured page is left alone after its navigation: Playwright's first evaluate in a
 * document injects its utility script, ~10 ms of the page's main thread, which a trace showed
 * between the WebSocket's open and the REGISTER (load-timeline.mjs, LOAD_SETTLE: 5-15 ms off
 * the phone's REGISTER 200). The times are the page's own, whenever they are read.
 */
export const SETTLE_MS = 1000;

/**
 * Waits, without touching the page for SETTLE_MS, until it reports its line registered.
 * @param {Page} page
 */
export async function registeredUntouched(page) {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  await page.waitForFunction(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__t.registered, null, { timeout: 15_000 });
}

/**
 * `runs` starts of a page, each made by `start` (a reload, a fresh profile) and left alone until
 * it is registered (registeredUntouched): when each was registered and when its REGISTER's 200
 * arrived, in ms since its navigation. `start` resolves once the navigation is under way, with
 * what closes that start's page, if anything.
 * @param {number} runs
 * @param {() => Promise<{ page: Page, close?: () => Promise<void> }>} start
 */
export async function measureStarts(runs, start) {
  /** @type {number[]} */
  const registered = [];
  /** @type {number[]} */
  const register200 = [];
  for (let i = 0; i < runs; i++) {
    const { page, close } = await start();
    await registeredUntouched(page);
    const t = await times(page);
    registered.push(t.registered ?? NaN);
    register200.push(t.register200 ?? NaN);
    await close?.();
  }
  return { registered, register200 };
}
