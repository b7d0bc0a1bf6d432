// custom-elements.json for the library: IDEs and docs tools read attributes, properties,
// events, parts and CSS properties of <sip-phone> and <sip-call-button> from it.
export default {
  globs: ["src/components/sip-phone.ts", "src/components/sip-call-button.ts"],
  outdir: "dist/lib",
  litelement: true,
};
