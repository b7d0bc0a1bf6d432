// Reads the RFC 4733 telephone-events out of the RTP a page receives, for pages whose phone does
// not report received DTMF (JsSIP reports only INFO; ours reports neither). Every audio receiver
// of every RTCPeerConnection gets an RTCRtpScriptTransform (as soon as the receiver exists) that
// passes each frame through unchanged and reports the payloads of a telephone-event's size;
// those whose payload type is a telephone-event of the page's own SDP (the numbers the other side
// sends with, RFC 3264) count once, at their end bit. Loaded as a classic script or init script.
// The tests check that audio still flows where it is loaded (the transform is in the media path).
/* global window, Worker, Blob, URL, RTCPeerConnection, RTCRtpScriptTransform */
(() => {
  if (window.rtpDtmf || typeof RTCRtpScriptTransform !== "function") return;
  const worker = URL.createObjectURL(
    new Blob(
      [
        `onrtctransform = (e) => {
          const t = e.transformer;
          t.readable.pipeThrough(new TransformStream({
            transform(frame, ctl) {
              const b = new Uint8Array(frame.data);
              if (b.length === 4) {
                const md = frame.getMetadata();
                postMessage({ pt: md.payloadType, event: b[0], end: (b[1] & 0x80) !== 0, ts: md.rtpTimestamp ?? frame.timestamp });
              }
              ctl.enqueue(frame);
            },
          })).pipeTo(t.writable);
        };`,
      ],
      { type: "text/javascript" },
    ),
  );
  const EVENTS = "0123456789*#ABCD";
  /** @type {{ digit: string, pt: number }[]} every event received on the page, in order */
  const all = [];
  /** @type {WeakMap<RTCPeerConnection, { digit: string, pt: number }[]>} */
  const byPc = new WeakMap();
  const watched = new WeakSet();
  /** @param {string | undefined} sdp */
  const eventTypes = (sdp) => [...String(sdp ?? "").matchAll(/^a=rtpmap:(\d+) telephone-event\//gm)].map((m) => Number(m[1]));
  /** @param {RTCPeerConnection} pc */
  function watch(pc) {
    for (const receiver of pc.getReceivers()) {
      if (receiver.track.kind !== "audio" || watched.has(receiver)) continue;
      watched.add(receiver);
      const w = new Worker(worker);
      let lastTs = -1;
      w.onmessage = (m) => {
        const d = m.data;
        if (!d.end || d.ts === lastTs || !eventTypes(pc.localDescription?.sdp).includes(d.pt)) return;
        lastTs = d.ts;
        const seen = { digit: EVENTS[d.event] ?? "?", pt: d.pt };
        all.push(seen);
        if (!byPc.has(pc)) byPc.set(pc, []);
        byPc.get(pc)?.push(seen);
      };
      receiver.transform = new RTCRtpScriptTransform(w);
    }
  }
  // Every receiver as soon as it exists, before the descriptions that set its stream up are
  // applied: Chrome 156 passed no frame to a transform set on an offerer's receiver once the
  // answer had been applied.
  for (const name of /** @type {const} */ (["setLocalDescription", "setRemoteDescription"])) {
    const original = RTCPeerConnection.prototype[name];
    /** @this {RTCPeerConnection} */
    RTCPeerConnection.prototype[name] = function (...args) {
      watch(this);
      const done = original.apply(this, /** @type {any} */ (args));
      done.then(
        () => watch(this),
        () => undefined,
      );
      return done;
    };
  }
  window.rtpDtmf = {
    /** Every telephone-event received on the page: digits and payload types. */
    all: () => ({ digits: all.map((e) => e.digit).join(""), types: [...new Set(all.map((e) => e.pt))] }),
    /** @param {RTCPeerConnection} pc those received on one connection */
    of: (pc) => {
      const list = byPc.get(pc) ?? [];
      return { digits: list.map((e) => e.digit).join(""), types: [...new Set(list.map((e) => e.pt))] };
    },
  };
})();
