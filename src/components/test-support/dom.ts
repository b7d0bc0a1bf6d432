import { vi } from "vitest";

/** The accessible name a test can rely on: aria-label, else the text, spaces folded. */
function nameOf(el: Element): string {
  return (el.getAttribute("aria-label") ?? el.textContent ?? "").replace(/\s+/g, " ").trim();
}

function root(el: Element): ParentNode {
  return el.shadowRoot ?? el;
}

/** The button named `name` (aria-label or text) in `el`'s shadow tree; throws with the names there are. */
export function button(el: Element, name: string | RegExp): HTMLButtonElement {
  const all = [...root(el).querySelectorAll("button")];
  const found = all.find((b) => (typeof name === "string" ? nameOf(b) === name || b.textContent!.trim() === name : name.test(nameOf(b))));
  if (!found) throw new Error(`no button ${name} in <${el.localName}>; there are: ${all.map((b) => JSON.stringify(nameOf(b))).join(", ")}`);
  return found;
}

/** Names of the buttons in `el`'s shadow tree, in order. */
export function buttonNames(el: Element): string[] {
  return [...root(el).querySelectorAll("button")].map(nameOf);
}

/**
 * The form control labelled `label`: by aria-label, by a `<label for>`, or by a wrapping
 * `<label>` whose own text starts with it.
 */
export function control<T extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement = HTMLInputElement>(
  el: Element,
  label: string,
): T {
  const r = root(el);
  const byAria = r.querySelector<T>(`[aria-label="${label}"]`);
  if (byAria) return byAria;
  for (const l of r.querySelectorAll("label")) {
    const own = [...l.childNodes]
      .filter((n) => n.nodeType === 3)
      .map((n) => n.textContent)
      .join(" ")
      .trim();
    if (own !== label && l.textContent!.trim() !== label) continue;
    const target = l.htmlFor ? r.querySelector<T>(`[id="${l.htmlFor}"]`) : l.querySelector<T>("input, textarea, select");
    if (target) return target;
  }
  throw new Error(`no control labelled "${label}" in <${el.localName}>`);
}

/** Types `value` into a control the way a user does: sets it, then fires `input` (or `change`). */
export function typeInto(c: HTMLInputElement | HTMLTextAreaElement, value: string, event: "input" | "change" = "input"): void {
  c.value = value;
  c.dispatchEvent(new Event(event, { bubbles: true }));
}

/** Picks an option of a select or ticks a checkbox, then fires `change`. */
export function choose(c: HTMLSelectElement | HTMLInputElement, value: string | boolean): void {
  if (typeof value === "boolean") (c as HTMLInputElement).checked = value;
  else c.value = value;
  c.dispatchEvent(new Event("change", { bubbles: true }));
}

export interface Download {
  name: string;
  type: string;
  text: Promise<string>;
}

/**
 * Catches what `downloadText` offers the user: each file's name, type and content. Undo with
 * `vi.restoreAllMocks()`.
 */
export function captureDownloads(): Download[] {
  const files: Download[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b as Blob);
    return url;
  });
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href)!;
    files.push({ name: this.download, type: blob.type, text: blob.text() });
  });
  return files;
}
