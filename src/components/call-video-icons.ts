import { svg } from "lit";
import { icon } from "./shared-styles.js";

// The video area's icons, drawn as icons.ts draws the others (inline SVG: the CSP forbids
// data: URLs), kept here so that they load with the video area, not with the app.
const CAMERA = /* @__PURE__ */ svg`<rect x="2.5" y="6" width="13" height="12" rx="2" /><path d="m15.5 10 6-3.5v11l-6-3.5" />`;
export const cameraIcon = /* @__PURE__ */ icon(CAMERA);
export const cameraOffIcon = /* @__PURE__ */ icon(svg`${CAMERA}<path d="M3 3l18 18" />`);
export const screenIcon = /* @__PURE__ */ icon(
  svg`<rect x="2.5" y="4" width="19" height="13" rx="1.5" /><path d="M8 21h8M12 17v4M9 10.5l3-3 3 3M12 7.5v6" />`,
);
