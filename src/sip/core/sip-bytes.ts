/**
 * A SIP message that arrived in a binary WebSocket frame, as text. RFC 7118 5.3 sends a message
 * that is not valid UTF-8 (a binary body part, RFC 4475 3.1.1.11 mpart01) in a binary frame;
 * before, those frames were dropped unread. Valid UTF-8 reads as a text frame would. Otherwise
 * the header section is read as UTF-8 (RFC 3261 7.3: it is UTF-8; a broken byte shows as
 * U+FFFD) and the body one character per byte, so that Content-Length, which counts bytes,
 * still ends it where the sender meant.
 */
export function decodeSipBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const end = headerEnd(bytes);
    const head = new TextDecoder("utf-8").decode(end < 0 ? bytes : bytes.subarray(0, end));
    return end < 0 ? head : head + bytesAsChars(bytes.subarray(end));
  }
}

/** Where the body starts (after the first CRLF CRLF), or -1. */
function headerEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i + 4;
  }
  return -1;
}

/** Byte n becomes U+00nn ("latin1" in TextDecoder is windows-1252, which remaps 0x80-0x9F). */
function bytesAsChars(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** The text of a WebSocket message (binaryType "arraybuffer"); undefined for anything else. */
export function frameText(data: unknown): string | undefined {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return decodeSipBytes(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return decodeSipBytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return undefined;
}
