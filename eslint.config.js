// The lint half of `npm run verify`: typescript-eslint, Lit and Lit accessibility rules, and the
// one-way layers of docs/architecture.md, enforced on every import (static, `export ... from`
// and dynamic `import()`).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import lit from "eslint-plugin-lit";
import litA11y from "eslint-plugin-lit-a11y";
import globals from "globals";
import tseslint from "typescript-eslint";

const TESTS = ["src/**/*.test.ts", "src/**/test-support/**"];

// Packages by layer. The rule resolves each import to a file, so a package is its folder.
const LIT = ["node_modules/lit", "node_modules/lit-html", "node_modules/lit-element", "node_modules/@lit"];
const SIPJS = "node_modules/sip.js";
const IDB = "node_modules/idb-keyval";

/** `files` may import nothing from `from` (folders, relative to the repository). */
const deny = (from, message) => ({ from, message });
/** `files` may import from `src` only what lies in `allowed` (folders relative to src/). */
const onlySrc = (allowed, message) => ({ from: "src", except: allowed, message });
/** `files` may import no package but those in `allowed` (names). */
const onlyPackages = (allowed, message) => ({ from: "node_modules", except: allowed, message });

/**
 * One flat-config object per layer: `files` get exactly these zones (flat config replaces a
 * rule's options per file, so the layers' `files` do not overlap).
 */
function layer(name, files, zones, ignores = TESTS) {
  return {
    name: `layers/${name}`,
    files,
    ignores,
    rules: {
      "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: zones.map((z) => ({ target: files, ...z })) }],
    },
  };
}

const apiZones = [
  onlySrc(
    ["sip/api", "sip/core", "sip/numbers", "config"],
    "src/sip/api may import src/sip/core, src/sip/numbers and src/config (the platform implements api's interfaces, not the reverse).",
  ),
  onlyPackages(["sip.js"], "src/sip/api may use sip.js only."),
];

export default defineConfig(
  globalIgnores(["dist/", "dist-lib/", "coverage/", "e2e/out/", "test-results/", ".cache/"]),

  js.configs.recommended,
  tseslint.configs.recommended,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    name: "resolver",
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      // TypeScript itself checks names and defaults (tsc in verify), better and faster.
      "import-x/named": "off",
      "import-x/namespace": "off",
      "import-x/default": "off",
      "import-x/no-named-as-default-member": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },

  // The browser code.
  {
    name: "src",
    files: ["src/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Logging goes through getLogger() (src/sip/core/logger.ts), which a page can silence.
      "no-console": "error",
      // Unlimited depth costs about 2.5 s on 2 cores (TIMING=1 npx eslint src).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  { name: "src/logger", files: ["src/sip/core/logger.ts"], rules: { "no-console": "off" } },
  { name: "src/sw", files: ["src/sw.ts"], languageOptions: { globals: { ...globals.serviceworker } } },
  {
    name: "lit",
    files: ["src/components/**/*.ts"],
    ...lit.configs["flat/recommended"],
  },
  {
    name: "lit-a11y",
    files: ["src/components/**/*.ts"],
    ...litA11y.configs.recommended,
  },

  // Layers, imports pointing down only: components -> app -> sip (api/platform -> numbers -> core) and storage -> config.
  layer(
    "config",
    ["src/config/**"],
    [
      deny(
        ["src/sip", "src/storage", "src/app", "src/components", ...LIT, SIPJS, IDB],
        "src/config is the bottom layer: types and validation only.",
      ),
    ],
    [],
  ),
  layer(
    "storage",
    ["src/storage/**"],
    [
      deny(
        ["src/sip", "src/app", "src/components", ...LIT, SIPJS],
        "src/storage knows src/config and idb-keyval, nothing of SIP or the UI.",
      ),
    ],
    [],
  ),
  layer(
    "sip/core",
    ["src/sip/core/**"],
    [
      onlySrc(["sip/core"], "src/sip/core is SIP.js glue at the bottom of src/sip: it imports only itself."),
      onlyPackages(["sip.js"], "src/sip/core may use sip.js only."),
    ],
  ),
  layer(
    "sip/numbers",
    ["src/sip/numbers/**"],
    [
      onlySrc(["sip/numbers", "sip/core", "config"], "src/sip/numbers may import src/sip/core and src/config."),
      onlyPackages(["libphonenumber-js"], "src/sip/numbers may use libphonenumber-js only."),
    ],
  ),
  layer("sip/api", ["src/sip/api/**"], apiZones),
  // Files not yet moved into a subsystem (src/sip/*.ts) count as api.
  layer("sip (not yet moved)", ["src/sip/*.ts"], apiZones),
  layer(
    "sip/platform",
    ["src/sip/platform/**"],
    [
      onlySrc(["sip/platform", "sip/api", "sip/core", "config"], "src/sip/platform may import src/sip/api, src/sip/core and src/config."),
      onlyPackages(["sip.js"], "src/sip/platform may use sip.js only."),
    ],
  ),
  layer(
    "sip tests",
    ["src/sip/**/*.test.ts", "src/sip/test-support/**"],
    [deny(["src/storage", "src/app", "src/components"], "src/sip is below storage, app and components.")],
    [],
  ),
  // The catalogue and its Intl formats: words only, for components and app (src/sip reports
  // codes and never imports it: its layers allow no src/i18n).
  layer(
    "i18n",
    ["src/i18n/**"],
    [
      onlySrc(["i18n"], "src/i18n is the catalogue: it imports nothing else of src/ (it words what others report)."),
      onlyPackages([], "src/i18n uses no package: Intl does the formats."),
    ],
  ),
  layer(
    "app",
    ["src/app/**"],
    [
      onlySrc(
        ["app", "sip", "storage", "config", "i18n"],
        "src/app may import src/sip, src/storage, src/config and src/i18n, never src/components.",
      ),
      deny(LIT, "src/app is UI-free: no Lit."),
    ],
    [],
  ),
  layer(
    "components",
    ["src/components/**"],
    [
      // src/storage: type imports only, checked by the rules below.
      onlySrc(
        ["components", "app", "config", "i18n", "sip/api", "sip/core", "storage"],
        "src/components may import src/app, src/config, src/i18n, src/sip/api and src/sip/core.",
      ),
      deny([SIPJS, IDB], "src/components reach SIP.js and IndexedDB through src/app."),
    ],
    ["src/components/**/*.test.ts", "src/components/test-support/**"],
  ),
  {
    name: "layers/components (storage types only)",
    files: ["src/components/**"],
    ignores: ["src/components/**/*.test.ts", "src/components/test-support/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(\\.\\./)+storage/",
              allowTypeImports: true,
              message: "src/components may import only types from src/storage; data goes through src/app.",
            },
            {
              regex: "^(\\.\\./)+app/(phone-app|compose)(\\.js)?$",
              allowTypeImports: true,
              message: "src/components get the app from components/app-factory.ts (set by the entry points), not by building it.",
            },
          ],
        },
      ],
      // The rule above does not look at import(): no component loads storage code at all.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportExpression > Literal[value=/(^|\\/)storage\\//]",
          message: "src/components may import only types from src/storage; data goes through src/app.",
        },
        {
          selector: "ImportExpression > Literal[value=/(^|\\/)app\\/(phone-app|compose)(\\.js)?$/]",
          message: "src/components get the app from components/app-factory.ts (set by the entry points), not by building it.",
        },
      ],
    },
  },
  layer(
    "component tests",
    ["src/components/**/*.test.ts", "src/components/test-support/**"],
    [deny([SIPJS, IDB], "Component tests use fakes, not SIP.js or IndexedDB.")],
    [],
  ),

  // Node code: the e2e suite, scripts and root config files. Playwright callbacks run in the
  // page, so browser globals are known too.
  {
    name: "node",
    files: ["e2e/**/*.mjs", "scripts/**/*.mjs", "*.config.{js,mjs,ts}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
