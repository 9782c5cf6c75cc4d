// The CLI's words come from the `cli` catalog, so that they exist in every language: no sentence
// is written as a string literal in its modules (examples of command lines and technical
// identifiers aside).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const SOURCE = new URL("../src/", import.meta.url);

/** i18n.ts holds commander's own English words, to recognise them in what commander writes. */
const RECOGNISERS = ["i18n.ts"];

/** Every module of the CLI, as a path under src/. */
const MODULES = readdirSync(SOURCE, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts") && !RECOGNISERS.includes(file))
  .sort();

/** String literals of a module, comments left out. */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)].map((match) => match[1] ?? match[2] ?? "");
}

/**
 * Words a person reads: two words in a row, not a command line, a URL, a header, an import or a
 * shell completion script (whose comments are for whoever edits it).
 */
const isProse = (text: string) =>
  /\b[a-z]{2,} [a-z]{2,}\b/i.test(text) &&
  !/^\s*(?:\$ )?(?:mastoc|printf|source) /.test(text) &&
  !/^(?:https?:|@|\.\/|\.\.\/|#)/.test(text);

/** Table headers and record labels written in place (`label: "Name"`) rather than from the catalog. */
const labels = (source: string) => [...source.matchAll(/\blabel: "([^"]+)"/g)].map((match) => match[1]);

describe("the CLI's words", () => {
  it("scans every module", () => {
    expect(MODULES).toContain("main.ts");
    expect(MODULES).toContain("commands/climbs.ts");
  });

  it.each(MODULES)("%s writes no sentence of its own", (file) => {
    const prose = literals(readFileSync(new URL(file, SOURCE), "utf8")).filter(isProse);
    expect(prose).toEqual([]);
  });

  it.each(MODULES)("%s labels its tables and records from the catalog", (file) => {
    expect(labels(readFileSync(new URL(file, SOURCE), "utf8"))).toEqual([]);
  });
});
