// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { TAB_ICONS } from "./icons.js";
import { SipCallButton } from "./sip-call-button.js";
import { PALETTE, themeTokens, type ColourToken } from "./shared-styles.js";

/** WCAG 2.x relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2.x contrast ratio of two `#rrggbb` colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

type Colour = ColourToken | "#ffffff";
const THEMES = { light: 1, dark: 2 } as const;
const value = (c: Colour, theme: keyof typeof THEMES) => (c.startsWith("#") ? c : PALETTE.find(([n]) => n === c)![THEMES[theme]]);

/** Text (4.5:1, WCAG 1.4.3) on the surfaces the components put it on. */
const TEXT: Array<[Colour, Colour[]]> = [
  ["fg", ["bg", "surface", "button-bg", "notice-bg", "error-bg", "avatar-bg"]],
  ["muted", ["bg", "surface", "button-bg"]],
  ["link", ["bg", "surface"]],
  ["accent-fg", ["accent"]],
  ["#ffffff", ["call-bg", "hangup-bg"]],
  ["danger", ["bg", "surface", "error-bg"]],
  ["success", ["bg", "surface"]],
  ["warning", ["bg", "surface"]],
  ["avatar-fg", ["avatar-bg"]],
  ["state-registered", ["bg", "surface"]],
  ["state-ringing", ["bg", "surface"]],
  ["state-in-call", ["bg", "surface"]],
  ["state-held", ["bg", "surface"]],
  ["state-error", ["bg", "surface"]],
];

describe("design tokens", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`every text colour meets 4.5:1 on its surfaces, ${theme}`, () => {
      const low = TEXT.flatMap(([fg, bgs]) =>
        bgs.map((bg) => [`${fg} on ${bg}`, contrast(value(fg, theme), value(bg, theme))] as const).filter(([, ratio]) => ratio < 4.5),
      );
      expect(low).toEqual([]);
    });

    it(`the focus ring stands out (3:1, WCAG 1.4.11) on every surface, ${theme}`, () => {
      for (const bg of ["bg", "surface", "button-bg"] as const) {
        expect(contrast(value("focus", theme), value(bg, theme)), bg).toBeGreaterThanOrEqual(3);
      }
    });
  }

  it("every colour is a public --sip-* property with a light and a dark value", () => {
    const text = themeTokens.cssText;
    for (const [name, light, dark] of PALETTE) {
      expect(light).toMatch(/^#[0-9a-f]{6}$/);
      expect(dark).toMatch(/^#[0-9a-f]{6}$/);
      expect(text).toContain(`--_sip-${name}:var(--sip-${name},light-dark(${light},${dark}))`);
      expect(text).toContain(`--sip-${name}:var(--_sip-${name})`);
    }
  });

  it("keeps the properties host pages set before the design system", () => {
    const names = PALETTE.map(([n]) => n as string);
    for (const old of ["fg", "muted", "border", "accent", "button-bg", "call-bg", "hangup-bg"]) expect(names).toContain(old);
  });

  it("<sip-call-button> draws with the same tokens and the phone's handset", async () => {
    expect(SipCallButton.styles).toContain(themeTokens);
    const el = document.createElement("sip-call-button");
    el.setAttribute("number", "1002");
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("path")!.getAttribute("d")).toBe(TAB_ICONS.phone);
    el.remove();
  });
});
