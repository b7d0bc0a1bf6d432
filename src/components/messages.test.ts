import { describe, expect, it } from "vitest";
import { english } from "../i18n/languages.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import {
  describeCallFailure,
  describeClickToCallFailure,
  describeMediaError,
  describeVoicemail,
  wordedError,
  describeRegistrationFailure,
  describeTransportFailure,
} from "./messages.js";
import { describeMessageFailure } from "./text-message-words.js";

describe("messages for the user", () => {
  it("registration failures name what to check", () => {
    expect(describeRegistrationFailure(english, 403, "Forbidden")).toBe("Authentication failed (403): check user and password");
    expect(describeRegistrationFailure(english, 401, "Unauthorized")).toBe("Authentication failed (401): check user and password");
    expect(describeRegistrationFailure(english, 503, "Service Unavailable")).toBe("Server unavailable (503 Service Unavailable)");
  });
  it("transport failures name the server and the retry", () => {
    expect(describeTransportFailure(english, "wss://pbx.example.com", 7600)).toBe(
      "Cannot reach wss://pbx.example.com: no connection (server down, wrong address or untrusted certificate), retrying in 8 s",
    );
  });
  it("call failures carry their SIP code", () => {
    expect(describeCallFailure(english, 486, "Busy Here")).toBe("Busy (486)");
    expect(describeCallFailure(english, 603, "Decline")).toBe("Declined (603)");
    expect(describeCallFailure(english, 404, "Not Found")).toBe("Number not found (404)");
    expect(describeCallFailure(english, 500, "Oops")).toBe("Server error (500 Oops)");
  });
  it("microphone errors say what to do", () => {
    expect(describeMediaError(english, { name: "NotAllowedError" })).toMatch(/blocked: allow it/);
    expect(describeMediaError(english, { name: "NotFoundError" })).toMatch(/No microphone found/);
  });

  it("a click-to-call leg whose offer is refused (488/606) says what the PBX must do, never a WebRTC error", () => {
    expect(describeClickToCallFailure(english, "reverse", "invite", 488, "1002")).toBe(
      "1002 cannot take a call from the browser (488): your PBX must bridge WebRTC audio to it, as for browser calls",
    );
    expect(describeClickToCallFailure(english, "desk", "invite", 606, "1002")).toBe(
      "Your desk phone refused the call's audio settings (606)",
    );
  });

  it("voicemail counts and message failures in words", () => {
    expect(describeVoicemail(english, { waiting: true, new: 1, old: 0 })).toBe("1 new voicemail");
    expect(describeVoicemail(english, { waiting: true, new: 0, old: 0 })).toBe("Voicemail waiting");
    expect(describeVoicemail(english, { waiting: false, new: 0, old: 3 })).toBe("3 old voicemails");
    expect(describeVoicemail(english, { waiting: false, new: 0, old: 0 })).toBe("");
    expect(describeMessageFailure(english, { kind: "rejected", sipCode: 404, reasonPhrase: "Not Found" })).toBe(
      "Not sent: no such user or number (404)",
    );
    expect(describeMessageFailure(english, { kind: "rejected", sipCode: 500, reasonPhrase: "Oops" })).toBe("Not sent (500 Oops)");
    expect(describeMessageFailure(english, { kind: "no-line" })).toMatch(/removed or switched off/);
    const worded = wordedError(
      english,
      new PhoneError("Message not sent (415 Unsupported)", "message-failed", { sipCode: 415, reasonPhrase: "Unsupported" }),
    );
    expect(worded).toBeInstanceOf(PhoneError);
    expect((worded as PhoneError).message).toBe("Not sent: the other side does not take plain text messages (415)");
    expect((worded as PhoneError).code).toBe("message-failed");
  });
});
