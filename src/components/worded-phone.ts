import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import { wordedCall, wordedLine } from "./messages.js";
import { wordedMessage } from "./text-message-words.js";
import type { PhoneService } from "./phone-service.js";

/**
 * The phone as components and host pages see it: the same object, whose line and call
 * snapshots carry the sentence for their failure (`error.message`, `message`). src/sip reports
 * codes and data; this is where they become words, once, for every component and event, in
 * the element's language at that moment (`words`).
 */
export function wordedPhone<T extends Pick<PhoneService, "lines" | "calls" | "on">>(phone: T, words: () => Words): T {
  return new Proxy(phone, {
    get(target, prop) {
      if (prop === "lines") {
        const w = words();
        return target.lines.map((l) => wordedLine(w, l));
      }
      if (prop === "calls") {
        const w = words();
        return target.calls.map((c) => wordedCall(w, c));
      }
      if (prop === "on") {
        return (name: "line-state" | "call-state" | "incoming-call" | "message", listener: (value: never) => void) =>
          target.on(name, (value: LineSnapshot | CallSnapshot | MessageSnapshot) =>
            listener(
              (name === "line-state"
                ? wordedLine(words(), value as LineSnapshot)
                : name === "message"
                  ? wordedMessage(words(), value as MessageSnapshot)
                  : wordedCall(words(), value as CallSnapshot)) as never,
            ),
          );
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
