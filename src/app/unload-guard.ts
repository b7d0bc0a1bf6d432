/**
 * Asks before the page goes while this tab holds a call: closing it ends the call (its BYE or
 * CANCEL goes out on `pagehide`, Phone.pageUnloading). The listener is there only while a call
 * is up: a `beforeunload` listener keeps Firefox from putting the page in the back/forward
 * cache, and an idle phone has nothing to lose. Browsers show the prompt only on a page the
 * user has interacted with, in their own words.
 */
export class UnloadGuard {
  private armed = false;
  private readonly onBeforeUnload = (e: Event) => {
    e.preventDefault();
    // Chrome before 119 showed the prompt only when returnValue was set.
    (e as Event & { returnValue: unknown }).returnValue = true;
  };

  /** Whether a call is up now. */
  update(active: boolean): void {
    if (active === this.armed) return;
    this.armed = active;
    if (active) globalThis.addEventListener?.("beforeunload", this.onBeforeUnload);
    else globalThis.removeEventListener?.("beforeunload", this.onBeforeUnload);
  }

  get isArmed(): boolean {
    return this.armed;
  }

  dispose(): void {
    this.update(false);
  }
}
