/**
 * What this build is, for diagnostics and support (diagnostics.ts). Kept equal to package.json
 * and the installed SIP.js by a unit test (version.test.ts), so a release cannot forget it.
 */
export const APP_VERSION = "0.1.0";
/** The SIP stack, patched in-tree (patches/sip.js+0.21.2.patch). */
export const SIP_STACK = "SIP.js 0.21.2 (patched)";
