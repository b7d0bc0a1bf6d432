import type { Context, ContextEvent, ContextType } from "@lit/context";

/**
 * Provides `value` to `@lit/context` requests that come from inside `host`'s own shadow tree
 * (its views, at any depth of nested shadow roots), and to nothing else.
 *
 * Lit's ContextProvider answers any request that reaches the host, a light-DOM child of the
 * element included: host-page content could ask for the phone's services with the key it saw
 * pass by (a capture listener on `window` sees every request). It also registers itself as a
 * controller of the host, where `value` would be one property away. Here the value lives only
 * in this closure. The origin is the event's real target (`composedPath()[0]`), not the
 * `contextTarget` the requester claims.
 */
export function provideInside<C extends Context<unknown, unknown>>(host: HTMLElement, context: C, value: ContextType<C>): void {
  host.addEventListener("context-request", (event: ContextEvent<Context<unknown, unknown>>) => {
    if (event.context !== context || !fromShadowTreeOf(host, event.composedPath()[0])) return;
    event.stopPropagation();
    // The value never changes: a subscriber gets it once, and a no-op to unsubscribe.
    event.callback(value, event.subscribe ? () => undefined : undefined);
  });
}

/** `origin` lies in `host`'s shadow tree, directly or inside the shadow root of an element there. */
export function fromShadowTreeOf(host: Element, origin: EventTarget | undefined): boolean {
  if (!host.shadowRoot || !(origin instanceof Node)) return false;
  let root = origin.getRootNode();
  while (root instanceof ShadowRoot) {
    if (root === host.shadowRoot) return true;
    root = root.host.getRootNode();
  }
  return false;
}
