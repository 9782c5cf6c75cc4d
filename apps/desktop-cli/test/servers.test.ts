// Several servers in one token store, each with its own tokens, against two live portals; the
// store of the first format read transparently; the user agent and `mastoc version`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startPortal, tokensOf, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc, readStoreFile } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Granite-Overhang-Crimp-42";
const cliVersion = (
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as {
    version: string;
  }
).version;
const webVersion = (
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "web", "package.json"), "utf8")) as { version: string }
).version;

let club: Portal;
let personal: Portal;
let counter = 0;

beforeAll(async () => {
  [club, personal] = await Promise.all([startPortal({ provider: "sqlite" }), startPortal({ provider: "sqlite" })]);
});
afterAll(async () => {
  await Promise.all([club?.stop(), personal?.stop()]);
});

async function account(portal: Portal) {
  const name = `srv${Date.now().toString(36)}${counter++}`;
  const email = `${name}@example.com`;
  const user = await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  return { ...user, email };
}

const login = (home: string, server: string, email: string) =>
  mastoc(["login", "--server", server, "--email", email, "--password-stdin"], { home, stdin: PASSWORD });

describe("several servers", () => {
  it("keeps a session per server: --server and MASTOC_SERVER pick one, the last login is the default", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const [atClub, atHome] = [await account(club), await account(personal)];
    expect((await login(home, club.url, atClub.email)).code).toBe(0);
    expect((await login(home, personal.url, atHome.email)).code).toBe(0);

    const whoami = async (args: string[], env: Record<string, string> = {}) => {
      const run = await mastoc(["whoami", "--json", ...args], { home, env });
      expect(run.stderr).toBe("");
      return (JSON.parse(run.stdout) as { email: string }).email;
    };
    expect(await whoami([])).toBe(atHome.email);
    expect(await whoami(["--server", club.url])).toBe(atClub.email);
    expect(await whoami([], { MASTOC_SERVER: `${club.url}/` })).toBe(atClub.email);
    expect(await whoami(["--server", personal.url], { MASTOC_SERVER: club.url })).toBe(atHome.email);

    const listed = JSON.parse((await mastoc(["servers", "--json"], { home })).stdout);
    expect(listed).toEqual(
      [
        {
          server: club.url,
          default: false,
          user: { id: atClub.id, email: atClub.email, username: atClub.username, role: "USER" },
        },
        {
          server: personal.url,
          default: true,
          user: { id: atHome.id, email: atHome.email, username: atHome.username, role: "USER" },
        },
      ].sort((a, b) => a.server.localeCompare(b.server)),
    );
    const table = await mastoc(["servers"], { home });
    expect(table.stdout).toMatch(
      new RegExp(`^\\*\\s+${personal.url}\\s+${atHome.username} <${atHome.email}>\\s+USER$`, "m"),
    );
    expect(table.stdout).toMatch(new RegExp(`^\\s+${club.url}\\s+${atClub.username} <${atClub.email}>\\s+USER$`, "m"));

    expect((await mastoc(["servers", "default", club.url], { home })).code).toBe(0);
    expect(await whoami([])).toBe(atClub.email);
    const unknown = await mastoc(["servers", "default", "http://127.0.0.1:9"], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("is not a saved server");

    // Signing out of one server leaves the other signed in; the first stays listed.
    expect((await mastoc(["logout", "--server", club.url], { home })).stdout).toBe(`Signed out of ${club.url}.\n`);
    const after = await mastoc(["whoami"], { home });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain(`Not signed in to ${club.url} (signed in to ${personal.url})`);
    expect(await whoami(["--server", personal.url])).toBe(atHome.email);
    expect((await mastoc(["servers"], { home })).stdout).toMatch(new RegExp(`${club.url}\\s+not signed in`));

    const removedToken = readStoreFile(home).store.servers[personal.url]!.access_token as string;
    expect((await mastoc(["servers", "remove", personal.url], { home })).code).toBe(0);
    expect((await mastoc(["whoami", "--server", personal.url], { home })).code).toBe(3);
    expect(JSON.parse((await mastoc(["servers", "--json"], { home })).stdout)).toEqual([
      { server: club.url, default: true, user: null },
    ]);
    // The removed server's session was ended on the server too.
    const ended = await trpcClient(personal.url, { token: removedToken })
      .auth.me.query()
      .then(
        () => "still valid",
        (error: { data?: { httpStatus?: number } }) => error.data?.httpStatus,
      );
    expect(ended).toBe(401);
  });

  it("refreshing one server's tokens leaves the other's untouched, even when both refresh at once", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const [atClub, atHome] = [await account(club), await account(personal)];
    expect((await login(home, club.url, atClub.email)).code).toBe(0);
    expect((await login(home, personal.url, atHome.email)).code).toBe(0);
    const before = readStoreFile(home).store;
    for (const server of [club.url, personal.url]) {
      before.servers[server]!.expires_at = 0;
    }
    writeFileSync(join(home, "auth.json"), JSON.stringify(before), { mode: 0o600 });

    const runs = await Promise.all([
      mastoc(["whoami", "--json", "--server", club.url], { home }),
      mastoc(["whoami", "--json", "--server", personal.url], { home }),
      mastoc(["climbs", "list", "--json", "--server", club.url], { home }),
      mastoc(["climbs", "list", "--json", "--server", personal.url], { home }),
    ]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    const after = readStoreFile(home).store;
    for (const server of [club.url, personal.url]) {
      expect(after.servers[server]!.expires_at).toBeGreaterThan(Date.now());
      expect(after.servers[server]!.refresh_token).not.toBe(before.servers[server]!.refresh_token);
    }
    expect(after.servers[club.url]!.access_token).not.toBe(after.servers[personal.url]!.access_token);
  });

  it("reads a store file of the first format (one server) and rewrites it in the new one at the next change", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const user = await account(club);
    const tokens = tokensOf(await trpcClient(club.url).auth.login.mutate({ email: user.email, password: PASSWORD }));
    const old = {
      server: club.url,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: Date.now() + tokens.expires_in * 1000,
      user: { id: user.id, email: user.email, username: user.username, role: "USER" },
    };
    writeFileSync(join(home, "auth.json"), JSON.stringify(old), { mode: 0o600 });
    const whoami = await mastoc(["whoami", "--json"], { home });
    expect(JSON.parse(whoami.stdout).id).toBe(user.id);
    expect(JSON.parse((await mastoc(["servers", "--json"], { home })).stdout)).toMatchObject([
      { server: club.url, default: true, user: { id: user.id } },
    ]);

    writeFileSync(join(home, "auth.json"), JSON.stringify({ ...old, expires_at: 0 }), { mode: 0o600 });
    expect((await mastoc(["whoami"], { home })).code).toBe(0);
    const migrated = readStoreFile(home);
    expect(migrated.store.version).toBe(2);
    expect(migrated.server).toBe(club.url);
    expect(migrated.entry.refresh_token).not.toBe(tokens.refresh_token);

    // A file left by a logout of the first format (`{ server }`) still names the server to sign in to.
    const loggedOut = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    writeFileSync(join(loggedOut, "auth.json"), JSON.stringify({ server: club.url }), { mode: 0o600 });
    const relogin = await mastoc(["login", "--email", user.email, "--password-stdin"], {
      home: loggedOut,
      stdin: PASSWORD,
    });
    expect(relogin.stdout).toContain(`on ${club.url}`);
  });
});

describe("the client the server sees, and versions", () => {
  it("sends mastoc-cli/<its version> (<os>; node <version>) as its user agent", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const user = await account(club);
    expect((await login(home, club.url, user.email)).code).toBe(0);
    const sessions = JSON.parse((await mastoc(["sessions", "list", "--json"], { home })).stdout) as {
      current: boolean;
      userAgent: string;
    }[];
    expect(sessions.find((session) => session.current)!.userAgent).toBe(
      `mastoc-cli/${cliVersion} (${process.platform}; node ${process.versions.node})`,
    );
  });

  it("--version prints the CLI's version without a server", async () => {
    const run = await mastoc(["--version"], {
      home: mkdtempSync(join(tmpdir(), "mastoc-servers-")),
      server: "http://127.0.0.1:9",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`mastoc ${cliVersion}\n`);
  });

  it("version shows the server's version, from its health endpoint", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const json = await mastoc(["version", "--json", "--server", club.url], { home });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      cli: cliVersion,
      node: process.versions.node,
      platform: process.platform,
      server: { url: club.url, version: webVersion },
    });
    const human = await mastoc(["version", "--server", club.url], { home });
    expect(human.stdout).toBe(
      `mastoc ${cliVersion} (node ${process.versions.node}, ${process.platform})\nserver ${club.url} ${webVersion}\n`,
    );
  });

  it("version says the server's version is unknown when it cannot be reached or does not report one", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-servers-"));
    const unreachable = await mastoc(["version", "--server", "http://127.0.0.1:9"], { home });
    expect(unreachable.code).toBe(0);
    expect(unreachable.stdout).toContain("server http://127.0.0.1:9 unknown version (cannot reach it)");

    // An older server: no health endpoint (an HTML 404), or one without a version.
    const old: Server = createServer((request, response) => {
      if (request.url === "/healthz") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      } else {
        response.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
      }
    });
    const bare: Server = createServer((_request, response) => {
      response.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
    });
    await Promise.all(
      [old, bare].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
    );
    try {
      for (const server of [old, bare]) {
        const address = server.address();
        if (!address || typeof address === "string") throw new Error("no port");
        const url = `http://127.0.0.1:${address.port}`;
        const run = await mastoc(["version", "--json", "--server", url], { home });
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).server).toEqual({ url, version: null });
        expect((await mastoc(["version", "--server", url], { home })).stdout).toContain(
          "unknown version (it does not report one)",
        );
      }
    } finally {
      old.close();
      bare.close();
    }
  });
});
