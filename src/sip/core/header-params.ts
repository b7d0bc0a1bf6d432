/**
 * Header values of the RFC 3261 shape `elem *(COMMA elem)`, `elem = ( "<" URI ">" / text )
 * *( SEMI name [ EQUAL value ] )` (Call-Info, Alert-Info, Contact-like headers), parsed the way
 * the grammar reads them: commas and semicolons inside `<...>` or a quoted string separate
 * nothing. A parameter is a parameter of the header, never text found inside the URI.
 */
export interface HeaderElement {
  /** The URI between `<` and `>`, when the element has one. */
  uri?: string;
  /** Without a URI: the element's text before its first `;` (legacy forms such as "Auto Answer"). */
  text: string;
  /** Parameters by lower-case name; a value without `=` is "", quotes are removed. */
  params: Map<string, string>;
}

/** Splits `value` at `separator` outside `<...>` and quoted strings. */
function splitOutside(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let bracketed = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === "\\") {
      current += c + (value[++i] ?? "");
      continue;
    }
    if (c === '"' && !bracketed) quoted = !quoted;
    else if (c === "<" && !quoted) bracketed = true;
    else if (c === ">" && !quoted) bracketed = false;
    if (c === separator && !quoted && !bracketed) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
}

/** Every element of every value of one header (values as SIP.js's getHeaders returns them). */
export function parseHeaderElements(values: readonly string[]): HeaderElement[] {
  const elements: HeaderElement[] = [];
  for (const part of values.flatMap((v) => splitOutside(v, ","))) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    let uri: string | undefined;
    let rest = trimmed;
    if (trimmed.startsWith("<")) {
      const close = trimmed.indexOf(">");
      if (close < 0) continue; // no URI end: not an element of this grammar
      uri = trimmed.slice(1, close).trim();
      rest = trimmed.slice(close + 1);
    }
    const [head = "", ...paramParts] = splitOutside(rest, ";");
    const params = new Map<string, string>();
    for (const p of paramParts) {
      const eq = p.indexOf("=");
      const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      if (name) params.set(name, eq < 0 ? "" : unquote(p.slice(eq + 1).trim()));
    }
    // With a URI, anything between ">" and the first ";" is not allowed by the grammar.
    if (uri !== undefined && head.trim()) continue;
    elements.push({ ...(uri !== undefined ? { uri } : {}), text: uri === undefined ? head.trim() : "", params });
  }
  return elements;
}
