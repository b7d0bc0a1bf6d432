import { describe, expect, it } from "vitest";
import { child, MAX_XML_CHARS, MAX_XML_DEPTH, parseXml } from "./xml-lite.js";

describe("parseXml: a small, bounded XML reader", () => {
  it("reads elements, attributes, text and entities, dropping namespace prefixes", () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><d:root xmlns:d="urn:x" a='1' d:b="&lt;&amp;&#65;&#x42;"><d:x>t &gt; u<![CDATA[<raw>]]></d:x><y/></d:root>`,
    );
    expect(root?.name).toBe("root");
    expect(root?.attrs).toEqual({ a: "1", b: "<&AB" });
    expect(child(root, "x")?.text).toBe("t > u<raw>");
    expect(child(root, "y")?.children).toEqual([]);
  });

  it.each([
    ["unclosed", "<a><b></a>"],
    ["mismatched", "<a></b>"],
    ["two roots", "<a/><b/>"],
    ["text outside", "x<a/>"],
    ["unknown entity", "<a>&nbsp;</a>"],
    ["bare ampersand", "<a>&</a>"],
    ["a DTD (no entity expansion)", '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ["empty", ""],
    ["attribute without quotes", "<a b=1/>"],
  ])("refuses %s", (_, text) => {
    expect(parseXml(text)).toBeUndefined();
  });

  it("is bounded in size and depth", () => {
    expect(parseXml(`<a>${"x".repeat(MAX_XML_CHARS)}</a>`)).toBeUndefined();
    expect(parseXml("<a>".repeat(MAX_XML_DEPTH + 1) + "</a>".repeat(MAX_XML_DEPTH + 1))).toBeUndefined();
    expect(parseXml("<a>".repeat(MAX_XML_DEPTH) + "</a>".repeat(MAX_XML_DEPTH))?.name).toBe("a");
  });
});
