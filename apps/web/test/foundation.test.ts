// The sign-in loop over real HTTP against the production build, on SQLite and on PostgreSQL.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  freePort,
  httpStatusOf,
  startPortal,
  trpcClient,
  webSignIn,
  type Portal,
  tokensOf,
} from "./support";
import { serverNodeFlags } from "../scripts/node-flags.mjs";

const PASSWORD = "Sloper-Traverse-Heel-58";
let counter = 0;
const uniqueName = () => `http${Date.now().toString(36)}${counter++}`;

describe.each(["sqlite", "postgresql"] as const)("foundation over HTTP (%s)", (provider) => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal({ provider });
  });
  afterAll(async () => portal?.stop());

  it("registers over tRPC, signs in with OAuth2 token fields, and me answers with the bearer token", async () => {
    const api = trpcClient(portal.url);
    const name = uniqueName();
    const user = await api.auth.register.mutate({ email: `${name}@Example.com`, username: name, password: PASSWORD });
    expect(user.email).toBe(`${name}@example.com`);
    const tokens = tokensOf(await api.auth.login.mutate({ email: `${name}@example.com`, password: PASSWORD }));
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type", "user"]);
    expect(tokens.token_type).toBe("bearer");
    const me = await trpcClient(portal.url, { token: tokens.access_token }).auth.me.query();
    expect(me).toMatchObject({ id: user.id, role: "USER" });
  });

  it("me answers with the NextAuth cookie of the bootstrap administrator (role ADMIN)", async () => {
    const { cookie, error } = await webSignIn(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(error).toBeNull();
    const me = await trpcClient(portal.url, { cookie: cookie! }).auth.me.query();
    expect(me).toMatchObject({ email: ADMIN_EMAIL, role: "ADMIN" });
    expect(me.permissions["users.manage"]).toBe(true);
  });

  it("the web sign-in refuses a wrong password with the generic message", async () => {
    const { cookie, error } = await webSignIn(portal.url, ADMIN_EMAIL, "Not-The-Password-123");
    expect(cookie).toBeNull();
    expect(error).toBe("Invalid email or password");
  });

  it("refresh issues a new working access token; after logout the refresh token is 401", async () => {
    const api = trpcClient(portal.url);
    const name = uniqueName();
    await api.auth.register.mutate({ email: `${name}@example.com`, username: name, password: PASSWORD });
    const tokens = tokensOf(await api.auth.login.mutate({ email: name, password: PASSWORD }));
    const refreshed = await api.auth.refresh.mutate({ refresh_token: tokens.refresh_token });
    expect((await trpcClient(portal.url, { token: refreshed.access_token }).auth.me.query()).username).toBe(name);
    await trpcClient(portal.url, { token: refreshed.access_token }).auth.logout.mutate({
      refresh_token: refreshed.refresh_token,
    });
    expect(await httpStatusOf(api.auth.refresh.mutate({ refresh_token: refreshed.refresh_token }))).toBe(401);
    expect(await httpStatusOf(trpcClient(portal.url, { token: refreshed.access_token }).auth.me.query())).toBe(401);
  });

  it("a duplicate email in any case is 409", async () => {
    const api = trpcClient(portal.url);
    const name = uniqueName();
    await api.auth.register.mutate({ email: `${name}@example.com`, username: name, password: PASSWORD });
    const status = await httpStatusOf(
      api.auth.register.mutate({
        email: `${name.toUpperCase()}@EXAMPLE.com`,
        username: `${name}x`,
        password: PASSWORD,
      }),
    );
    expect(status).toBe(409);
  });

  it("bad input is 400 with a message naming the field, never a stack trace", async () => {
    const response = await fetch(`${portal.url}/api/trpc/auth.register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: "nope", username: "ok_name", password: PASSWORD } }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.json.message).toBe("email: Enter a valid email address");
    expect(body.error.json.data.fieldErrors).toEqual({ email: ["Enter a valid email address"] });
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts/);
  });

  it("a wrong password over HTTP is 401 with the generic message", async () => {
    const response = await fetch(`${portal.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: ADMIN_EMAIL, password: "wrong-password-1" } }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.json.message).toBe("Invalid email or password");
  });
});

describe("first start", () => {
  it("without MASTOC_ADMIN_* creates admin@localhost with a random password in initial-admin.txt (0600)", async () => {
    const portal = await startPortal({
      provider: "sqlite",
      env: { MASTOC_ADMIN_EMAIL: "", MASTOC_ADMIN_PASSWORD: "" },
    });
    try {
      const file = join(portal.dataDir, "initial-admin.txt");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /password: (\S+)/.exec(readFileSync(file, "utf8"))![1]!;
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(portal.logs()).toContain(password);
      const tokens = tokensOf(await trpcClient(portal.url).auth.login.mutate({ email: "admin@localhost", password }));
      expect(tokens.user.role).toBe("ADMIN");
    } finally {
      await portal.stop();
    }
  });

  it("runs with the server's Node flags, which both start scripts spell out", async () => {
    const portal = await startPortal({ provider: "sqlite" });
    try {
      // --max-old-space-size=256 with 4 MB semi-spaces gives a limit of about 270 MB (both generations), against
      // about 4 GB by default on this machine.
      const limit = Number(/heap limit (\d+) MB/.exec(portal.logs())?.[1]);
      expect(limit).toBeGreaterThan(200);
      expect(limit).toBeLessThan(400);
    } finally {
      await portal.stop();
    }
    const flags = serverNodeFlags.join(" ");
    const scripts = (path: string) => JSON.parse(readFileSync(path, "utf8")).scripts as Record<string, string>;
    const webDir = resolve(import.meta.dirname, "..");
    expect(scripts(join(webDir, "package.json")).start).toContain(`node ${flags} server.mjs`);
    expect(scripts(join(webDir, "..", "..", "package.json")).start).toContain(
      `node ${flags} apps/web/scripts/start.mjs`,
    );
  });

  it("refuses to start in production without JWT_SECRET, naming the variable", async () => {
    const port = await freePort();
    const result = spawnSync(process.execPath, ["server.mjs"], {
      cwd: resolve(import.meta.dirname, ".."),
      env: { ...process.env, NODE_ENV: "production", JWT_SECRET: "", PORT: String(port), HOST: "127.0.0.1" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("JWT_SECRET is required in production");
  });

  it("refuses to start with an unknown SQLITE_SYNCHRONOUS, naming the variable and its values", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "mastoc-synchronous-"));
    try {
      const result = spawnSync(process.execPath, ["server.mjs"], {
        cwd: resolve(import.meta.dirname, ".."),
        env: {
          ...process.env,
          NODE_ENV: "production",
          JWT_SECRET: "x".repeat(48),
          SQLITE_SYNCHRONOUS: "off",
          MASTOC_DATA_DIR: dataDir,
          PORT: String(port),
          HOST: "127.0.0.1",
        },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status).not.toBe(0);
      // The server logs JSON lines: read their messages.
      const messages = (result.stdout + result.stderr)
        .split("\n")
        .map((line) => {
          try {
            return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
          } catch {
            return line;
          }
        })
        .join("\n");
      expect(messages).toContain('SQLITE_SYNCHRONOUS must be "normal" or "full"');
      expect(existsSync(join(dataDir, "mastoc.db")), "nothing was created").toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
