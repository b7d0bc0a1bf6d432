import { describe, expect, it } from "vitest";
import type { Plural } from "./catalogue.js";
import { en } from "./en.js";
import { enViews } from "./en-views.js";
import { english, LANGUAGES, loadCatalogue, loadViewWords, loadWords, pickLanguage } from "./languages.js";

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** The placeholders of a message: of all its plural forms together. */
const slotsOf = (m: string | Plural) => [...new Set(typeof m === "string" ? slots(m) : Object.values(m).flatMap((t) => slots(t!)))].sort();

const translations = LANGUAGES.filter((l) => l !== "en");
/** Both parts of a translation, in English's order: the first load's, the views'. */
const parts = async (lang: string) => (await loadCatalogue(lang))! as [Record<string, string | Plural>, Record<string, string | Plural>];
/** English's parts, by file, with their place in a translation's `parts`. */
const englishParts = [
  ["en.ts", en, 0],
  ["en-views.ts", enViews, 1],
] as const;

describe("the catalogues", () => {
  it("has German among the translations", () => {
    expect(translations).toContain("de");
  });

  it("keeps each English id in one part only", () => {
    expect(Object.keys(en).filter((id) => id in enViews)).toEqual([]);
  });

  describe.each(translations)("%s", (lang) => {
    it.each(englishParts)("has every message of %s in the same part, and no other", async (_, source, part) => {
      const catalogue = (await parts(lang))[part];
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(source).sort());
    });

    it.each(englishParts)("keeps each message's placeholders (%s): the same names, none lost, none made up", async (_, source) => {
      const catalogue = Object.assign({}, ...(await parts(lang))) as Record<string, string | Plural>;
      const wrong = Object.entries(source)
        .filter(([id, text]) => slotsOf(text).join() !== slotsOf(catalogue[id]).join())
        .map(([id]) => id);
      expect(wrong).toEqual([]);
    });

    it.each(englishParts)(
      "gives a plural message every form the language's plural rules ask for, and a text where English has one (%s)",
      async (_, source) => {
        const catalogue = Object.assign({}, ...(await parts(lang))) as Record<string, string | Plural>;
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const [id, text] of Object.entries(source)) {
          const translated = catalogue[id];
          expect(typeof translated, id).toBe(typeof text);
          if (typeof translated === "object") for (const c of categories) expect(translated[c], `${id}.${c}`).toBeTruthy();
          else expect(translated.trim(), id).not.toBe("");
        }
      },
    );
  });
});

describe("Words", () => {
  it("fills placeholders and picks the plural form by Intl.PluralRules", async () => {
    // history.count is a word of the history view (en-views.ts): here once a view is opened.
    await loadViewWords();
    const de = await loadWords("de");
    expect(english.t("history.count", { count: 1 })).toBe("1 call");
    expect(english.t("history.count", { count: 3 })).toBe("3 calls");
    expect(de.t("history.count", { count: 1 })).toBe("1 Anruf");
    expect(de.t("history.count", { count: 0 })).toBe("0 Anrufe");
    expect(de.t("call.busy", { code: 486 })).toBe("Besetzt (486)");
    expect(de.t("dial.call")).toBe("Anrufen");
  });

  it("writes numbers, times and durations as the language does", async () => {
    const de = await loadWords("de");
    expect(de.fixed(4.31, 1)).toBe("4,3");
    expect(english.fixed(4.31, 1)).toBe("4.3");
    const at = new Date(2024, 2, 3, 14, 5);
    expect(de.time(at)).toBe("14:05");
    expect(de.dayAndTime(at)).toMatch(/3\. März.*14:05/);
    expect(english.duration(65)).toMatch(/^1 min,? 5 sec$/);
    expect(de.duration(65)).toMatch(/^1 Min\., 5 Sek\.$/);
    expect(english.list(["a", "b", "c"])).toBe("a, b, and c");
    expect(de.list(["a", "b", "c"])).toBe("a, b und c");
  });
});

describe("pickLanguage", () => {
  it.each([
    [["de"], "de"],
    [["de-AT", "en"], "de"],
    [["DE-ch"], "de"],
    [["fr", "de"], "de"],
    [["fr"], "en"],
    [[], "en"],
    [["en-GB", "de"], "en"],
  ])("%j → %s", (wanted, lang) => {
    expect(pickLanguage(wanted)).toBe(lang);
  });
});
