// @vitest-environment happy-dom
import { consume } from "@lit/context";
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { english, loadWords } from "../i18n/languages.js";
import { LanguageController } from "./language-controller.js";
import { wordsContext } from "./words-context.js";

/** A view deep in a phone: it renders with the words its phone provides. */
@customElement("test-words-view")
class TestWordsView extends LitElement {
  @consume({ context: wordsContext, subscribe: true }) @state() words = english;
  override render() {
    return html`<button>${this.words.t("dial.call")}</button>`;
  }
}

/** A top-level element as <sip-phone> is: it decides the language and provides it. */
@customElement("test-words-root")
class TestWordsRoot extends LitElement {
  readonly language = new LanguageController(this);
  override render() {
    return html`<test-words-view></test-words-view>`;
  }
}

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute("lang");
});

const shown = (root: TestWordsRoot) => root.shadowRoot!.querySelector<TestWordsView>("test-words-view")!.shadowRoot!.textContent!.trim();

async function mount(where: HTMLElement = document.body): Promise<TestWordsRoot> {
  await loadWords("de");
  const root = document.createElement("test-words-root") as TestWordsRoot;
  where.append(root);
  await root.updateComplete;
  return root;
}

describe("LanguageController", () => {
  it("speaks the document's language, and its views with it", async () => {
    document.documentElement.lang = "de";
    const root = await mount();
    await vi.waitFor(() => expect(shown(root)).toBe("Anrufen"));
    expect(root.language.words.lang).toBe("de");
  });

  it("follows its nearest lang across shadow roots, its own first, and changes at run time", async () => {
    document.documentElement.lang = "en";
    const outer = document.createElement("div");
    document.body.append(outer);
    const shadow = outer.attachShadow({ mode: "open" });
    const section = document.createElement("section");
    section.lang = "de-AT";
    shadow.append(section);
    const root = await mount(section);
    await vi.waitFor(() => expect(shown(root)).toBe("Anrufen"));
    section.lang = "en";
    await vi.waitFor(() => expect(shown(root)).toBe("Call"));
    root.setAttribute("lang", "de");
    await vi.waitFor(() => expect(shown(root)).toBe("Anrufen"));
    root.removeAttribute("lang");
    await vi.waitFor(() => expect(shown(root)).toBe("Call"));
  });

  it("falls back to English for a language it does not speak", async () => {
    document.documentElement.lang = "tlh";
    const root = await mount();
    await root.updateComplete;
    expect(shown(root)).toBe(navigator.languages.some((l) => l.startsWith("de")) ? "Anrufen" : "Call");
  });
});

declare global {
  interface HTMLElementTagNameMap {
    "test-words-view": TestWordsView;
    "test-words-root": TestWordsRoot;
  }
}

describe("LanguageController: who gets the words", () => {
  it("a light-DOM child of the element gets no answer; a component in its shadow tree does", () => {
    const host = document.createElement("div");
    host.attachShadow({ mode: "open" });
    const controllers: Array<{ hostConnected?: () => void }> = [];
    new LanguageController(
      Object.assign(host, {
        addController: (c: object) => controllers.push(c),
        requestUpdate: () => undefined,
        removeController: () => undefined,
        updateComplete: Promise.resolve(true),
      }) as never,
    );
    document.body.append(host);
    const ask = (from: Element) => {
      const answers: unknown[] = [];
      const event = new Event("context-request", { bubbles: true, composed: true });
      Object.assign(event, { context: wordsContext, contextTarget: from, subscribe: false, callback: (v: unknown) => answers.push(v) });
      from.dispatchEvent(event);
      return answers.length;
    };
    const child = host.appendChild(document.createElement("span"));
    const inside = host.shadowRoot!.appendChild(document.createElement("span"));
    expect(ask(child)).toBe(0);
    expect(ask(inside)).toBe(1);
    host.remove();
  });
});
