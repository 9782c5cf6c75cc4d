// Short IDs (any unique prefix of at least 6 characters, as git takes short hashes) and how times
// and yes/no read, with the real `mastoc` against a live portal.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPortal, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Granite-Overhang-Crimp-42";
let portal: Portal;
let counter = 0;

beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite", env: { MAX_REGISTRATIONS_PER_IP: "200" } });
});
afterAll(async () => portal?.stop());

async function signedIn(email?: string, password = PASSWORD) {
  let user: { id: string; email: string; username: string } | null = null;
  if (!email) {
    const name = `ids${Date.now().toString(36)}${counter++}`;
    user = await trpcClient(portal.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password,
    });
    email = user.email;
  }
  const home = mkdtempSync(join(tmpdir(), "mastoc-ids-"));
  const login = await mastoc(["login", "--email", email, "--password-stdin"], {
    home,
    server: portal.url,
    stdin: password,
  });
  expect(login.code).toBe(0);
  const run = (args: string[], env?: Record<string, string | undefined>) => mastoc(args, { home, env });
  return { user, home, run };
}

const commonPrefix = (a: string, b: string) => {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return a.slice(0, length);
};

describe("short IDs", () => {
  it("climbs: a unique prefix works for show, update and delete; an ambiguous one lists the candidates; too short is a usage error", async () => {
    const me = await signedIn();
    const create = async (name: string) =>
      JSON.parse((await me.run(["climbs", "create", "--name", name, "--grade", "6A", "--json"])).stdout) as {
        id: string;
        name: string;
      };
    // IDs made close together share their first characters (a timestamp): find two sharing 6 or more.
    const climbs = [await create("Arête one"), await create("Arête two")];
    while (commonPrefix(climbs.at(-2)!.id, climbs.at(-1)!.id).length < 6)
      climbs.push(await create(`Arête ${climbs.length}`));
    const [first, second] = climbs.slice(-2) as [{ id: string; name: string }, { id: string; name: string }];
    const shared = commonPrefix(first.id, second.id).slice(0, 6);

    const unique = first.id.slice(0, 20);
    expect(JSON.parse((await me.run(["climbs", "show", unique, "--json"])).stdout).id).toBe(first.id);
    expect(JSON.parse((await me.run(["climbs", "update", unique, "--grade", "7A", "--json"])).stdout)).toMatchObject({
      id: first.id,
      grade: "7A",
    });

    const ambiguous = await me.run(["climbs", "show", shared]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`mastoc: The climb ID "${shared}" is ambiguous; the candidates are:`);
    expect(ambiguous.stderr).toMatch(new RegExp(`^ {2}${first.id} {2}${first.name} \\(7A\\)$`, "m"));
    expect(ambiguous.stderr).toMatch(new RegExp(`^ {2}${second.id} {2}${second.name} \\(6A\\)$`, "m"));
    expect(ambiguous.stderr).toContain("Give more characters of the ID.");
    expect((await me.run(["climbs", "delete", shared, "--yes"])).code).toBe(2);
    expect((await me.run(["climbs", "show", first.id, "--json"])).code).toBe(0);

    const short = await me.run(["climbs", "show", first.id.slice(0, 5)]);
    expect(short.code).toBe(2);
    expect(short.stderr.trim()).toBe(
      `mastoc: The climb ID "${first.id.slice(0, 5)}" is too short: give at least 6 characters of it.`,
    );
    const none = await me.run(["climbs", "show", "zzzzzzzz"]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('mastoc: No climb has an ID starting with "zzzzzzzz".');
    expect((await me.run(["climbs", "show", "c%'\"--x"])).code).toBe(1);

    expect((await me.run(["climbs", "delete", second.id.slice(0, 20), "--yes"])).code).toBe(0);
    expect((await me.run(["climbs", "show", second.id])).stderr).toContain("No such climb");
  });

  it("users, sessions and API keys take short IDs too", async () => {
    const admin = await signedIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const target = await signedIn();
    const user = target.user!;
    expect(JSON.parse((await admin.run(["users", "show", user.id.slice(0, 18), "--json"])).stdout).email).toBe(
      user.email,
    );
    expect(
      JSON.parse((await admin.run(["users", "role", user.id.slice(0, 18), "moderator", "--json"])).stdout).role,
    ).toBe("MODERATOR");
    expect((await admin.run(["users", "show", user.id.slice(0, 4)])).code).toBe(2);
    // A user cannot look users up by prefix at all.
    expect((await target.run(["users", "show", "c".repeat(6)])).code).toBe(1);

    const key = JSON.parse((await target.run(["apikeys", "create", "--name", "short", "--json"])).stdout);
    const revoked = await target.run(["apikeys", "revoke", key.id.slice(0, 18), "--yes"]);
    expect(revoked.stdout).toBe(`API key ${key.id} revoked.\n`);

    const other = await mastoc(["login", "--email", user.email, "--password-stdin"], {
      home: mkdtempSync(join(tmpdir(), "mastoc-ids-")),
      server: portal.url,
      stdin: PASSWORD,
    });
    expect(other.code).toBe(0);
    const sessions = JSON.parse((await target.run(["sessions", "list", "--json"])).stdout) as {
      id: string;
      current: boolean;
    }[];
    const foreign = sessions.find((session) => !session.current)!;
    const signOut = await target.run(["sessions", "revoke", foreign.id.slice(0, 18), "--yes"]);
    expect(signOut.stdout).toBe(`Session ${foreign.id} signed out.\n`);
    expect((await target.run(["sessions", "revoke", "zzzzzz", "--yes"])).stderr).toContain(
      'No session has an ID starting with "zzzzzz".',
    );
  });
});

describe("times and yes/no", () => {
  it("shows times in the local time zone with its name, or in UTC with --utc; --json stays ISO 8601 UTC", async () => {
    const me = await signedIn();
    const field = (output: string, label: string) => new RegExp(`^${label}\\s+(.+)$`, "m").exec(output)?.[1];
    const paris = await me.run(["whoami"], { TZ: "Europe/Paris" });
    expect(field(paris.stdout, "Created")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T$/);
    expect(field(paris.stdout, "Email verified")).toBe("no");
    const tokyo = await me.run(["whoami"], { TZ: "Asia/Tokyo" });
    expect(field(tokyo.stdout, "Created")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} GMT\+9$/);
    const utc = await me.run(["whoami", "--utc"], { TZ: "Europe/Paris" });
    const json = JSON.parse((await me.run(["whoami", "--json"], { TZ: "Europe/Paris" })).stdout) as {
      createdAt: string;
    };
    expect(json.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(field(utc.stdout, "Created")).toBe(`${json.createdAt.replace("T", " ").slice(0, 16)} UTC`);
    // Paris is one or two hours ahead of UTC, Tokyo nine.
    const minutes = (text: string) => Date.parse(`${text.slice(0, 16).replace(" ", "T")}:00Z`) / 60_000;
    const utcMinutes = minutes(field(utc.stdout, "Created")!);
    expect([60, 120]).toContain(minutes(field(paris.stdout, "Created")!) - utcMinutes);
    expect(minutes(field(tokyo.stdout, "Created")!) - utcMinutes).toBe(540);
  });
});
