import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditActionWords, catalogs, clientWords, LOCALES } from "../src/i18n";
import { describeClient } from "../src/readable";
import { SECURITY_EVENTS } from "../src/services/security-activity";

const english = clientWords("en");

describe("describeClient", () => {
  it.each([
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on Windows"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome 131 on Linux",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Safari 18 on macOS",
    ],
    ["mastoc-cli/1.4.2 (linux; x64; node 20.20.0)", "mastoc CLI 1.4 on Linux"],
    ["mastoc-cli/0.1.0 (darwin; arm64)", "mastoc CLI 0.1 on macOS"],
    ["mastoc-cli/2", "mastoc CLI 2"],
    ["curl/8.5.0", "curl 8.5"],
    ["python-requests/2.32.3", "python-requests 2.32"],
    ["", "Unknown client"],
    [null, "Unknown client"],
    ["Mozilla/5.0", "Unknown client"],
    ["\u0000\u202e<script>", "Unknown client"],
  ])("%j reads as %j", (agent, label) => {
    expect(describeClient(agent, english)).toBe(label);
  });

  it("stays short for a huge hostile string", () => {
    expect(describeClient(`x/1 ${"(".repeat(100_000)}`, english)).toBe("x 1");
  });

  it("speaks French", () => {
    const french = clientWords("fr");
    expect(describeClient("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", french)).toBe(
      "Firefox 133 sur Linux",
    );
    expect(describeClient("mastoc-cli/0.1.0 (darwin; arm64)", french)).toBe("mastoc CLI 0.1 sur macOS");
    expect(describeClient("curl/8.5.0", french)).toBe("curl 8.5");
    expect(describeClient("", french)).toBe("Client inconnu");
  });
});

/** Every audit action the code records: the literal actions of its audit calls. */
function recordedActions(): string[] {
  const actions = new Set<string>();
  for (const root of ["../src/", "../../../apps/web/src/"]) {
    const folder = new URL(root, import.meta.url);
    for (const file of readdirSync(folder, { recursive: true, encoding: "utf8" })) {
      if (!/\.tsx?$/.test(file)) continue;
      const source = readFileSync(new URL(file, folder), "utf8");
      for (const match of source.matchAll(/(?:auditRequest\(\s*\w+,|action:)\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"/g)) {
        actions.add(match[1]!);
      }
    }
  }
  return [...actions].sort();
}

describe("audit actions in words", () => {
  it("has words for every action the code records and every security event, in every language", () => {
    const actions = [...new Set([...recordedActions(), ...SECURITY_EVENTS])];
    expect(actions.length).toBeGreaterThan(40);
    for (const locale of LOCALES) {
      const words = catalogs[locale].admin.actions as Record<string, string>;
      const missing = actions.filter((action) => !words[action.replaceAll(".", "_")]);
      expect(missing, `actions without words in ${locale}`).toEqual([]);
    }
  });

  it("reads an action in the reader's language, and an unknown one as its code", () => {
    expect(auditActionWords("en")("auth.lockout")).toBe("Account locked after failed sign-ins");
    expect(auditActionWords("fr")("oauth.keys.rotate")).toBe("Clé de signature OpenID renouvelée");
    expect(auditActionWords("fr")("something.new")).toBe("something.new");
    expect(auditActionWords("en")("toString")).toBe("toString");
  });
});
