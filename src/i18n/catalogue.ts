import type { en } from "./en.js";
import type { enViews } from "./en-views.js";

/**
 * A message with a count: one text per plural category of the language (Intl.PluralRules),
 * `other` always. English and German need `one` and `other`; Polish or Arabic add `few`,
 * `many`, `two`, `zero`, and nothing else has to change.
 */
export type Plural = { readonly other: string } & { readonly [C in Intl.LDMLPluralRule]?: string };

/**
 * The English catalogue's exact type: its ids, and its texts as literal types. Both parts, the
 * first load's (en.ts) and the views' (en-views.ts): `t(id)` takes any id, wherever it is kept.
 */
export type English = typeof en & typeof enViews;
export type MessageId = keyof English;

/** A translation of one English part: every id of it, each a text or a plural where English has one. */
type Translation<Part> = { readonly [K in keyof Part]: Part[K] extends string ? string : Plural };

/**
 * What a translation's first part must be (de.ts): every id of en.ts and no other id.
 * `const de: Catalogue = {...}` fails to compile when a message is missing or extra (an id of
 * the views part is extra here); placeholders are checked by catalogue.test.ts.
 */
export type Catalogue = Translation<typeof en>;

/** What a translation's views part must be (de-views.ts): every id of en-views.ts and no other id. */
export type ViewsCatalogue = Translation<typeof enViews>;

/** The `{name}` placeholders of a text, as a union of names. */
type Slots<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Slots<Rest> : never;

/** The placeholders of a message; a plural one always has `count`. */
export type SlotsOf<K extends MessageId> = English[K] extends string ? Slots<English[K]> : Slots<English[K][keyof English[K]]> | "count";

/** The values a message needs: one per placeholder, and `count` a number. */
export type Params<K extends MessageId> = { [N in SlotsOf<K>]: N extends "count" ? number : string | number };

/** `t(id)` for a message without placeholders, `t(id, {…})` for one with them: checked at compile time. */
export type ParamsArg<K extends MessageId> = [SlotsOf<K>] extends [never] ? [] : [params: Params<K>];

/** The ids of messages without placeholders: what a table from codes to words holds. */
export type PlainId = { [K in MessageId]: [SlotsOf<K>] extends [never] ? K : never }[MessageId];
