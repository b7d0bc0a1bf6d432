import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { enViews } from "./en-views.js";

const SRC = fileURLToPath(new URL("..", import.meta.url));

/** The modules that load the on-demand views: each awaits loadViewWords() with its view's module. */
const LOADERS = ["components/phone-views.ts", "components/account-editing.ts"];

/** The catalogue itself, where every id is written by definition. */
const CATALOGUE = ["i18n/en.ts", "i18n/en-views.ts", "i18n/de.ts", "i18n/de-views.ts"];

/** src/'s modules (no tests, no test support), by path relative to src/, with their text. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "test-support") walk(path);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) {
        files.set(relative(SRC, path), readFileSync(path, "utf8"));
      }
    }
  };
  walk(SRC);
  return files;
}

/**
 * What a module imports of src/, in code that runs: static imports and re-exports (not
 * `import type`, which leaves nothing in the build), side-effect imports, and `import()`.
 */
function importsOf(file: string, text: string): { static: string[]; dynamic: string[] } {
  const local = (spec: string) => relative(SRC, resolve(SRC, dirname(file), spec.replace(/\.js$/, ".ts")));
  const relativeOnly = (specs: string[]) => specs.filter((s) => s.startsWith(".")).map(local);
  const statics = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*import\s+"([^"]+)"/gm)].map((m) => m[1]),
  ];
  const dynamics = [...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
  return { static: relativeOnly(statics), dynamic: relativeOnly(dynamics) };
}

/**
 * The views set: the modules only the on-demand views run. Derived from the imports, not
 * listed by hand: a list goes stale without a sound, and in the harmful direction: a module that
 * a first-load module starts to import would stay listed, and the words it uses would be missing
 * at the first load. Derived, it leaves the set, and the check below names its words.
 *
 * From the modules the LOADERS import(), every module they import (statically or not); then,
 * until nothing changes, out goes any module that a module outside the set imports (statically,
 * or with an import() that is not one of the LOADERS', which would not wait for the words).
 */
function viewsSet(files: Map<string, string>): Set<string> {
  const imports = new Map([...files].map(([file, text]) => [file, importsOf(file, text)]));
  const set = new Set<string>();
  const queue = LOADERS.flatMap((loader) => imports.get(loader)?.dynamic ?? []);
  while (queue.length) {
    const file = queue.pop()!;
    if (set.has(file) || !imports.has(file)) continue;
    set.add(file);
    queue.push(...imports.get(file)!.static, ...imports.get(file)!.dynamic);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [file, { static: st, dynamic }] of imports) {
      if (set.has(file)) continue;
      const reached = LOADERS.includes(file) ? st : [...st, ...dynamic];
      for (const target of reached) changed = set.delete(target) || changed;
    }
  }
  return set;
}

describe("the views' words (en-views.ts)", () => {
  const files = sources();
  const views = viewsSet(files);

  it("finds the views and what only they import", () => {
    for (const file of ["history-list", "conversations-view", "contacts-view", "lines-editor", "settings-view", "account-form"])
      expect(views, file).toContain(`components/${file}.ts`);
    // Only a settings view imports it, and it comes with the settings.
    expect(views).toContain("components/settings-general.ts");
    // The phone element and the tabs are in the first load.
    expect(views).not.toContain("components/sip-phone.ts");
    expect(views).not.toContain("components/phone-views.ts");
  });

  it("are used by no module outside the views: not as a text, not by a template's prefix", () => {
    const ids = Object.keys(enViews);
    const quoted = (id: string) => [`"${id}"`, `'${id}'`, `\`${id}\``];
    const misplaced: string[] = [];
    for (const [file, text] of files) {
      if (views.has(file) || CATALOGUE.includes(file)) continue;
      for (const id of ids) if (quoted(id).some((q) => text.includes(q))) misplaced.push(`${file}: ${id}`);
      // `t(\`numbers.${key}\`)`: every id the prefix can make.
      for (const [, prefix] of text.matchAll(/([A-Za-z][\w-]*(?:\.[\w-]+)*\.)\$\{/g))
        for (const id of ids) if (id.startsWith(prefix)) misplaced.push(`${file}: ${id} (by \`${prefix}\${…}\`)`);
    }
    // An id listed here is needed in the first load: move it from en-views.ts to en.ts (and in
    // every translation, from xx-views.ts to xx.ts).
    expect(misplaced).toEqual([]);
  });

  it("are loaded by each module that loads a view", () => {
    for (const loader of LOADERS) expect(files.get(loader), loader).toMatch(/\bloadViewWords\(\)/);
  });
});

/** languages.ts and words.ts as a page has them at its start: nothing loaded, no view opened. */
async function fresh() {
  vi.resetModules();
  const words = await import("./words.js");
  const reports: string[] = [];
  words.reportMissingWords((lang, id) => reports.push(`${lang} ${id}`));
  return { ...(await import("./languages.js")), reports };
}

describe("loadViewWords", () => {
  beforeEach(() => vi.resetModules());

  it("gives English and every loaded translation their views' words", async () => {
    const { english, loadViewWords, loadWords, reports } = await fresh();
    const de = await loadWords("de");
    expect(de.t("dial.call")).toBe("Anrufen");
    expect(english.hasViews).toBe(false);
    await loadViewWords();
    expect(english.t("history.none")).toBe("No calls yet.");
    expect(de.t("history.none")).toBe("Noch keine Anrufe.");
    expect(de.t("history.count", { count: 2 })).toBe("2 Anrufe");
    expect(reports).toEqual([]);
  });

  it("gives a language loaded later both parts before loadWords resolves (a language switch in an open view)", async () => {
    const { loadedWords, loadViewWords, loadWords } = await fresh();
    await loadViewWords();
    expect(loadedWords("de")).toBeUndefined();
    const de = await loadWords("de");
    expect(de.t("dial.call")).toBe("Anrufen");
    expect(de.t("lines.add")).toBe("Leitung hinzufügen");
    expect(loadedWords("de")).toBe(de);
  });

  it("waits for a language still loading, which then has both parts", async () => {
    const { loadedWords, loadViewWords, loadWords } = await fresh();
    const coming = loadWords("de");
    await loadViewWords();
    expect(loadedWords("de")?.t("contacts.none")).toBe("Noch keine Kontakte.");
    expect((await coming).hasViews).toBe(true);
  });
});

describe("a message missing at run time", () => {
  it("shows its id and is reported once per language, also when the report is set up later", async () => {
    vi.resetModules();
    const { english } = await import("./languages.js");
    const { reportMissingWords } = await import("./words.js");
    // Before the views' words are loaded a views id is missing: the case the loaders prevent.
    expect(english.t("history.none")).toBe("history.none");
    expect(english.t("history.none")).toBe("history.none");
    const reports: string[] = [];
    reportMissingWords((lang, id) => reports.push(`${lang} ${id}`));
    expect(english.t("contacts.none")).toBe("contacts.none");
    expect(english.t("history.none")).toBe("history.none");
    expect(reports).toEqual(["en history.none", "en contacts.none"]);
  });
});
