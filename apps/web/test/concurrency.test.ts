// What a busy day and an attacker do at once, against the production server on both databases:
// concurrent guesses on one account, administrators demoting each other, an account deleted while
// it creates climbs, and instances starting together on one fresh database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type DatabaseConfig, type Db } from "@mastoc/db";
import { createScratchDatabase } from "@mastoc/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  httpStatusOf,
  startPortal,
  tokensOf,
  trpcClient,
  webSignIn,
  type Portal,
} from "./support";

const PASSWORD = "Sloper-Traverse-Crux-58";
let counter = 0;
const uniqueName = () => `cc${Date.now().toString(36)}${counter++}`;

describe.each(["sqlite", "postgresql"] as const)("concurrency over HTTP (%s)", (provider) => {
  let portal: Portal;
  let db: Db;
  let adminToken: string;

  beforeAll(async () => {
    portal = await startPortal({ provider, env: { MAX_LOGIN_ATTEMPTS: "5", MAX_LOGIN_ATTEMPTS_PER_IP: "1000" } });
    db = createDatabase(portal.database).db;
    adminToken = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    ).access_token;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await portal?.stop();
  });

  async function account(role?: "ADMIN" | "MODERATOR") {
    const name = uniqueName();
    const user = await trpcClient(portal.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    if (role) await trpcClient(portal.url, { token: adminToken }).admin.setRole.mutate({ id: user.id, role });
    const { access_token } = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: user.email, password: PASSWORD }),
    );
    return { ...user, token: access_token };
  }

  it("50 concurrent wrong passwords (API and web sign-in mixed) lock the account: no more guesses than the budget", async () => {
    const user = await account();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0
          ? httpStatusOf(
              trpcClient(portal.url).auth.login.mutate({ email: user.email, password: `Wrong-Guess-${index}-zz` }),
            )
          : webSignIn(portal.url, user.email, `Wrong-Guess-${index}-zz`).then((result) => (result.cookie ? 200 : 401)),
      ),
    );
    expect(statuses).not.toContain(200);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    // Only as many passwords were compared as the account's budget allows.
    expect(await db.auditLog.count({ where: { action: "auth.login.failure", targetId: user.id } })).toBeLessThanOrEqual(
      5,
    );
    expect(
      await httpStatusOf(trpcClient(portal.url).auth.login.mutate({ email: user.email, password: PASSWORD })),
    ).toBe(429);
    expect((await webSignIn(portal.url, user.email, PASSWORD)).cookie).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { lockedUntil: true } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(await db.auditLog.count({ where: { action: "auth.lockout", targetId: user.id } })).toBe(1);
  });

  it("two administrators demoting each other concurrently (10 + 10 calls) leave exactly one administrator", async () => {
    const [a, b] = [await account("ADMIN"), await account("ADMIN")];
    // Leave a and b as the only active administrators.
    const root = await db.user.findUniqueOrThrow({ where: { email: ADMIN_EMAIL }, select: { id: true } });
    await trpcClient(portal.url, { token: a.token }).admin.setRole.mutate({ id: root.id, role: "USER" });
    try {
      const calls = Array.from({ length: 20 }, (_, index) => {
        const [actor, target] = index % 2 === 0 ? [a, b] : [b, a];
        return httpStatusOf(
          trpcClient(portal.url, { token: actor.token }).admin.setRole.mutate({ id: target.id, role: "MODERATOR" }),
        );
      });
      const statuses = await Promise.all(calls);
      expect(
        statuses.filter((status) => status !== null && status !== 403 && status !== 409),
        portal.logs().slice(-3000),
      ).toEqual([]);
      const admins = await db.user.findMany({ where: { role: "ADMIN", isActive: true }, select: { id: true } });
      expect(admins).toHaveLength(1);
      expect([a.id, b.id]).toContain(admins[0]!.id);
    } finally {
      await db.user.update({ where: { id: root.id }, data: { role: "ADMIN" } });
    }
  });

  it("searches ignore case on every provider, through the server", async () => {
    const user = await account();
    const client = trpcClient(portal.url, { token: user.token });
    const marker = uniqueName();
    await client.climbs.create.mutate({ name: `Crimpy Slab ${marker}`, grade: "6A" });
    const found = await client.climbs.list.query({ query: `crimpy slab ${marker}` });
    expect(found.items.map((climb) => climb.name)).toEqual([`Crimpy Slab ${marker}`]);

    await db.user.update({ where: { id: user.id }, data: { name: `Ondra ${marker.toUpperCase()}` } });
    const admin = trpcClient(portal.url, { token: adminToken });
    for (const query of [`ondra ${marker}`, marker.toUpperCase(), user.email.toUpperCase()]) {
      const users = await admin.admin.listUsers.query({ query });
      expect(users.items.map((item) => item.id)).toEqual([user.id]);
    }
  });

  it("deleting an account while it creates climbs answers every call with a 2xx or 4xx, and leaves no orphan", async () => {
    const user = await account();
    const client = trpcClient(portal.url, { token: user.token });
    const creations = Array.from({ length: 20 }, (_, index) =>
      httpStatusOf(client.climbs.create.mutate({ name: `Race ${index}`, grade: "5+" })),
    );
    const deletion = httpStatusOf(client.users.deleteMe.mutate({ password: PASSWORD }));
    const statuses = await Promise.all([...creations, deletion]);
    expect(statuses.filter((status) => status !== null && status >= 500)).toEqual([]);
    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.climb.count({ where: { createdById: user.id } })).toBe(0);
  });
});

describe.each(["sqlite", "postgresql"] as const)("instances starting together on a fresh database (%s)", (provider) => {
  const portals: Portal[] = [];
  afterAll(async () => {
    await Promise.all(portals.map((portal) => portal.stop()));
  });

  it("creates exactly one first administrator, and every instance serves", async () => {
    const scratch = provider === "postgresql" ? await createScratchDatabase("postgresql") : null;
    const sqliteDir = mkdtempSync(join(tmpdir(), "mastoc-fresh-"));
    const config: DatabaseConfig = scratch?.config ?? { provider: "sqlite", url: join(sqliteDir, "mastoc.db") };
    const shared = provider === "postgresql" ? config.url : `file:${config.url}`;
    try {
      portals.push(...(await Promise.all([1, 2, 3].map(() => startPortal({ provider, sharedDatabaseUrl: shared })))));
      const database = createDatabase(config).db;
      try {
        expect(await database.user.count({ where: { role: "ADMIN" } })).toBe(1);
        expect(await database.auditLog.count({ where: { action: "admin.bootstrap" } })).toBe(1);
      } finally {
        await database.$disconnect();
      }
      for (const instance of portals) {
        expect((await fetch(`${instance.url}/api/trpc/auth.status`)).status).toBe(200);
        const login = tokensOf(
          await trpcClient(instance.url).auth.login.mutate({
            email: ADMIN_EMAIL,
            password: ADMIN_PASSWORD,
          }),
        );
        expect(login.user.role).toBe("ADMIN");
      }
    } finally {
      await Promise.all(portals.splice(0).map((portal) => portal.stop()));
      await scratch?.drop();
      rmSync(sqliteDir, { recursive: true, force: true });
    }
  });

  // A database server that does not answer is waited for (healthy, not ready: service-outage.test.ts);
  // a database that can never exist is a configuration error.
  if (provider === "sqlite") {
    it("an instance whose database cannot exist exits with a non-zero status instead of serving errors", async () => {
      // The database's folder would be inside a file.
      const impossible = `file:${import.meta.filename}/x.db`;
      await expect(startPortal({ provider, sharedDatabaseUrl: impossible, readyTimeoutMs: 50_000 })).rejects.toThrow(
        /portal exited with [1-9]/,
      );
    });
  }
});
