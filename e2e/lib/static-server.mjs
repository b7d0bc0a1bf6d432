// Serves the built app (dist/) on loopback, with an optional extra directory (demo configs).
import http from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".map": "application/json",
};

/**
 * @typedef {object} StaticServer
 * @property {http.Server} server
 * @property {number} port
 * @property {string} url `http://host:port`, no trailing slash
 * @property {() => Promise<unknown>} close
 */

/**
 * @param {{ root: string, port?: number, host?: string, extra?: Record<string, string>, headers?: Record<string, string> }} options
 *   `extra`: URL prefix -> directory served under it; `headers`: added to every response
 * @returns {Promise<StaticServer>}
 */
export function startStaticServer({ root, port = 0, host = "127.0.0.1", extra = {}, headers = {} }) {
  const base = resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let path = decodeURIComponent(url.pathname);
    for (const [prefix, dir] of Object.entries(extra)) {
      if (path.startsWith(prefix)) {
        return send(req, res, join(resolve(dir), normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, "")), headers);
      }
    }
    // The library (dist/lib) is loaded by pages of other origins: module scripts need CORS.
    /** @type {Record<string, string>} */
    const cors = path.startsWith("/lib/") ? { "access-control-allow-origin": "*" } : {};
    if (path.endsWith("/")) path += "index.html";
    const file = join(base, normalize(path).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(base)) return notFound(res);
    try {
      if ((await stat(file)).isFile()) return send(req, res, file, { ...headers, ...cors });
    } catch {
      // No such file: the shell or 404 below.
    }
    // Single-page app: unknown paths without an extension get the shell.
    if (!extname(path)) return send(req, res, join(base, "index.html"), headers);
    notFound(res);
  });
  return new Promise((resolvePromise) => {
    server.listen(port, host, () => {
      const addr = /** @type {import("node:net").AddressInfo} */ (server.address());
      resolvePromise({ server, port: addr.port, url: `http://${host}:${addr.port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/**
 * Sends `file` with a validator (ETag, Last-Modified) and answers a conditional request whose
 * validator still matches with 304, as any production web server does: the browser then keeps
 * its cached copy and the compiled code it stored with it (V8's code cache), so a reload costs
 * what it costs a returning user. `no-cache` still makes every load ask, so a rebuild is seen.
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {string} file
 * @param {Record<string, string>} [headers]
 */
async function send(req, res, file, headers = {}) {
  try {
    const info = await stat(file);
    const etag = `"${info.size.toString(36)}-${Math.round(info.mtimeMs * 1000).toString(36)}"`;
    const validators = { etag, "last-modified": info.mtime.toUTCString(), "cache-control": "no-cache" };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { ...validators, ...headers });
      res.end();
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      ...validators,
      ...headers,
    });
    res.end(body);
  } catch {
    notFound(res);
  }
}

/** @param {http.ServerResponse} res */
function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}
