// What no input may hold, whatever its schema: checked on the raw input of every procedure and
// of every other way in (NextAuth's sign-in form), before any schema or query sees it.

/** Property names that could reach an object's prototype: refused anywhere in an input. */
export const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** With the `u` flag a pair is one code point, so only unpaired surrogates match. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Inputs nested deeper than this are refused before anything walks them further. */
const MAX_INPUT_DEPTH = 32;

/** Where an input is malformed, and why: a key of the `errors` catalog, with its values. */
export type MalformedInput = {
  field: string;
  reason: "input.tooDeep" | "input.loneSurrogate" | "input.nul" | "input.reservedKey";
  values?: { key: string };
};

/**
 * The first string in an input that no field may hold — a lone UTF-16 surrogate (not text in any
 * encoding the database stores) or a NUL character (refused by PostgreSQL, truncating elsewhere) —
 * or a nesting deeper than any schema has, with the path to it.
 */
export function malformedInput(value: unknown, path: string[] = []): MalformedInput | null {
  const field = path.join(".") || "input";
  if (path.length > MAX_INPUT_DEPTH) return { field, reason: "input.tooDeep" };
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) return { field, reason: "input.loneSurrogate" };
    if (value.includes("\0")) return { field, reason: "input.nul" };
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value)) {
    if (RESERVED_KEYS.has(key)) return { field, reason: "input.reservedKey", values: { key } };
    const found = malformedInput(key, path) ?? malformedInput(child, [...path, key]);
    if (found) return found;
  }
  return null;
}
