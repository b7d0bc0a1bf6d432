/**
 * A small XML reader for the event bodies the phone takes from the wire (RFC 4235 dialog-info,
 * RFC 3863 PIDF): elements, attributes and text, namespace prefixes dropped (servers differ in
 * the prefixes they use, never in the local names). No DOM: src/sip runs where there is none
 * (workers, unit tests) and a DOMParser would be one more parser of hostile input. No DTDs,
 * no entity definitions (so no entity expansion), bounded input, element count and depth.
 * Anything it does not understand makes the whole body malformed: `undefined`.
 */

export interface XmlElement {
  /** The local name, without a namespace prefix. */
  name: string;
  /** Attributes by local name (`xmlns` declarations are left out). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded, trimmed. */
  text: string;
}

export const MAX_XML_CHARS = 64 * 1024;
export const MAX_XML_ELEMENTS = 4096;
export const MAX_XML_DEPTH = 32;

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const ATTR = /^\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/;
const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

/** `&amp;`, `&#60;`, `&#x3C;`; undefined for an entity XML does not predefine. */
function decode(text: string): string | undefined {
  // A bare "&" is not well-formed.
  if (/&(?!#x[0-9a-fA-F]{1,6};|#[0-9]{1,7};|[a-z]{2,4};)/.test(text)) return undefined;
  let bad = false;
  const out = text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (_, e: string) => {
    if (e.startsWith("#")) {
      const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (code > 0x10ffff) bad = true;
      return bad ? "" : String.fromCodePoint(code);
    }
    const v = ENTITY[e];
    if (v === undefined) bad = true;
    return v ?? "";
  });
  return bad ? undefined : out;
}

/** The document's root element, or undefined when the text is not well-formed within the bounds. */
export function parseXml(text: string): XmlElement | undefined {
  if (text.length > MAX_XML_CHARS) return undefined;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim()) {
      const top = stack[stack.length - 1];
      const decoded = decode(chunk);
      if (!top || decoded === undefined) return undefined;
      top.text += decoded;
    }
    if (lt < 0) break;
    const rest = text.slice(lt, lt + 4096);
    if (rest.startsWith("<?")) {
      const end = text.indexOf("?>", lt);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (rest.startsWith("<!--")) {
      const end = text.indexOf("-->", lt);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (rest.startsWith("<![CDATA[")) {
      const end = text.indexOf("]]>", lt);
      const top = stack[stack.length - 1];
      if (end < 0 || !top) return undefined;
      top.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (rest.startsWith("<!")) {
      // DOCTYPE and its entity definitions: refused, never expanded.
      return undefined;
    } else if (rest.startsWith("</")) {
      const name = NAME.exec(rest.slice(2))?.[0];
      const top = stack.pop();
      if (!name || !top || localName(name) !== top.name) return undefined;
      const end = text.indexOf(">", lt);
      if (end < 0 || text.slice(lt + 2 + name.length, end).trim()) return undefined;
      top.text = top.text.trim();
      i = end + 1;
    } else {
      const name = NAME.exec(rest.slice(1))?.[0];
      if (!name || ++count > MAX_XML_ELEMENTS || stack.length >= MAX_XML_DEPTH) return undefined;
      const element: XmlElement = { name: localName(name), attrs: {}, children: [], text: "" };
      let j = lt + 1 + name.length;
      for (;;) {
        const m = ATTR.exec(text.slice(j, j + 2048));
        if (!m) break;
        const value = decode(m[2] ?? m[3] ?? "");
        if (value === undefined) return undefined;
        if (m[1] !== "xmlns" && !m[1]!.startsWith("xmlns:")) element.attrs[localName(m[1]!)] = value;
        j += m[0].length;
      }
      const close = /^\s*(\/?)>/.exec(text.slice(j, j + 256));
      if (!close) return undefined;
      i = j + close[0].length;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) return undefined;
      else root = element;
      if (!close[1]) stack.push(element);
    }
  }
  return root && stack.length === 0 ? root : undefined;
}

/** The first child named `name`, or undefined. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every child named `name`. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}
