/**
 * The languages an element should speak, most wanted first: the `lang` of the element or of
 * its nearest ancestor, looking out through shadow roots up to the document (as the HTML
 * language rules do for text), then the browser's languages.
 */
export function languagesOf(element: Element): string[] {
  const declared = declaredLanguage(element);
  return [...(declared ? [declared] : []), ...browserLanguages()];
}

/** The nearest non-empty `lang` (lang="" means "unknown": the search goes on outward). */
export function declaredLanguage(element: Element): string | undefined {
  let node: Element | null = element;
  while (node) {
    const lang = node.getAttribute("lang");
    if (lang) return lang;
    node = node.parentElement ?? hostOf(node);
  }
  return undefined;
}

/** The documents and shadow roots that hold `element` and its ancestors: where a `lang` change can come from. */
export function rootsAround(element: Element): Node[] {
  const roots: Node[] = [];
  let root = element.getRootNode();
  for (;;) {
    roots.push(root);
    if (!(root instanceof ShadowRoot)) return roots;
    root = root.host.getRootNode();
  }
}

function hostOf(node: Element): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function browserLanguages(): string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? [...navigator.languages] : navigator.language ? [navigator.language] : [];
}
