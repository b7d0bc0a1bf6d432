// One test session: the bed (rtpengine, Kamailio, optional baresip), the built app on a loopback
// port, and Chromium. Everything is started here and stopped by PID in stop().
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Baresip, Kamailio, PORTS, Rtpengine, makeRunDir } from "../bed/bed.mjs";
import { launchBrowser } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";

/** @typedef {() => unknown} Stop */
/**
 * @typedef {object} Session
 * @property {string} dir the run directory (logs, generated files)
 * @property {Stop[]} stops what stopSession() stops, last started first
 * @property {Rtpengine} rtpengine
 * @property {Kamailio} kamailio
 * @property {string} provisionDir served under /provision/
 * @property {import("./static-server.mjs").StaticServer} web the built app
 * @property {string} appUrl
 * @property {string} wss Kamailio's WSS listener
 * @property {string} ws Kamailio's plain WS listener
 * @property {import("playwright-core").Browser} browser
 */
/** @typedef {Session & { desk: Baresip }} DeskSession a session with the baresip desk phone (2001) */

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function assertIsolatedNetwork() {
  // The suite must run in a network namespace with only lo (see README): Chromium would
  // otherwise send WebRTC media over the machine's real interfaces.
  if (process.env.WEBPHONE_NETNS !== "1") {
    throw new Error("e2e tests must run inside the private network namespace: use `npm run test:e2e`");
  }
}

/**
 * @overload
 * @param {{ desk: true }} options
 * @returns {Promise<DeskSession>}
 */
/**
 * @overload
 * @param {{ desk?: false }} [options]
 * @returns {Promise<Session>}
 */
/**
 * @param {{ desk?: boolean }} [options] `desk`: a baresip desk phone (2001) too
 * @returns {Promise<Session & { desk?: Baresip }>}
 */
export async function startSession({ desk = false } = {}) {
  assertIsolatedNetwork();
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is missing: run `npm run build` first");
  const dir = makeRunDir();
  /** @type {Stop[]} */
  const stops = [];
  try {
    const rtpengine = await new Rtpengine(dir).start();
    stops.push(() => rtpengine.stop());
    const kamailio = await new Kamailio(dir).start();
    stops.push(() => kamailio.stop());
    /** @type {Baresip | undefined} */
    let deskPhone;
    if (desk) {
      const started = await new Baresip(dir, "desk").start();
      stops.push(() => started.stop());
      deskPhone = started;
    }
    const provisionDir = join(dir, "provision");
    mkdirSync(provisionDir, { recursive: true });
    const web = await startStaticServer({ root: dist, extra: { "/provision/": provisionDir } });
    stops.push(() => web.close());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    return {
      dir,
      stops,
      rtpengine,
      kamailio,
      ...(deskPhone ? { desk: deskPhone } : {}),
      provisionDir,
      web,
      appUrl: web.url,
      wss: `wss://127.0.0.1:${PORTS.wss}`,
      ws: `ws://127.0.0.1:${PORTS.ws}`,
      browser,
    };
  } catch (e) {
    await stopSession({ stops });
    throw e;
  }
}

/**
 * Stops what the session started, last first; a failing stop does not keep the others running.
 * @param {{ stops?: Stop[] }} s
 */
export async function stopSession(s) {
  for (const stop of (s.stops ?? []).reverse()) {
    try {
      await stop();
    } catch {
      // A failing stop does not keep the others running.
    }
  }
  s.stops = [];
}
