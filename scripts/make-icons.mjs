// Renders the PNG app icons from the SVGs in public/ with Debian's Chromium (no image tools
// needed). Run after changing an SVG: node scripts/make-icons.mjs. The PNGs are committed:
// some platforms (and the install criteria of older browsers) want raster icons.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const pub = join(dirname(fileURLToPath(import.meta.url)), "..", "public");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  for (const [svg, size, out] of [
    ["icon.svg", 192, "icon-192.png"],
    ["icon.svg", 512, "icon-512.png"],
    ["icon-maskable.svg", 512, "icon-maskable-512.png"],
    ["icon.svg", 180, "apple-touch-icon.png"],
  ]) {
    const data = Buffer.from(readFileSync(join(pub, svg))).toString("base64");
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${data}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.waitForFunction(() => document.images[0].complete);
    await page.screenshot({ path: join(pub, out), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.log("wrote", out);
  }
} finally {
  await browser.close();
}
