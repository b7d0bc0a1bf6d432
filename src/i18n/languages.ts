import type { Catalogue } from "./catalogue.js";
import { en } from "./en.js";
import { Words } from "./words.js";

/**
 * The translations, each loaded on first use (its own chunk: a page pays only for the
 * language it shows). English is built in: it is the fallback and the source of the ids.
 * A translator adds `xx.ts` beside de.ts and one line here (docs/translating.md).
 */
const TRANSLATIONS: Record<string, () => Promise<Catalogue>> = {
  de: () => import("./de.js").then((m) => m.de),
};

export const SOURCE_LANGUAGE = "en";

/** A translation's catalogue, loaded (for the completeness test, catalogue.test.ts). */
export function loadCatalogue(lang: string): Promise<Catalogue> | undefined {
  return TRANSLATIONS[lang]?.();
}

/** Every language the phone speaks, English first. */
export const LANGUAGES: readonly string[] = [SOURCE_LANGUAGE, ...Object.keys(TRANSLATIONS)];

export const english = new Words(SOURCE_LANGUAGE, en);

const loaded = new Map<string, Words>([[SOURCE_LANGUAGE, english]]);
const loading = new Map<string, Promise<Words>>();

/**
 * The first of `wanted` (BCP 47 tags, most wanted first) the phone speaks: an exact match, else
 * its language ("de-AT" → "de"); English when none is.
 */
export function pickLanguage(wanted: readonly string[]): string {
  for (const tag of wanted) {
    const lower = tag.trim().toLowerCase();
    const match = LANGUAGES.find((l) => l === lower) ?? LANGUAGES.find((l) => l === lower.split("-")[0]);
    if (match) return match;
  }
  return SOURCE_LANGUAGE;
}

/** The words of `lang` if already loaded (English always is). */
export function loadedWords(lang: string): Words | undefined {
  return loaded.get(lang);
}

/** The words of `lang` (one of LANGUAGES), loading its catalogue once. */
export function loadWords(lang: string): Promise<Words> {
  const ready = loaded.get(lang);
  if (ready) return Promise.resolve(ready);
  const load = TRANSLATIONS[lang];
  if (!load) return Promise.resolve(english);
  let pending = loading.get(lang);
  if (!pending) {
    pending = load().then(
      (catalogue) => {
        const words = new Words(lang, catalogue);
        loaded.set(lang, words);
        return words;
      },
      (e: unknown) => {
        // A chunk that failed to load (offline before it was cached): English, and try again next time.
        loading.delete(lang);
        throw e;
      },
    );
    loading.set(lang, pending);
  }
  return pending;
}

/** The words of `lang` when loaded, else English: for helpers of an element that speaks `lang` (it loaded them). */
export function wordsFor(lang: string | undefined): Words {
  return (lang && loaded.get(lang)) || english;
}
