import type { Catalogue, ViewsCatalogue } from "./catalogue.js";
import { en } from "./en.js";
import { Words } from "./words.js";

/** A translation's two parts, each its own chunk: the first load's words and the views'. */
interface Translation {
  readonly words: () => Promise<Catalogue>;
  readonly views: () => Promise<ViewsCatalogue>;
}

/**
 * The translations, each loaded on first use (its own chunks: a page pays only for the
 * language it shows, and for its views' words only once a view is opened). English is built in:
 * it is the fallback and the source of the ids. A translator adds `xx.ts` and `xx-views.ts`
 * beside de.ts and one entry here (docs/translating.md).
 */
const TRANSLATIONS: Record<string, Translation> = {
  de: { words: () => import("./de.js").then((m) => m.de), views: () => import("./de-views.js").then((m) => m.deViews) },
};

/** English's views part: not in the first load either, fetched with the first view. */
const englishViews = () => import("./en-views.js").then((m) => m.enViews);

export const SOURCE_LANGUAGE = "en";

/** A translation's two parts, loaded (for the completeness test, catalogue.test.ts). */
export function loadCatalogue(lang: string): Promise<[Catalogue, ViewsCatalogue]> | undefined {
  const translation = TRANSLATIONS[lang];
  return translation && Promise.all([translation.words(), translation.views()]);
}

/** Every language the phone speaks, English first. */
export const LANGUAGES: readonly string[] = [SOURCE_LANGUAGE, ...Object.keys(TRANSLATIONS)];

export const english = new Words(SOURCE_LANGUAGE, en);

/** The languages ready to speak: with their views part once views are wanted (loadWords). */
const loaded = new Map<string, Words>([[SOURCE_LANGUAGE, english]]);
const loading = new Map<string, Promise<Words>>();
/** Each language's views part on its way (once: a load that failed is tried again). */
const addingViews = new Map<string, Promise<Words>>();
/** A view has been asked for: every language loaded from now on comes with its views part. */
let viewsWanted = false;

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

/**
 * The words of `lang` (one of LANGUAGES), loading its catalogue once; with its views part too
 * once a view has been opened (loadViewWords): a language switched to then speaks the open view
 * from its first render.
 */
export function loadWords(lang: string): Promise<Words> {
  const ready = loaded.get(lang);
  if (ready) return Promise.resolve(ready);
  const translation = TRANSLATIONS[lang];
  if (!translation) return Promise.resolve(english);
  let pending = loading.get(lang);
  if (!pending) {
    pending = translation
      .words()
      .then((catalogue) => {
        const words = new Words(lang, catalogue);
        // Whether views are wanted is read here, and `loaded` is set in this same step (or once
        // the views part is in): a loadViewWords() before it waits for this load, which is still
        // in `loading`; one after it finds the language in `loaded`.
        return viewsWanted ? withViews(words).then(remember) : remember(words);
      })
      .catch((e: unknown) => {
        // A chunk that failed to load (offline before it was cached): English, and try again next time.
        loading.delete(lang);
        throw e;
      });
    loading.set(lang, pending);
  }
  return pending;
}

/**
 * The views' words (en-views.ts and each translation's `-views` part), for every language
 * loaded or loading, and remembered as wanted for those loaded later. Whatever loads a view
 * (phone-views.ts, account-editing.ts) awaits this with the view's module, and renders the view
 * once both are here. Fails when a loaded language's views part cannot be fetched (offline); a
 * call after that tries again.
 */
export function loadViewWords(): Promise<void> {
  viewsWanted = true;
  const ready = [...loaded.values()].map(withViews);
  // A language still loading gets its views part before loadWords gives it out (see there); its
  // own failure is for whoever asked for it to report, not a reason to keep a view closed.
  const coming = [...loading].filter(([lang]) => !loaded.has(lang)).map(([, words]) => words.catch(() => undefined));
  return Promise.all([...ready, ...coming]).then(() => undefined);
}

function remember(words: Words): Words {
  loaded.set(words.lang, words);
  return words;
}

/** `words` with its views part added (fetched once per language). */
function withViews(words: Words): Promise<Words> {
  if (words.hasViews) return Promise.resolve(words);
  const lang = words.lang;
  let pending = addingViews.get(lang);
  if (!pending) {
    const load = lang === SOURCE_LANGUAGE ? englishViews : TRANSLATIONS[lang]!.views;
    pending = load().then(
      (views) => {
        words.addViews(views);
        return words;
      },
      (e: unknown) => {
        addingViews.delete(lang);
        throw e;
      },
    );
    addingViews.set(lang, pending);
  }
  return pending;
}

/** The words of `lang` when loaded, else English: for helpers of an element that speaks `lang` (it loaded them). */
export function wordsFor(lang: string | undefined): Words {
  return (lang && loaded.get(lang)) || english;
}
