// @vitest-environment happy-dom
import { html, render } from "lit";
import { describe, expect, it } from "vitest";
import { avatar, hangupIcon, initials, phoneIcon } from "./icons.js";

describe("initials", () => {
  it("takes the first letters of the first and last words, in capitals", () => {
    expect(initials("Bob Builder")).toBe("BB");
    expect(initials("alice")).toBe("A");
    expect(initials("Anna Maria de la Cruz")).toBe("AC");
    expect(initials("Müller, Hans")).toBe("MH");
    expect(initials("Øystein ölander")).toBe("ØÖ");
  });

  it("reads a SIP or tel address by its user part", () => {
    expect(initials("sip:alice@pbx.example.com")).toBe("A");
    expect(initials("sips:support.desk@pbx.example.com")).toBe("SD");
  });

  it("has none for a number: the avatar shows a person", () => {
    expect(initials("1002")).toBe("");
    expect(initials("+43 (1) 505641")).toBe("");
    expect(initials("tel:+431505641")).toBe("");
    expect(initials("")).toBe("");
  });
});

describe("avatar and icons", () => {
  it("adds nothing to the text or the accessible name around them", () => {
    const host = document.createElement("div");
    render(html`<button>${phoneIcon}Call</button>${avatar("Bob Builder")}${avatar("1002")}<button>${hangupIcon}Hang up</button>`, host);
    const [call, hangup] = host.querySelectorAll("button");
    expect(call!.textContent!.trim()).toBe("Call");
    expect(hangup!.textContent!.trim()).toBe("Hang up");
    for (const el of host.querySelectorAll("svg, .avatar")) {
      expect(el.getAttribute("aria-hidden")).toBe("true");
    }
    const [named, number] = host.querySelectorAll(".avatar");
    expect(named!.getAttribute("data-initials")).toBe("BB");
    expect(named!.textContent!.trim()).toBe("");
    expect(number!.querySelector("svg")).not.toBeNull();
  });
});
