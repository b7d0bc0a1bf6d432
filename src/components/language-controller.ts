import { ContextProvider, type Context, type ContextEvent } from "@lit/context";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { languagesOf, rootsAround } from "../i18n/language-of.js";
import { english, loadedWords, loadWords, pickLanguage } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";
import { getLogger } from "../sip/core/logger.js";
import { fromShadowTreeOf } from "./shadow-context.js";
import { wordsContext } from "./words-context.js";

const log = getLogger("language");

/**
 * The language of a top-level element (`<sip-phone>`, `<sip-call-button>`): its own `lang`, or
 * its nearest ancestor's, or the browser's languages; followed at run time (a `lang` attribute
 * changed anywhere around it, the browser's languages changed). The words go to the host and,
 * through wordsContext, to every component in its shadow tree. A language other than English
 * loads on demand; until it has, the element keeps the words it had.
 *
 * The context is Lit's ContextProvider, which updates subscribers when the language changes,
 * fenced like provideInside (shadow-context.ts): it answers requests from the shadow tree only.
 */
export class LanguageController implements ReactiveController {
  private current: Words = english;
  private readonly provider: ContextProvider<typeof wordsContext>;
  private observer: MutationObserver | undefined;
  private readonly onBrowserChange = () => this.follow();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly changed: (words: Words) => void = () => undefined,
  ) {
    // Only the element's own shadow tree gets its words, as with every context of the phone
    // (shadow-context.ts): a request from the host page's light-DOM children is stopped before
    // the provider sees it (a capture listener runs first at the target).
    host.addEventListener(
      "context-request",
      (event: ContextEvent<Context<unknown, unknown>>) => {
        if (event.context === wordsContext && !fromShadowTreeOf(host, event.composedPath()[0])) event.stopImmediatePropagation();
      },
      { capture: true },
    );
    this.provider = new ContextProvider(host, { context: wordsContext, initialValue: english });
    host.addController(this);
  }

  /** The words the host renders with now. */
  get words(): Words {
    return this.current;
  }

  hostConnected(): void {
    this.follow();
    // Attribute changes of `lang` only, in every tree between the host and the document.
    this.observer = new MutationObserver(() => this.follow());
    for (const root of rootsAround(this.host)) this.observer.observe(root, { attributes: true, attributeFilter: ["lang"], subtree: true });
    window.addEventListener("languagechange", this.onBrowserChange);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    window.removeEventListener("languagechange", this.onBrowserChange);
  }

  private follow(): void {
    const lang = pickLanguage(languagesOf(this.host));
    if (lang === this.current.lang) return;
    const ready = loadedWords(lang);
    if (ready) return this.use(ready);
    loadWords(lang).then(
      (words) => {
        // Still wanted: the language may have changed again while this one loaded.
        if (pickLanguage(languagesOf(this.host)) === words.lang) this.use(words);
      },
      (e: Error) => log.warn(`words for "${lang}" not loaded:`, e.message),
    );
  }

  private use(words: Words): void {
    this.current = words;
    this.provider.setValue(words);
    this.changed(words);
    this.host.requestUpdate();
  }
}
