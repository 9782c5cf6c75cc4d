// The catalogs: every locale has every key of the English reference and no other, every message
// is valid ICU MessageFormat with the same variables in every locale, and French follows French
// typography. Also how a request's locale is chosen.
import { readdirSync, readFileSync } from "node:fs";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { catalogs, LOCALES, negotiateLocale, resolveLocale, translator } from "../src/i18n";

type Tree = { [key: string]: string | Tree };

/** Every message of a catalog by its full key ("layout.nav.users"). */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") entries.set(path, value);
    else for (const [inner, message] of flatten(value, path)) entries.set(inner, message);
  }
  return entries;
}

/** The variables (and rich-text tags) a message uses, with their kinds. */
function variables(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date)
      found.add(`${element.value}:${element.type}`);
    if (element.type === TYPE.time) found.add(`${element.value}:${element.type}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      found.add(`${element.value}:${element.type}`);
      for (const option of Object.values(element.options)) variables(option.value, found);
    }
    if (element.type === TYPE.tag) {
      found.add(`<${element.value}>`);
      variables(element.children, found);
    }
  }
  return found;
}

const reference = flatten(catalogs.en as unknown as Tree);

/**
 * Keys read with a key made at run time (`t(\`securityFilters.${value}\`)`), under these parents:
 * audit actions (their own test checks every recorded action has words), HTTP statuses, strength
 * scores and the users page's filters.
 */
const DYNAMIC_PARENTS = ["admin.actions.", "errors.status.", "auth.strength.labels.", "admin.users.securityFilters."];

/** Every quoted word or dotted key in the sources of the portal, the API and the CLI. */
function quotedInSources(): Set<string> {
  const quoted = new Set<string>();
  for (const root of ["../src/", "../../../apps/web/src/", "../../../apps/desktop-cli/src/"]) {
    const folder = new URL(root, import.meta.url);
    for (const file of readdirSync(folder, { recursive: true, encoding: "utf8" })) {
      if (!/\.(ts|tsx|mts)$/.test(file)) continue;
      for (const match of readFileSync(new URL(file, folder), "utf8").matchAll(/["'`]([A-Za-z0-9_.]+)["'`]/g)) {
        quoted.add(match[1]!);
      }
    }
  }
  return quoted;
}

describe("the catalogs' keys", () => {
  it("are all read somewhere: each key, or its end after a namespace prefix, is quoted in a source", () => {
    const quoted = quotedInSources();
    const unused = [...reference.keys()].filter((key) => {
      if (DYNAMIC_PARENTS.some((parent) => key.startsWith(parent))) return false;
      const parts = key.split(".");
      return !parts.some((_, index) => quoted.has(parts.slice(index).join(".")));
    });
    expect(unused, "keys no source reads").toEqual([]);
  });
});

describe.each(LOCALES)("the %s catalog", (locale) => {
  const messages = flatten(catalogs[locale] as unknown as Tree);

  it("has exactly the keys of the English one", () => {
    expect([...messages.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it("parses as ICU MessageFormat, with the variables of the English message", () => {
    for (const [key, message] of messages) {
      const elements = parse(message, { ignoreTag: false });
      const english = parse(reference.get(key) ?? "", { ignoreTag: false });
      expect([...variables(elements)].sort(), key).toEqual([...variables(english)].sort());
    }
  });

  it("has no empty message and no untrimmed one", () => {
    for (const [key, message] of messages) {
      expect(message.trim(), key).not.toBe("");
      expect(message, key).toBe(message.trim());
    }
  });
});

describe("French typography", () => {
  const french = flatten(catalogs.fr as unknown as Tree);
  it("puts a non-breaking space before : ; ? ! and inside « guillemets », never a plain one", () => {
    for (const [key, message] of french) {
      // Outside ICU arguments and tags (a URL's "https:" has no space before its colon anyway).
      expect(message, key).not.toMatch(/ [:;?!»]/);
      expect(message, key).not.toMatch(/« /);
      expect(message, key).not.toMatch(/[^\s\u00a0\u202f{>]([;?!»])(?!\/)/u);
      expect(message, key).not.toMatch(/"/);
    }
  });
});

describe("the locale of a request", () => {
  it("takes the saved language, then the cookie, then Accept-Language, then the default", () => {
    const fallback = "en" as const;
    expect(resolveLocale({ saved: "fr", cookie: "en", acceptLanguage: "en", fallback })).toBe("fr");
    expect(resolveLocale({ saved: null, cookie: "fr", acceptLanguage: "en", fallback })).toBe("fr");
    expect(resolveLocale({ saved: "de", cookie: "xx", acceptLanguage: "fr-CA,fr;q=0.9,en;q=0.8", fallback })).toBe(
      "fr",
    );
    expect(resolveLocale({ acceptLanguage: "de-DE,de;q=0.9", fallback })).toBe("en");
    expect(resolveLocale({ acceptLanguage: null, fallback: "fr" })).toBe("fr");
  });

  it("honours quality values and survives hostile headers", () => {
    expect(negotiateLocale("en;q=0.2, fr;q=0.8")).toBe("fr");
    expect(negotiateLocale("*")).toBeNull();
    expect(negotiateLocale("\u0000\ud800;q=abc,,,;")).toBeNull();
    expect(negotiateLocale(`${"x-".repeat(100_000)}fr`)).toBeNull();
  });

  it("translates with ICU variables in both languages", () => {
    expect(translator("en", "layout")("nav.users")).toBe("Users");
    expect(translator("fr", "layout")("nav.users")).toBe("Utilisateurs");
  });
});
