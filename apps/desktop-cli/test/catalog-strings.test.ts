// The CLI's words come from the `cli` catalog, so that they exist in every language: no sentence
// is written as a string literal in the modules that speak through it (examples of command lines
// and technical identifiers aside).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The modules whose user-facing strings all come from the catalog. (i18n.ts holds commander's own
 * English words, to recognise them; the other commands' descriptions and messages are still English.)
 */
const CATALOGUED = ["main.ts", "program.ts", "errors.ts", "client.ts", "commands/login.ts"];

/** String literals of a module, comments left out. */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)].map((match) => match[1] ?? match[2] ?? "");
}

/** Words a person reads: two words in a row, not a command line, a URL, a header or an import. */
const isProse = (text: string) =>
  /\b[a-z]{2,} [a-z]{2,}\b/i.test(text) &&
  !/^\s*(?:\$ )?(?:mastoc|printf|source) /.test(text) &&
  !/^(?:https?:|@|\.\/|\.\.\/)/.test(text);

describe("the CLI's words", () => {
  it.each(CATALOGUED)("%s writes no sentence of its own", (file) => {
    const prose = literals(readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8")).filter(isProse);
    expect(prose).toEqual([]);
  });
});
