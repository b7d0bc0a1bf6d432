import { defineConfig, type HtmlTagDescriptor, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/**
 * `<link rel="modulepreload">` in index.html for the chunks the entry imports dynamically at once
 * (src/main.ts: the app, the saved configuration's reads, the views), and for what they import:
 * fetched and compiled while the HTML is parsed instead of after the entry has run, and still
 * evaluated only when the entry imports them (the views after the REGISTER).
 */
function preloadAtStart(sources: string[]): Plugin {
  return {
    name: "webphone:preload-at-start",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((c) => (c.type === "chunk" ? [c] : []));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const files = new Set<string>();
        const add = (file: string) => {
          const chunk = byFile.get(file);
          if (!chunk || chunk.isEntry || files.has(file)) return;
          files.add(file);
          chunk.imports.forEach(add);
        };
        for (const source of sources) {
          const chunk = chunks.find((c) => c.moduleIds.some((id) => id.endsWith(source)));
          if (!chunk) throw new Error(`preloadAtStart: no chunk for ${source}`);
          add(chunk.fileName);
        }
        return [...files].map((file): HtmlTagDescriptor => ({
          tag: "link",
          attrs: { rel: "modulepreload", crossorigin: "", href: `/${file}` },
          injectTo: "head",
        }));
      },
    },
  };
}

export default defineConfig({
  build: {
    target: "es2022",
    sourcemap: true,
    // Every browser the phone supports (es2022, WebRTC) has native <link rel=modulepreload>:
    // the polyfill would only add to the first load.
    modulePreload: { polyfill: false },
    // What the entry imports, in one chunk (src/main.ts: small; the app, its reads and the views
    // are chunks of their own, preloaded by preloadAtStart). Left to itself Rolldown puts modules
    // the entry already holds, when lazy chunks import them too, into small chunks of their own
    // (rolldown/rolldown#10731): the first load was 10 requests of which 8 under 1 KiB, and
    // lost compression. The built-in `$initial` tag is exactly "statically imported by the entry".
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: "start", tags: ["$initial"] }] } } },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  plugins: [
    preloadAtStart(["/src/app/compose.ts", "/src/app/stored-start.ts", "/src/app-page.ts"]),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      injectRegister: false,
      registerType: "prompt",
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        // The library is for other origins' pages, not for the app's offline shell.
        globIgnores: ["demo/**", "lib/**"],
      },
      manifest: {
        name: "Web Phone",
        short_name: "Phone",
        description: "SIP softphone for your PBX",
        theme_color: "#1f6feb",
        background_color: "#ffffff",
        display: "standalone",
        id: "/",
        start_url: "/",
        // tel: and sip: are on the browsers' safe list: no web+ prefix. %s is the escaped link.
        protocol_handlers: [
          { protocol: "tel", url: "/?dial=%s" },
          { protocol: "sip", url: "/?dial=%s" },
        ],
        // A link opens in the phone window that is already open (its launchQueue dials it).
        launch_handler: { client_mode: ["focus-existing", "auto"] },
        icons: [
          { src: "icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
          { src: "icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "icon-maskable.svg", sizes: "any", type: "image/svg+xml", purpose: "maskable" },
          { src: "icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
        shortcuts: [
          { name: "Dial", short_name: "Dial", url: "/?view=phone", icons: [{ src: "icon-192.png", sizes: "192x192", type: "image/png" }] },
          {
            name: "Call history",
            short_name: "History",
            url: "/?view=history",
            icons: [{ src: "icon-192.png", sizes: "192x192", type: "image/png" }],
          },
        ],
      },
    }),
  ],
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    setupFiles: ["src/test-support/vitest-setup.ts"],
    // The default 5 s is near what a first dynamic import takes on a loaded 2-core CI machine.
    testTimeout: 15_000,
  },
});
