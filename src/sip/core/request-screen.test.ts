import { describe, expect, it } from "vitest";
import torture from "../test-support/rfc4475.json";
import { splitRequest, statelessResponse } from "./raw-request.js";
import { HANDLED_METHODS, MAX_MESSAGE_BODY, screenRequest } from "./request-screen.js";
import { decodeSipBytes, frameText } from "./sip-bytes.js";

/** A torture message aimed at user u1 on h1.invalid, decoded as the flow decodes a frame. */
function adapted(message: string): string {
  const text = message
    .replace(/\{\{user-escaped\}\}/g, "%75%31")
    .replace(/\{\{user\}\}/g, "u1")
    .replace(/\{\{host\}\}/g, "h1.invalid");
  return decodeSipBytes(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

const INVITE = [
  "INVITE sip:u1@h1.invalid SIP/2.0",
  "Via: SIP/2.0/WSS proxy.test;branch=z9hG4bK1",
  "Max-Forwards: 70",
  "From: <sip:1002@pbx.test>;tag=f1",
  "To: <sip:1001@pbx.test>",
  "Call-ID: c1",
  "CSeq: 1 INVITE",
  "Contact: <sip:1002@peer.test;transport=ws>",
];
const SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

function request(headers: string[], body = "", start = INVITE[0]!): string {
  return `${[start, ...headers].join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`;
}
const invite = (extra: string[] = [], body = "") => request([...INVITE.slice(1), ...extra], body);
const status = (text: string) => {
  const v = screenRequest(text);
  return v.kind === "refuse" ? v.status : v.kind;
};
const reply = (text: string) => {
  const v = screenRequest(text);
  return v.kind === "refuse" ? v.reply : "";
};

describe("screenRequest: the RFC 4475 torture messages", () => {
  // What SIP.js or the phone answers (200 to OPTIONS, 404, 481, ringing) passes the screen.
  it.each(torture.messages.map((m) => [m.name, m.expect, m.by, m.message] as const))("%s -> %s by %s", (_name, expected, by, message) => {
    const verdict = screenRequest(adapted(message));
    if (by === "screen") {
      expect(verdict).toMatchObject({ kind: "refuse", status: expected });
    } else {
      expect(verdict).toEqual({ kind: "pass" });
    }
  });
});

describe("screenRequest: each rule", () => {
  it("passes a well-formed INVITE with SDP, and every response", () => {
    expect(status(invite(["Content-Type: application/sdp"], SDP))).toBe("pass");
    expect(status("SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS x;branch=z9hG4bK1\r\n\r\n")).toBe("pass");
  });

  it("505 for another SIP version", () => {
    expect(status(request(INVITE.slice(1), "", "INVITE sip:u1@h1.invalid SIP/3.0"))).toBe(505);
  });

  it("400 for a broken start line or header field, missing or repeated mandatory headers", () => {
    expect(status(request(INVITE.slice(1), "", "INVITE sip:u1@h1.invalid"))).toBe(400);
    expect(status(invite(["no colon here"]))).toBe(400);
    expect(status(invite(["Subject: a\rInjected: b"]))).toBe(400);
    for (const name of ["From", "To", "Call-ID", "CSeq"]) {
      const text = request(INVITE.slice(1).filter((h) => !h.startsWith(`${name}:`)));
      expect(reply(text)).toMatch(new RegExp(`^SIP/2.0 400 Missing ${name}\r\n`));
    }
    expect(reply(invite(["i: c2"]))).toMatch(/^SIP\/2.0 400 Multiple Call-ID/);
    expect(reply(invite(["t: <sip:x@y>"]))).toMatch(/^SIP\/2.0 400 Multiple To/);
  });

  it("400 for a bad CSeq: not a number, 2**31 or more, or another method", () => {
    const withCseq = (v: string) => invite().replace("CSeq: 1 INVITE", `CSeq: ${v}`);
    expect(status(withCseq("one INVITE"))).toBe(400);
    expect(status(withCseq("2147483648 INVITE"))).toBe(400);
    expect(status(withCseq("2147483647 INVITE"))).toBe("pass");
    expect(reply(withCseq("1 OPTIONS"))).toMatch(/^SIP\/2.0 400 CSeq Method Mismatch/);
  });

  it("400 for a top Via without a branch, or with the magic cookie alone", () => {
    expect(reply(invite().replace(";branch=z9hG4bK1", ""))).toMatch(/^SIP\/2.0 400 Missing Via Branch/);
    expect(status(invite().replace(";branch=z9hG4bK1", ";branch=z9hG4bK"))).toBe(400);
    expect(status(invite().replace(";branch=z9hG4bK1", ";branch=2543-style-but-unique"))).toBe("pass");
  });

  it("400 for a Content-Length that is not a number or exceeds the body", () => {
    expect(status(invite().replace("Content-Length: 0", "Content-Length: five"))).toBe(400);
    expect(status(invite().replace("Content-Length: 0", "Content-Length: 10"))).toBe(400);
  });

  it("501 for an unknown method, 405 for one we do not handle, both with Allow", () => {
    const frob = request([...INVITE.slice(1, 6), "CSeq: 1 FROBNICATE"], "", "FROBNICATE sip:u1@h1.invalid SIP/2.0");
    expect(reply(frob)).toMatch(
      /^SIP\/2.0 501 Not Implemented\r\n[^]*\r\nAllow: ACK, BYE, CANCEL, INFO, INVITE, MESSAGE, NOTIFY, OPTIONS, REFER\r\n/,
    );
    for (const method of ["SUBSCRIBE", "REGISTER", "PUBLISH", "UPDATE", "PRACK"]) {
      const text = request([...INVITE.slice(1, 6), `CSeq: 1 ${method}`], "", `${method} sip:u1@h1.invalid SIP/2.0`);
      expect(reply(text)).toMatch(/^SIP\/2.0 405 Method Not Allowed\r\n[^]*\r\nAllow: ACK, BYE/);
    }
    expect(HANDLED_METHODS).toContain("INVITE");
  });

  it("416 for a Request-URI scheme other than sip, 400 for headers in it", () => {
    for (const uri of ["sips:u1@h1.invalid", "tel:+15551234", "mailto:u1@h1.invalid"]) {
      expect(status(request(INVITE.slice(1), "", `INVITE ${uri} SIP/2.0`))).toBe(416);
    }
    expect(status(request(INVITE.slice(1), "", "INVITE sip:u1@h1.invalid?Subject=x SIP/2.0"))).toBe(400);
  });

  it("400 for what SIP.js's grammar refuses, for a Replaces without both tags and a REFER without Refer-To", () => {
    expect(status(invite().replace("From: <sip:1002@pbx.test>", 'From: "unterminated <sip:1002@pbx.test>'))).toBe(400);
    expect(status(invite(["Replaces: abc;to-tag=1"]))).toBe(400);
    expect(status(invite(["Replaces: abc;to-tag=1;from-tag=2"]))).toBe("pass");
    expect(status(invite(["Replaces: abc;to-tag=1;from-tag=2", "Replaces: def;to-tag=1;from-tag=2"]))).toBe(400);
    const refer = (extra: string[]) => request([...INVITE.slice(1, 6), "CSeq: 2 REFER", ...extra], "", "REFER sip:u1@h1.invalid SIP/2.0");
    expect(reply(refer([]))).toMatch(/^SIP\/2.0 400 Missing Refer-To/);
    expect(status(refer(["Refer-To: <sip:1003@pbx.test>"]))).toBe("pass");
    expect(status(refer(["Refer-To: <sip:1003@pbx.test>", "r: <sip:1004@pbx.test>"]))).toBe(400);
  });

  it("415 with Accept for an INVITE body that is not SDP, with Accept-Encoding for an encoded one; 400 without Content-Type", () => {
    expect(reply(invite(["Content-Type: text/plain"], "hello"))).toMatch(
      /^SIP\/2.0 415 Unsupported Media Type\r\n[^]*\r\nAccept: application\/sdp\r\n/,
    );
    expect(status(invite(["Content-Type: multipart/mixed;boundary=x"], "--x\r\n\r\n--x--"))).toBe(415);
    expect(reply(invite(["Content-Type: application/sdp", "Content-Encoding: gzip"], SDP))).toMatch(/\r\nAccept-Encoding: identity\r\n/);
    expect(status(invite(["Content-Type: Application/SDP; charset=utf-8"], SDP))).toBe("pass");
    expect(reply(invite([], SDP))).toMatch(/^SIP\/2.0 400 Missing Content-Type/);
    // A text/plain body in an OPTIONS or MESSAGE is not the screen's business.
    expect(
      status(request([...INVITE.slice(1, 6), "CSeq: 1 OPTIONS", "Content-Type: text/plain"], "hi", "OPTIONS sip:u1@h1.invalid SIP/2.0")),
    ).toBe("pass");
  });

  it("MESSAGE: text/plain in UTF-8 passes; other types 415 with Accept: text/plain; over 16 KiB 413 (RFC 3428)", () => {
    const message = (extra: string[], body: string) =>
      request([...INVITE.slice(1, 6), "CSeq: 1 MESSAGE", ...extra], body, "MESSAGE sip:u1@h1.invalid SIP/2.0");
    expect(status(message(["Content-Type: text/plain"], "<b>hi</b>"))).toBe("pass");
    expect(status(message(["Content-Type: Text/Plain; charset=UTF-8"], "Grüße"))).toBe("pass");
    expect(reply(message(["Content-Type: text/html"], "<b>hi</b>"))).toMatch(
      /^SIP\/2.0 415 Unsupported Media Type\r\n[^]*\r\nAccept: text\/plain\r\n/,
    );
    expect(status(message(["Content-Type: application/im-iscomposing+xml"], "<isComposing/>"))).toBe(415);
    expect(status(message(["Content-Type: text/plain; charset=iso-8859-1"], "hi"))).toBe(415);
    expect(reply(message(["Content-Type: text/plain", "Content-Encoding: gzip"], "x"))).toMatch(/\r\nAccept-Encoding: identity\r\n/);
    expect(status(message([], "hi"))).toBe(400);
    expect(status(message(["Content-Type: text/plain"], "é".repeat(MAX_MESSAGE_BODY / 2)))).toBe("pass");
    expect(reply(message(["Content-Type: text/plain"], "é".repeat(MAX_MESSAGE_BODY / 2) + "x"))).toMatch(
      /^SIP\/2.0 413 Request Entity Too Large\r\n/,
    );
  });

  it("406 for an INVITE whose Accept leaves out application/sdp", () => {
    expect(status(invite(["Accept: text/html"]))).toBe(406);
    expect(status(invite(["Accept: text/html, application/*"]))).toBe("pass");
    expect(status(invite(["Accept: application/sdp;q=0.5"]))).toBe("pass");
  });

  it("drops what it cannot answer (no line end, no Via) instead of answering", () => {
    expect(screenRequest("\u0000\u0001 garbage")).toMatchObject({ kind: "drop" });
    expect(screenRequest(request(INVITE.slice(2)))).toMatchObject({ kind: "drop" });
  });
});

describe("statelessResponse", () => {
  it("copies Via fields, From, To with a tag of ours (the same every time), Call-ID and CSeq; nothing breaks a line", () => {
    const raw = splitRequest(invite(["Via: SIP/2.0/UDP second.test;branch=z9hG4bK2", "Subject: a"]))!;
    const text = statelessResponse(raw, 480, "Temporarily Unavailable", ["Retry-After: 5"]);
    expect(text).toMatch(
      /^SIP\/2.0 480 Temporarily Unavailable\r\nVia: SIP\/2.0\/WSS proxy.test;branch=z9hG4bK1\r\nVia: SIP\/2.0\/UDP second.test/,
    );
    expect(text).toMatch(
      /\r\nTo: <sip:1001@pbx.test>;tag=s\w+\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n$/,
    );
    expect(statelessResponse(raw, 480, "x")).toBe(statelessResponse(raw, 480, "x"));
    const tagged = splitRequest(invite().replace("To: <sip:1001@pbx.test>", 'To: "a;tag=no" <sip:1001@pbx.test>;tag=t9'))!;
    expect(statelessResponse(tagged, 400, "x")).toMatch(/\r\nTo: "a;tag=no" <sip:1001@pbx.test>;tag=t9\r\n/);
  });

  it("unfolds folded fields and expands compact names", () => {
    const raw = splitRequest(
      request(["v: SIP/2.0/WSS a;", " branch=z9hG4bKf", "f: <sip:a@b>;tag=1", "t: <sip:c@d>", "i: x", "CSeq: 1 INVITE"]),
    )!;
    expect(raw.headers.slice(0, 2)).toEqual([
      { name: "via", value: "SIP/2.0/WSS a; branch=z9hG4bKf" },
      { name: "from", value: "<sip:a@b>;tag=1" },
    ]);
    expect(raw.malformed).toBe(false);
  });
});

describe("SIP in binary WebSocket frames (RFC 7118)", () => {
  it("reads valid UTF-8 as text, and a body that is not UTF-8 one character per byte", () => {
    const head = new TextEncoder().encode("MESSAGE sip:a@b SIP/2.0\r\nSubject: Grüße\r\nContent-Length: 3\r\n\r\n");
    const bytes = new Uint8Array([...head, 0x00, 0xff, 0x80]);
    expect(decodeSipBytes(bytes)).toBe("MESSAGE sip:a@b SIP/2.0\r\nSubject: Grüße\r\nContent-Length: 3\r\n\r\n\u0000\u00ff\u0080");
    expect(decodeSipBytes(new TextEncoder().encode("OPTIONS sip:a@b SIP/2.0\r\n\r\n"))).toBe("OPTIONS sip:a@b SIP/2.0\r\n\r\n");
    expect(frameText(bytes.buffer)).toBe(decodeSipBytes(bytes));
    expect(frameText(new Blob([]))).toBeUndefined();
  });
});
