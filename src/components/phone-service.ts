import type { SharedPhone } from "../app/shared-phone.js";
import type { RemoteCommands } from "../sip/api/commands.js";

/**
 * What components may use of the phone: every command (sip/api/commands.ts), plus the state and
 * the few tab-local members below. Components get it through `phoneContext`; tests provide a
 * fake with the same shape. DND and forwarding are commands too, but components set them through
 * the app (AppService), which also keeps them across reloads.
 */
export type PhoneService = RemoteCommands &
  Pick<SharedPhone, "lines" | "calls" | "watched" | "on" | "trace" | "offHook" | "onHook"> &
  Partial<Pick<SharedPhone, "videoMedia">>;
