// The schemas' own messages (schemas.ts). Each is written in English from the `validation`
// catalog, so that errors read well wherever they surface untranslated (logs, a caller's raw
// error), and is remembered with its key and figures, so that i18n/zod.ts can write it again in a
// reader's language after parsing (zod 4 gives a schema's own message precedence over any
// per-parse error map, so it cannot be chosen per parse). Pure: safe in a browser bundle.
import { createTranslator } from "use-intl/core";
import validation from "./messages/en/validation.json";

type Keys<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Keys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A message key of the `validation` namespace ("email.invalid"). */
export type ValidationKey = Keys<typeof validation>;
export type MessageValues = Record<string, string | number>;

const english = createTranslator({ locale: "en", messages: { validation }, namespace: "validation" });
const written = new Map<string, { key: ValidationKey; values?: MessageValues }>();

/** A schema's message: the English text of `key` with `values`, remembered for `messageOf`. */
export function message(key: ValidationKey, values?: MessageValues): string {
  const text = english(key, values);
  written.set(text, { key, values });
  return text;
}

/** The key and figures `message` wrote `text` from, if it did. */
export function messageOf(text: string): { key: ValidationKey; values?: MessageValues } | undefined {
  return written.get(text);
}
