import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccountConfig, PhoneConfig } from "../config/phone-config.js";
import { configChanges } from "./config-changes.js";
import { checkProvisionUrl, originList, provisionFrom, type Provisionable } from "./provision.js";

const page = new URL("https://phone.example.com/?provision=x");
const loopback = new URL("http://127.0.0.1:8080/");

describe("where provisioning may fetch from", () => {
  it.each<[string, URL, string]>([
    ["/provision/a.json", page, "https://phone.example.com/provision/a.json"],
    ["https://phone.example.com/a.json", page, "https://phone.example.com/a.json"],
    ["https://config.example.com/a.json", page, "https://config.example.com/a.json"],
    ["/provision/a.json", loopback, "http://127.0.0.1:8080/provision/a.json"],
  ])("%s from %s: fetched", (source, from, url) => {
    expect(String(checkProvisionUrl(source, from, ["https://config.example.com"]))).toBe(url);
  });

  it.each<[string, URL, object]>([
    ["data:application/json,{}", page, { kind: "scheme", scheme: "data:" }],
    ["blob:https://phone.example.com/0b7c", page, { kind: "scheme", scheme: "blob:" }],
    ["javascript:alert(1)", page, { kind: "scheme", scheme: "javascript:" }],
    ["file:///etc/passwd", page, { kind: "scheme", scheme: "file:" }],
    ["https://evil.example.net/a.json", page, { kind: "origin", origin: "https://evil.example.net" }],
    ["//evil.example.net/a.json", page, { kind: "origin", origin: "https://evil.example.net" }],
    ["https://phone.example.com.evil.net/a.json", page, { kind: "origin", origin: "https://phone.example.com.evil.net" }],
    ["http://phone.example.com/a.json", page, { kind: "insecure", origin: "http://phone.example.com" }],
    ["http://127.0.0.1:9999/a.json", loopback, { kind: "insecure", origin: "http://127.0.0.1:9999" }],
    ["/a.json", new URL("http://phone.example.com/"), { kind: "insecure", origin: "http://phone.example.com" }],
    ["http://[", page, { kind: "bad-url" }],
  ])("%s from %s: refused", (source, from, problem) => {
    expect(checkProvisionUrl(source, from, ["https://config.example.com"])).toEqual(problem);
  });

  it("reads the build's list of origins: https: origins only, paths dropped", () => {
    expect(originList(" https://a.example.com/x, http://b.example.com https://c.example.com:8443 nonsense ")).toEqual([
      "https://a.example.com",
      "https://c.example.com:8443",
    ]);
    expect(originList(undefined)).toEqual([]);
  });
});

const OFFICE: AccountConfig = { id: "l1", label: "Office", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test"] };

function phoneWith(accounts: AccountConfig[], answer = true) {
  const asked: unknown[] = [];
  let config: PhoneConfig = { version: 1, accounts };
  const target: Provisionable & { asked: unknown[] } = {
    get config() {
      return config;
    },
    asked,
    async configure(c: PhoneConfig) {
      config = c;
    },
    async confirm(changes) {
      asked.push(changes);
      return answer;
    },
  };
  return target;
}

function serve(body: unknown, init: { status?: number; redirectedTo?: string } = {}) {
  const fetch = vi.fn(async (url: URL) => ({
    ok: (init.status ?? 200) < 300,
    status: init.status ?? 200,
    redirected: !!init.redirectedTo,
    url: init.redirectedTo ?? url.href,
    json: async () => (typeof body === "string" ? JSON.parse(body) : body),
  }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe("provisionFrom", () => {
  it("an empty phone applies a valid file without a question", async () => {
    const phone = phoneWith([]);
    serve({ version: 1, accounts: [OFFICE] });
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({ ok: true });
    expect(phone.config.accounts).toEqual([OFFICE]);
    expect(phone.asked).toEqual([]);
  });

  it("a phone with lines is asked, with the changes, and a no changes nothing", async () => {
    const phone = phoneWith([OFFICE], false);
    serve({ version: 1, accounts: [{ ...OFFICE, autoAnswer: true }] });
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({ ok: false, problem: { kind: "declined" } });
    expect(phone.asked).toEqual([[{ kind: "changed", line: "Office", fields: [{ field: "autoAnswer", from: undefined, to: "true" }] }]]);
    expect(phone.config.accounts).toEqual([OFFICE]);
  });

  it("the same configuration again needs no question (a file without the password keeps it)", async () => {
    const phone = phoneWith([OFFICE]);
    serve({ version: 1, accounts: [{ ...OFFICE, password: "" }] });
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({ ok: true });
    expect(phone.asked).toEqual([]);
    expect(phone.config.accounts).toEqual([OFFICE]);
  });

  it("refuses a redirect to another origin, an HTTP error, a body that is not JSON and an invalid file", async () => {
    const phone = phoneWith([]);
    serve({ version: 1, accounts: [OFFICE] }, { redirectedTo: "https://evil.example.net/p.json" });
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({
      ok: false,
      problem: { kind: "redirected", origin: "https://evil.example.net" },
    });
    serve({}, { status: 404 });
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({ ok: false, problem: { kind: "http", status: 404 } });
    serve("{ not json");
    expect(await provisionFrom(phone, "/p.json", page)).toEqual({ ok: false, problem: { kind: "not-json" } });
    serve({ version: 1, accounts: [{ ...OFFICE, servers: ["http://x"] }] });
    const invalid = await provisionFrom(phone, "/p.json", page);
    expect(invalid).toMatchObject({ ok: false, problem: { kind: "invalid", message: expect.stringContaining("accounts[0].servers[0]") } });
    expect(phone.config.accounts).toEqual([]);
  });

  it("fetches nothing for a refused URL", async () => {
    const fetch = serve({ version: 1, accounts: [OFFICE] });
    expect(await provisionFrom(phoneWith([]), "data:application/json,{}", page)).toEqual({
      ok: false,
      problem: { kind: "scheme", scheme: "data:" },
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("configChanges", () => {
  it("names added, removed and changed lines; identity and servers first; secrets without values", () => {
    const support: AccountConfig = { id: "s", sipUri: "sip:2000@pbx.test", password: "x", servers: ["wss://pbx.test"] };
    const next: AccountConfig[] = [
      { ...OFFICE, label: "Front", password: "new", servers: ["wss://b.test"], sipUri: "sip:1009@pbx.test" },
      { id: "n", sipUri: "sip:3000@pbx.test", password: "", servers: ["wss://pbx.test"] },
    ];
    expect(configChanges({ version: 1, accounts: [OFFICE, support] }, { version: 1, accounts: next })).toEqual([
      {
        kind: "changed",
        line: "Office",
        fields: [
          { field: "sipUri", from: "sip:1001@pbx.test", to: "sip:1009@pbx.test" },
          { field: "servers", from: "wss://pbx.test", to: "wss://b.test" },
          { field: "password" },
          { field: "label", from: "Office", to: "Front" },
        ],
      },
      { kind: "added", line: "sip:3000@pbx.test", sipUri: "sip:3000@pbx.test", servers: ["wss://pbx.test"] },
      { kind: "removed", line: "sip:2000@pbx.test", sipUri: "sip:2000@pbx.test" },
    ]);
  });
});
