import { defineConfig } from "vite";

// The embeddable library: dist/lib/webphone.js, a small ES module (<sip-call-button> and the
// loader of the phone, src/lib.ts) and the chunks it imports on demand from the same folder
// (the phone itself when the page has a <sip-phone>; its views on first use). Types:
// tsconfig.lib.json; elements manifest: custom-elements-manifest.config.mjs. Built after the
// app (npm run build).
export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist/lib",
    emptyOutDir: false,
    sourcemap: true,
    target: "es2022",
    lib: { entry: "src/lib.ts", formats: ["es"], fileName: () => "webphone.js" },
    minify: true,
    // Vite keeps whitespace in ES libraries (for bundlers); this one is loaded as it is.
    // One chunk for what webphone.js needs at once: see vite.config.ts.
    rolldownOptions: {
      output: {
        minify: true,
        chunkFileNames: "[name]-[hash].js",
        codeSplitting: { groups: [{ name: "webphone-start", tags: ["$initial"] }] },
      },
    },
  },
});
