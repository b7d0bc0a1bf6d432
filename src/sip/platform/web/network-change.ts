/** The part of the Network Information API the phone reads (`navigator.connection`). */
export interface NetworkInformationLike extends EventTarget {
  /** "wifi", "cellular", "ethernet"...: exposed by Chrome on Android and ChromeOS only. */
  readonly type?: string;
}

/** The browser's `navigator.connection`, where there is one (Chromium; not Firefox or Safari). */
export function browserConnection(): NetworkInformationLike | undefined {
  return (globalThis.navigator as { connection?: NetworkInformationLike } | undefined)?.connection;
}

/**
 * Calls `changed` when the device moves to another kind of network (Wi-Fi to cellular...).
 * `change` also fires whenever the estimates (`downlink`, `rtt`, `effectiveType`) move, which
 * happens all day on one network and is no reason to renew a call's media path: only a change
 * of `type` counts. Where `type` is not exposed (desktop browsers), nothing is reported: ICE
 * `disconnected` (ice-watch.ts) and the `online` event cover those. Returns the unsubscribe.
 */
export function onNetworkChange(connection: NetworkInformationLike | undefined, changed: () => void): () => void {
  if (!connection || connection.type === undefined) return () => undefined;
  let last: string | undefined = connection.type;
  const listener = (): void => {
    if (connection.type === last) return;
    last = connection.type;
    changed();
  };
  connection.addEventListener("change", listener);
  return () => connection.removeEventListener("change", listener);
}
