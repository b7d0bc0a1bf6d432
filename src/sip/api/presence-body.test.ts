import { describe, expect, it } from "vitest";
import { DialogView, dialogState, parkedDialog, parseDialogInfo, parsePidf, ringingDialog } from "./presence-body.js";

export function dialogInfo(version: number, dialogs: string, state: "full" | "partial" = "full"): string {
  return `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="sip:1001@pbx.test">${dialogs}</dialog-info>`;
}

export const EARLY = `<dialog id="d1" call-id="abc@host" local-tag="lt1" remote-tag="rt1" direction="recipient">
  <state>early</state><remote><identity display="Carol">sip:1003@pbx.test</identity></remote></dialog>`;

describe("dialog-info (RFC 4235)", () => {
  it("reads dialogs with the call-id, both tags, direction and the other party", () => {
    const info = parseDialogInfo(dialogInfo(3, EARLY));
    expect(info).toEqual({
      version: 3,
      full: true,
      entity: "sip:1001@pbx.test",
      dialogs: [
        {
          id: "d1",
          phase: "early",
          direction: "recipient",
          callId: "abc@host",
          localTag: "lt1",
          remoteTag: "rt1",
          remoteIdentity: "sip:1003@pbx.test",
          remoteName: "Carol",
        },
      ],
    });
    expect(dialogState(info!.dialogs)).toBe("ringing");
    expect(ringingDialog(info!.dialogs)?.id).toBe("d1");
  });

  it("says busy for a confirmed dialog or a call going out, idle for none", () => {
    const confirmed = parseDialogInfo(dialogInfo(1, `<dialog id="a"><state>confirmed</state></dialog>`))!;
    expect(dialogState(confirmed.dialogs)).toBe("busy");
    const out = parseDialogInfo(dialogInfo(1, `<dialog id="a" direction="initiator"><state>early</state></dialog>`))!;
    expect(dialogState(out.dialogs)).toBe("busy");
    expect(dialogState(parseDialogInfo(dialogInfo(1, ""))!.dialogs)).toBe("idle");
  });

  it.each([
    ["not XML", "hello"],
    ["another root", "<presence/>"],
    ["no version", `<dialog-info state="full"/>`],
    ["an unknown state", dialogInfo(1, `<dialog id="a"><state>dancing</state></dialog>`)],
    ["a dialog without id", dialogInfo(1, `<dialog><state>early</state></dialog>`)],
  ])("refuses %s", (_, body) => {
    expect(parseDialogInfo(body)).toBeUndefined();
  });

  it("keeps dialogs across partial bodies and ignores older versions", () => {
    const view = new DialogView();
    expect(view.apply(parseDialogInfo(dialogInfo(1, EARLY))!)).toBe(true);
    expect(view.apply(parseDialogInfo(dialogInfo(2, `<dialog id="d2"><state>confirmed</state></dialog>`, "partial"))!)).toBe(true);
    expect(view.dialogs.map((d) => d.id)).toEqual(["d1", "d2"]);
    expect(view.apply(parseDialogInfo(dialogInfo(1, ""))!)).toBe(false);
    expect(view.dialogs).toHaveLength(2);
    view.apply(parseDialogInfo(dialogInfo(3, `<dialog id="d1"><state>terminated</state></dialog>`, "partial"))!);
    expect(view.dialogs.map((d) => d.id)).toEqual(["d2"]);
    view.apply(parseDialogInfo(dialogInfo(4, ""))!);
    expect(view.dialogs).toEqual([]);
  });
});

describe("a parked call's dialog (park slots)", () => {
  const early = `<dialog id="p1" call-id="c1@h" local-tag="orbit" remote-tag="carol" direction="recipient"><state>early</state><remote><identity>sip:1003@pbx.test</identity></remote></dialog>`;
  const confirmed = (callId = "c1@h") =>
    `<dialog id="p1" call-id="${callId}" direction="recipient"><state>confirmed</state><remote><identity>sip:1003@pbx.test</identity></remote></dialog>`;

  it("keeps the tags an earlier update gave when the confirmed one leaves them out (Kamailio pua_dialoginfo)", () => {
    const view = new DialogView();
    view.apply(parseDialogInfo(dialogInfo(1, early))!);
    view.apply(parseDialogInfo(dialogInfo(2, confirmed()))!);
    expect(parkedDialog(view.dialogs)).toMatchObject({
      callId: "c1@h",
      localTag: "orbit",
      remoteTag: "carol",
      remoteIdentity: "sip:1003@pbx.test",
    });
    expect(ringingDialog(view.dialogs)).toBeUndefined();
  });

  it("takes no tags from another call that had the same dialog id, and none without an earlier update", () => {
    const view = new DialogView();
    view.apply(parseDialogInfo(dialogInfo(1, early))!);
    view.apply(parseDialogInfo(dialogInfo(2, confirmed("other@h")))!);
    expect(parkedDialog(view.dialogs)).toMatchObject({ callId: "other@h", localTag: undefined, remoteTag: undefined });
    const fresh = new DialogView();
    fresh.apply(parseDialogInfo(dialogInfo(1, confirmed()))!);
    expect(parkedDialog(fresh.dialogs)?.localTag).toBeUndefined();
  });

  it("an early dialog or one the slot started is no parked call", () => {
    const view = new DialogView();
    view.apply(parseDialogInfo(dialogInfo(1, early))!);
    expect(parkedDialog(view.dialogs)).toBeUndefined();
    view.apply(parseDialogInfo(dialogInfo(2, `<dialog id="o1" direction="initiator"><state>confirmed</state></dialog>`))!);
    expect(parkedDialog(view.dialogs)).toBeUndefined();
  });
});

describe("PIDF (RFC 3863, RPID RFC 4480)", () => {
  const pidf = (basic: string, extra = "") =>
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:1001@pbx.test"><tuple id="t"><status><basic>${basic}</basic></status></tuple>${extra}</presence>`;

  it("open is idle, closed offline, on-the-phone busy", () => {
    expect(parsePidf(pidf("open"))?.state).toBe("idle");
    expect(parsePidf(pidf("closed"))?.state).toBe("offline");
    expect(parsePidf(pidf("open", "<dm:person><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person>"))?.state).toBe("busy");
    expect(parsePidf(pidf("open", "<note>On the phone</note>"))?.state).toBe("busy");
  });

  it("refuses what is not PIDF", () => {
    expect(parsePidf(pidf("maybe"))).toBeUndefined();
    expect(parsePidf("<dialog-info/>")).toBeUndefined();
    expect(parsePidf("<presence>")).toBeUndefined();
  });
});
