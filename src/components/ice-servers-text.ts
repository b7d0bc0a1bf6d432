import type { IceServerConfig } from "../config/phone-config.js";

/**
 * ICE servers as the account form edits them: one per line, `URL [username credential]`,
 * e.g. `turn:turn.example.com:3478 alice s3cret`.
 */
export function iceServersToText(servers: IceServerConfig[] = []): string {
  return servers
    .map((s) =>
      [Array.isArray(s.urls) ? s.urls.join(",") : s.urls, s.username, s.credential].filter((x) => x !== undefined && x !== "").join(" "),
    )
    .join("\n");
}

export function iceServersFromText(text: string): IceServerConfig[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [urls, username, credential] = line.split(/\s+/);
      const list = urls.split(",");
      return { urls: list.length === 1 ? list[0] : list, ...(username ? { username } : {}), ...(credential ? { credential } : {}) };
    });
}
