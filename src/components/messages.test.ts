import { describe, expect, it } from "vitest";
import { describeCallFailure, describeMediaError, describeRegistrationFailure, describeTransportFailure } from "./messages.js";

describe("messages for the user", () => {
  it("registration failures name what to check", () => {
    expect(describeRegistrationFailure(403, "Forbidden")).toBe("Authentication failed (403): check user and password");
    expect(describeRegistrationFailure(401, "Unauthorized")).toBe("Authentication failed (401): check user and password");
    expect(describeRegistrationFailure(503, "Service Unavailable")).toBe("Server unavailable (503 Service Unavailable)");
  });
  it("transport failures name the server and the retry", () => {
    expect(describeTransportFailure("wss://pbx.example.com", 7600)).toBe(
      "Cannot reach wss://pbx.example.com: no connection (server down, wrong address or untrusted certificate), retrying in 8 s",
    );
  });
  it("call failures carry their SIP code", () => {
    expect(describeCallFailure(486, "Busy Here")).toBe("Busy (486)");
    expect(describeCallFailure(603, "Decline")).toBe("Declined (603)");
    expect(describeCallFailure(404, "Not Found")).toBe("Number not found (404)");
    expect(describeCallFailure(500, "Oops")).toBe("Server error (500 Oops)");
  });
  it("microphone errors say what to do", () => {
    expect(describeMediaError({ name: "NotAllowedError" })).toMatch(/blocked: allow it/);
    expect(describeMediaError({ name: "NotFoundError" })).toMatch(/No microphone found/);
  });
});
