import { createContext } from "@lit/context";
import type { Words } from "../i18n/words.js";

/**
 * The words every component inside a `<sip-phone>` (or `<sip-call-button>`) renders with,
 * provided by that element's LanguageController and updated when its language changes.
 * Components declare `@consume({ context: wordsContext, subscribe: true }) @state() words = english`:
 * outside a phone (unit tests) they speak English.
 */
export const wordsContext = createContext<Words>(Symbol("sip-words"));
