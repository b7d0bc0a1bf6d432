import { test } from "node:test";
import { USERS } from "/work/main/e2e/bed/bed.mjs";
import { accountFor, openPhone, waitForCall, stats } from "/work/main/e2e/lib/browser.mjs";
import { startSession, stopSession } from "/work/main/e2e/lib/session.mjs";
test("dbg", async () => {
  const s = await startSession({earlyDesk: true});
  try {
    const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
    const id = await alice.evaluate(() => document.querySelector("sip-phone").dial("2002"));
    await new Promise(r => setTimeout(r, 3000));
    console.log(JSON.stringify(await stats(alice, id)));
    console.log(JSON.stringify(await alice.evaluate(() => document.querySelector("sip-phone").calls)));
    console.log(alice.consoleLines.join("\n"));
    console.log(s.earlyDesk.log.slice(-2000));
    console.log(s.kamailio.log.split("\n").filter(l => /REQ|RPL/.test(l)).join("\n"));
  } finally { await stopSession(s); }
});
