// The real built `mastoc` binary against a real running portal.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPortal, type Portal } from "@mastoc/web/test-support";
import { mastoc } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
});
afterAll(async () => portal?.stop());

describe("mastoc login, whoami, logout", () => {
  it("signs in with --password-stdin, answers whoami --json, keeps the tokens 0600 in a 0700 folder", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "mastoc-home-")), "store");
    const login = await mastoc(["login", "--email", ADMIN_EMAIL, "--password-stdin"], {
      home,
      server: portal.url,
      stdin: `${ADMIN_PASSWORD}\n`,
    });
    expect(login.stderr).toBe("");
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Signed in as ${ADMIN_EMAIL} (ADMIN)`);
    expect(statSync(join(home, "auth.json")).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);

    // The saved login remembers the server: no MASTOC_SERVER needed from here on.
    const whoami = await mastoc(["whoami", "--json"], { home });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      email: ADMIN_EMAIL,
      role: "ADMIN",
      permissions: { "users.manage": true },
    });

    const logout = await mastoc(["logout"], { home });
    expect(logout.code).toBe(0);
    const after = await mastoc(["whoami"], { home });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain("Not signed in");
  });

  it("a wrong password exits 1 with the generic message on one line", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-home-"));
    const run = await mastoc(["login", "--email", ADMIN_EMAIL, "--password-stdin"], {
      home,
      server: portal.url,
      stdin: "Wrong-Pass-1234\n",
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("mastoc: Invalid email or password");
  });

  it("an unknown command or option exits 2", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-home-"));
    expect((await mastoc(["frobnicate"], { home })).code).toBe(2);
    expect((await mastoc(["whoami", "--no-such-option"], { home })).code).toBe(2);
  });

  it("options with a fixed set of values list them in --help, and a bad value is a usage error naming them", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-home-"));
    const help = await mastoc(["users", "list", "--help"], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /--role <role>\s+only users with this role \(choices: "USER", "MODERATOR",\s+"ADMIN"\)/,
    );
    expect(help.stdout).toContain('"createdAt", "email",');
    expect(help.stdout).toMatch(/--order <order>\s+sort order \(choices: "asc", "desc", default: "desc"\)/);

    const role = await mastoc(["users", "list", "--role", "KING"], { home });
    expect(role.code).toBe(2);
    expect(role.stderr).toContain(
      "error: option '--role <role>' argument 'KING' is invalid. Allowed choices are USER, MODERATOR, ADMIN.",
    );
    const argument = await mastoc(["users", "role", "someone", "king"], { home });
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain("Allowed choices are USER, MODERATOR, ADMIN.");
    const sort = await mastoc(["users", "list", "--sort", "password"], { home });
    expect(sort.code).toBe(2);
    expect(sort.stderr).toContain("Allowed choices are createdAt, email, username, name, lastLoginAt, role.");
    const page = await mastoc(["users", "list", "--page", "2x"], { home });
    expect(page.code).toBe(2);
    expect(page.stderr).toContain("error: option '--page <n>' argument '2x' is invalid. Expected a whole number.");
  });

  it("an unreachable server is a clear error, exit 1", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-home-"));
    const run = await mastoc(["login", "--email", "a@b.cd", "--password-stdin", "--server", "http://127.0.0.1:9"], {
      home,
      stdin: "x\n",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cannot reach the mastoc server at http://127.0.0.1:9");
  });
});
