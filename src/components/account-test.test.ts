// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../config/config-error.js";
import "./account-test.js";
import type { SipAccountTest } from "./account-test.js";
import { button } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

const account = { id: "new", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] };

/** navigator.mediaDevices as the test wants it: a microphone that opens (its track stopped after), or an error. */
function microphone(error?: string) {
  const stop = vi.fn();
  const getUserMedia = vi.fn(async () => {
    if (error) throw new DOMException("", error);
    return { getTracks: () => [{ stop }] } as unknown as MediaStream;
  });
  Object.defineProperty(navigator, "mediaDevices", { configurable: true, value: { getUserMedia } });
  return { stop, getUserMedia };
}

async function runTest(app: FakeApp): Promise<SipAccountTest> {
  const el = await mountWith<SipAccountTest>("sip-account-test", { app }, (e) => (e.collect = () => account));
  button(el, "Test").click();
  await vi.waitFor(() => expect(text(el)).toMatch(/Microphone:/));
  return el;
}

afterEach(() => {
  document.body.replaceChildren();
});

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-account-test>: the set-up form's Test", () => {
  it("a good account and a microphone: both work; the microphone is closed again; the account is tested, not saved", async () => {
    const app = new FakeApp();
    const mic = microphone();
    const el = await runTest(app);
    expect(text(el)).toMatch(/Registration: works \(wss:\/\/pbx\.test\/ws\) Microphone: works/);
    expect(mic.stop).toHaveBeenCalled();
    expect(app.actions).toEqual([["testAccount", account]]);
  });

  it("each failure in words: wrong password, unknown account, unreachable server, no answer, no binding", async () => {
    microphone();
    const app = new FakeApp();
    const cases: Array<[FakeApp["trialOutcome"], RegExp]> = [
      [{ ok: false, failure: { kind: "auth", code: 401 } }, /Authentication failed \(401\): check user and password/],
      [{ ok: false, failure: { kind: "server", code: 404, reasonPhrase: "Not Found" } }, /Unknown account \(404 Not Found\)/],
      [
        { ok: false, failure: { kind: "transport", servers: ["wss://pbx.test/ws"] } },
        /Cannot reach wss:\/\/pbx\.test\/ws: .*untrusted certificate/,
      ],
      [{ ok: false, failure: { kind: "timeout", seconds: 15 } }, /No answer from the server within 15 s/],
      [{ ok: false, failure: { kind: "binding" } }, /kept no registration/],
    ];
    for (const [outcome, said] of cases) {
      app.trialOutcome = outcome;
      const el = await runTest(app);
      expect(text(el)).toMatch(said);
      el.parentElement!.remove();
    }
  });

  it("a blocked or missing microphone is said so", async () => {
    const app = new FakeApp();
    microphone("NotAllowedError");
    expect(text(await runTest(app))).toMatch(/Microphone: Microphone access is blocked/);
    document.body.replaceChildren();
    microphone("NotFoundError");
    expect(text(await runTest(app))).toMatch(/Microphone: No microphone found/);
  });

  it("fields the configuration refuses are named before anything is sent", async () => {
    microphone();
    const app = new FakeApp();
    app.testAccount = async () => {
      throw new ConfigError([{ field: "accounts[0].servers", message: "must have at least one wss:// URL" }]);
    };
    expect(text(await runTest(app))).toMatch(/Check the fields first: servers: must have at least one wss:\/\/ URL/);
  });
});
