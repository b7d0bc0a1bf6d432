import { defineConfig } from "vite";

// The embeddable library: dist/lib/webphone.js, a single ES module (lazy views inlined, so a
// host page loads one file from another origin). Types: tsconfig.lib.json; elements manifest:
// custom-elements-manifest.config.mjs. Built after the app (npm run build).
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
    rollupOptions: { output: { codeSplitting: false, minify: true } as object },
  },
});
