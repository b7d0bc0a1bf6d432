// One test session: the bed (rtpengine, Kamailio, optional baresip), the built app on a loopback
// port, and Chromium. Everything is started here and stopped by PID in stop().
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Baresip, Kamailio, PORTS, Rtpengine, makeRunDir } from "../bed/bed.mjs";
import { launchBrowser } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function assertIsolatedNetwork() {
  // The suite must run in a network namespace with only lo (see README): Chromium would
  // otherwise send WebRTC media over the machine's real interfaces.
  if (process.env.WEBPHONE_NETNS !== "1") {
    throw new Error("e2e tests must run inside the private network namespace: use `npm run test:e2e`");
  }
}

export async function startSession({ desk = false, browser = true } = {}) {
  assertIsolatedNetwork();
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is missing: run `npm run build` first");
  const dir = makeRunDir();
  const s = { dir, stops: [] };
  try {
    s.rtpengine = await new Rtpengine(dir).start();
    s.stops.push(() => s.rtpengine.stop());
    s.kamailio = await new Kamailio(dir).start();
    s.stops.push(() => s.kamailio.stop());
    if (desk) {
      s.desk = await new Baresip(dir, "desk").start();
      s.stops.push(() => s.desk.stop());
    }

    s.provisionDir = join(dir, "provision");
    mkdirSync(s.provisionDir, { recursive: true });
    s.web = await startStaticServer({ root: dist, extra: { "/provision/": s.provisionDir } });
    s.stops.push(() => s.web.close());
    s.appUrl = s.web.url;
    s.wss = `wss://127.0.0.1:${PORTS.wss}`;
    s.ws = `ws://127.0.0.1:${PORTS.ws}`;
    if (browser) {
      s.browser = await launchBrowser();
      s.stops.push(() => s.browser.close());
    }
  } catch (e) {
    await stopSession(s);
    throw e;
  }
  return s;
}

export async function stopSession(s) {
  for (const stop of (s.stops ?? []).reverse()) {
    try {
      await stop();
    } catch {}
  }
  s.stops = [];
}
