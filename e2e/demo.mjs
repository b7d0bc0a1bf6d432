// The demo: the same Kamailio + rtpengine set-up as the tests, a baresip desk phone, and the
// built app, all on loopback. Prints the two URLs to open (two origins, so each tab keeps its
// own account) and runs until Ctrl-C.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Baresip, Kamailio, PORTS, Rtpengine, USERS, makeRunDir } from "./bed/bed.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.DEMO_PORT ?? 8000);
const dir = makeRunDir("webphone-demo-");
const configs = join(dir, "demo-configs");
mkdirSync(configs, { recursive: true });
// Plain ws:// on loopback: a browser would refuse the bed's self-signed wss:// certificate, and
// http://localhost pages may open ws://127.0.0.1.
for (const who of /** @type {const} */ (["alice", "bob", "carol"])) {
  const u = USERS[who];
  writeFileSync(
    join(configs, `${who}.json`),
    JSON.stringify(
      {
        version: 1,
        accounts: [
          {
            id: "demo",
            label: `${u.name} (${u.user})`,
            sipUri: `sip:${u.user}@127.0.0.1`,
            password: u.password,
            displayName: u.name,
            servers: [`ws://127.0.0.1:${PORTS.ws}`],
          },
        ],
      },
      null,
      2,
    ),
  );
}

/** @type {(() => Promise<unknown>)[]} */
const stops = [];
async function stopAll() {
  for (const s of stops.reverse()) await s().catch(() => undefined);
  process.exit(0);
}
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

const rtp = await new Rtpengine(dir).start();
stops.push(() => rtp.stop());
const kam = await new Kamailio(dir).start();
stops.push(() => kam.stop());
const desk = await new Baresip(dir, "desk").start().catch((e) => {
  console.warn("baresip desk phone not started:", e.message);
  return undefined;
});
if (desk) stops.push(() => desk.stop());
const web = await startStaticServer({ root: join(root, "dist"), port, extra: { "/demo/": configs } });
stops.push(() => web.close());
const web6 = await startStaticServer({ root: join(root, "dist"), port, host: "::1", extra: { "/demo/": configs } }).catch(() => undefined);
if (web6) stops.push(() => web6.close());

console.log(`
Web phone demo is running (Kamailio ws://127.0.0.1:${PORTS.ws}, wss://127.0.0.1:${PORTS.wss}, udp 127.0.0.1:${PORTS.udp}).
Open these two URLs in two tabs (two origins, so each keeps its own account):

  Alice (1001): http://127.0.0.1:${port}/?provision=/demo/alice.json
  Bob   (1002): http://localhost:${port}/?provision=/demo/bob.json

Dial 1002 from Alice's tab (or 1001 from Bob's). A desk phone (baresip, answers by itself) is 2001.
Logs: ${dir}
Ctrl-C stops everything.
`);
