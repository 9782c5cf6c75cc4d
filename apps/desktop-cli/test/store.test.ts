// The token store's refresh lock with real `mastoc` processes against a live portal that revokes a
// session as soon as one of its refresh tokens is presented twice (no grace window): a second
// refresh of the same token would sign the user out, so every process must wait for the first.
import { closeSync, existsSync, mkdtempSync, openSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flockSync } from "fs-ext";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDatabase, type Db } from "@mastoc/db";
import { startPortal, trpcClient, type Portal } from "@mastoc/web/test-support";
import { changeStoredAuth, mastoc, startMastoc } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Granite-Overhang-Crimp-42";
let portal: Portal;
let db: Db;
let counter = 0;

beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite", env: { REFRESH_REUSE_GRACE_SECONDS: "0" } });
  db = createDatabase(portal.database).db;
});
afterAll(async () => {
  await db?.$disconnect();
  await portal?.stop();
});

async function signedIn() {
  const name = `lock${Date.now().toString(36)}${counter++}`;
  const email = `${name}@example.com`;
  const user = await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  const home = mkdtempSync(join(tmpdir(), "mastoc-lock-"));
  const login = await mastoc(["login", "--email", email, "--password-stdin"], {
    home,
    server: portal.url,
    stdin: PASSWORD,
  });
  expect(login.code).toBe(0);
  /** Rewrites the stored login, e.g. to make its access token look expired, or moves it to another server. */
  const store = (changes: object, server?: string) => changeStoredAuth(home, changes, server);
  return { user, home, store };
}

/** How many refresh tokens the user's sessions have issued: one at sign-in, one more per refresh. */
const refreshTokens = (userId: string) => db.refreshToken.count({ where: { session: { userId } } });
const revokedSessions = (userId: string) => db.authSession.count({ where: { userId, revokedAt: { not: null } } });

/** Whether another process holds the store's lock right now. */
function lockHeld(home: string): boolean {
  const fd = openSync(join(home, "auth.json.lock"), "r");
  try {
    flockSync(fd, "exnb");
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") return true;
    throw error;
  } finally {
    closeSync(fd);
  }
}

describe("the refresh lock", () => {
  it("six processes that find the access token expired at once send a single refresh", async () => {
    const me = await signedIn();
    me.store({ expires_at: 0 });
    const runs = await Promise.all(Array.from({ length: 6 }, () => mastoc(["whoami", "--json"], { home: me.home })));
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).id).toBe(me.user.id);
    }
    expect(await refreshTokens(me.user.id)).toBe(2);
    expect(await revokedSessions(me.user.id)).toBe(0);
    expect((await mastoc(["whoami"], { home: me.home })).code).toBe(0);
  });

  it("a lock left by a process killed in the middle of a refresh is taken over at once", async () => {
    const me = await signedIn();
    // A server that accepts the refresh and never answers keeps the first process inside the lock.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((listening) => silent.listen(0, "127.0.0.1", listening));
    const address = silent.address();
    if (!address || typeof address === "string") throw new Error("no port");
    const reached = new Promise((arrived) => silent.once("connection", arrived));
    try {
      me.store({ expires_at: 0 }, `http://127.0.0.1:${address.port}`);
      const holder = startMastoc(["whoami"], { home: me.home });
      await Promise.race([
        reached,
        holder.done.then((run) => Promise.reject(new Error(`the holder exited: ${JSON.stringify(run)}`))),
      ]);
      expect(lockHeld(me.home)).toBe(true);

      holder.child.kill("SIGKILL");
      expect((await holder.done).code).toBeNull();
      // The lock file stays behind, but the lock died with its holder.
      expect(existsSync(join(me.home, "auth.json.lock"))).toBe(true);
      expect(lockHeld(me.home)).toBe(false);

      me.store({ expires_at: 0 }, portal.url);
      const runs = await Promise.all(Array.from({ length: 4 }, () => mastoc(["whoami", "--json"], { home: me.home })));
      for (const run of runs) {
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
      }
      expect(await refreshTokens(me.user.id)).toBe(2);
      expect(await revokedSessions(me.user.id)).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
