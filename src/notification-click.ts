/**
 * What the service worker does when a call notification is clicked (src/sw.ts), kept apart
 * so it can be tested without a worker: focus the phone's window, or open one, and pass on
 * the action (Answer, Decline, or a click on the body: just focus) with the call's id.
 */
export interface WindowLike {
  focused: boolean;
  focus(): Promise<unknown>;
  postMessage(message: unknown): void;
}

export interface ClientsLike {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowLike[]>;
  openWindow(url: string): Promise<unknown>;
}

export async function onCallNotificationClick(action: string, data: unknown, clients: ClientsLike): Promise<void> {
  const callId = (data as { callId?: unknown } | null)?.callId;
  const windows = await clients.matchAll({ type: "window", includeUncontrolled: true });
  const client = windows.find((w) => w.focused) ?? windows[0];
  if (!client) {
    // No window: the phone is not running, so there is no call to act on; open it.
    await clients.openWindow("/");
    return;
  }
  await client.focus().catch(() => undefined);
  if (typeof callId === "string") client.postMessage({ type: "notification-action", action: action || "focus", callId });
}
