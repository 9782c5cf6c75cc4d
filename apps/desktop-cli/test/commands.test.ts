// Every command group of the real `mastoc` binary against a live portal: success paths, --json
// shapes, exit codes, and the token store under refresh and concurrency.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  enableTwoFactor,
  startPortal,
  tokensOf,
  totp,
  trpcClient,
  type Portal,
} from "@mastoc/web/test-support";
import { changeStoredAuth, mastoc, readStoreFile } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Granite-Overhang-Crimp-42";
let portal: Portal;
let counter = 0;

beforeAll(async () => {
  // Every test registers its own accounts from this one address: more than a public portal allows an hour.
  portal = await startPortal({ provider: "sqlite", env: { MAX_REGISTRATIONS_PER_IP: "200" } });
});
afterAll(async () => portal?.stop());

/** A fresh account signed in through `mastoc login`, with its own MASTOC_HOME. */
async function signedIn(role: "USER" | "MODERATOR" | "ADMIN" = "USER") {
  const name = `cli${Date.now().toString(36)}${counter++}`;
  const email = `${name}@example.com`;
  const user = await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  if (role !== "USER") {
    const admin = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    );
    await trpcClient(portal.url, { token: admin.access_token }).admin.setRole.mutate({ id: user.id, role });
  }
  const home = mkdtempSync(join(tmpdir(), "mastoc-cli-"));
  const login = await mastoc(["login", "--email", email, "--password-stdin"], {
    home,
    server: portal.url,
    stdin: PASSWORD,
  });
  expect(login.code).toBe(0);
  const run = (args: string[], stdin?: string) => mastoc(args, { home, stdin });
  const json = async (args: string[]) => {
    const result = await run([...args, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { user, email, home, run, json };
}

describe("profile and avatar", () => {
  it("profile show/update, avatar set/get/remove", async () => {
    const me = await signedIn();
    expect(await me.json(["profile", "show"])).toMatchObject({ id: me.user.id, email: me.email, role: "USER" });
    const updated = await me.json(["profile", "update", "--name", "Ada Crimp", "--first-name", "Ada"]);
    expect(updated).toMatchObject({ name: "Ada Crimp", firstName: "Ada" });
    expect((await me.run(["profile", "update"])).code).toBe(2);

    const png = join(me.home, "me.png");
    writeFileSync(
      png,
      await sharp({ create: { width: 40, height: 40, channels: 3, background: "#2a9d8f" } })
        .png()
        .toBuffer(),
    );
    const set = await me.json(["avatar", "set", png]);
    expect(set.image).toMatch(new RegExp(`^/api/users/${me.user.id}/avatar`));
    const out = join(me.home, "avatar.webp");
    expect((await me.run(["avatar", "get", me.user.id, out])).code).toBe(0);
    expect(await sharp(readFileSync(out)).metadata()).toMatchObject({ format: "webp", width: 256 });
    const notImage = join(me.home, "notes.png");
    writeFileSync(notImage, "<html>nope</html>");
    const refused = await me.run(["avatar", "set", notImage]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("mastoc: Unsupported image type: upload a PNG, JPEG, WebP or GIF image");
    expect((await me.run(["avatar", "remove"])).stdout).toContain("Avatar removed.");
    const missing = await me.run(["avatar", "get", me.user.id, out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("This user has no avatar");
  });
});

/** The newest link to `page` mailed to `to` (the portal writes mail to its outbox), waited for. */
async function mailedLink(to: string, page: string): Promise<string> {
  const outbox = join(portal.dataDir, "outbox");
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const files = readdirSync(outbox, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort()
      .reverse();
    for (const file of files) {
      const raw = readFileSync(join(outbox, file));
      if (!raw.toString("utf8").includes(`To: ${to}`)) continue;
      const link = new RegExp(`(http\\S+/${page}\\?token=\\S+)`).exec((await simpleParser(raw)).text ?? "")?.[1];
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${page} link mailed to ${to} within 10 s`);
}

describe("email", () => {
  it("status, confirm with the mailed link, resend when already verified, and change", async () => {
    const me = await signedIn();
    expect(await me.json(["email", "status"])).toEqual({ email: me.email, verified: false, verifiedAt: null });
    const confirmed = await me.run(["email", "confirm", await mailedLink(me.email, "verify-email")]);
    expect(confirmed.stdout).toContain(`Verified: ${me.email}.`);
    expect(confirmed.code).toBe(0);
    expect(await me.json(["email", "status"])).toMatchObject({ email: me.email, verified: true });
    const again = await me.run(["email", "resend"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already verified");
    const reused = await me.run(["email", "confirm", "not-a-live-token"]);
    expect(reused.code).toBe(1);

    const moved = `moved-${me.email}`;
    const change = await me.run(["email", "change", moved, "--password-stdin"], PASSWORD);
    expect(change.code).toBe(0);
    expect(change.stdout).toContain(`We sent a confirmation link to ${moved}`);
    const link = await mailedLink(moved, "verify-email");
    expect((await me.run(["email", "confirm", new URL(link).searchParams.get("token")!])).code).toBe(0);
    expect(await me.json(["email", "status"])).toMatchObject({ email: moved, verified: true });
  });
});

describe("password", () => {
  it("change (from stdin), reset-request and reset-confirm with the mailed token", async () => {
    const me = await signedIn();
    const changed = await me.run(["password", "change", "--stdin"], `${PASSWORD}\nSummit-Push-Heel-Toe-63\n`);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain("Password changed");
    const wrong = await me.run(["password", "change", "--stdin"], `Not-The-Current-1\nSummit-Push-Heel-Toe-64\n`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("The current password is not correct");

    const request = await me.run(["password", "reset-request", me.email]);
    expect(request.stdout).toContain("If an account exists for this email");
    const token = new URL(await mailedLink(me.email, "reset-password")).searchParams.get("token");
    expect(token).toBeTruthy();
    const confirmed = await me.run(
      ["password", "reset-confirm", token!, "--password-stdin"],
      "Reset-Route-Crux-Move-65",
    );
    expect(confirmed.code).toBe(0);
    // All sessions ended, this CLI's included: exit 3 until the next login.
    expect((await me.run(["whoami"])).code).toBe(3);
    expect(
      (
        await mastoc(["login", "-e", me.email, "--password-stdin"], {
          home: me.home,
          stdin: "Reset-Route-Crux-Move-65",
        })
      ).code,
    ).toBe(0);
  });
});

describe("two-factor authentication", () => {
  it("2fa setup prints a QR code and the key; enable prints recovery codes; status counts them", async () => {
    const me = await signedIn();
    const human = await me.run(["2fa", "setup", "--password-stdin"], PASSWORD);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("Scan this QR code");
    expect(human.stdout).toMatch(/[▀▄█]/);
    const setup = await me.run(["2fa", "setup", "--password-stdin", "--json"], PASSWORD).then((result) => {
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as { secret: string; otpauthUri: string };
    });
    expect(Object.keys(setup).sort()).toEqual(["otpauthUri", "secret"]);
    const enabled = await me.run(["2fa", "enable", "--code", await totp(setup.secret)]);
    expect(enabled.code).toBe(0);
    const codes = enabled.stdout.match(/^ {2}[a-z2-9]{5}-[a-z2-9]{5}$/gm) ?? [];
    expect(codes).toHaveLength(10);
    expect(await me.json(["2fa", "status"])).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    const fresh = await me.run(["2fa", "recovery-codes", "--password-stdin", "--code", codes[0]!.trim()], PASSWORD);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout.match(/^ {2}[a-z2-9]{5}-[a-z2-9]{5}$/gm)).toHaveLength(10);
    const off = await me.run(["2fa", "disable", "--password-stdin", "--code", codes[1]!.trim()], PASSWORD);
    expect(off.code).not.toBe(0);
    expect(off.stderr).toMatch(/code is not correct/);
    const disabled = await me.run(
      ["2fa", "disable", "--password-stdin", "--code", fresh.stdout.match(/[a-z2-9]{5}-[a-z2-9]{5}/)![0]],
      PASSWORD,
    );
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(/Two-factor authentication is off/);
  });

  it("login --otp completes a two-factor sign-in; a wrong code fails generically; an admin can reset it", async () => {
    const name = `cli2fa${Date.now().toString(36)}${counter++}`;
    const email = `${name}@example.com`;
    const user = await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
    const { secret } = await enableTwoFactor(portal.url, email, PASSWORD);
    const home = mkdtempSync(join(tmpdir(), "mastoc-cli-"));
    const login = (otp: string) =>
      mastoc(["login", "--email", email, "--password-stdin", "--otp", otp], {
        home,
        server: portal.url,
        stdin: PASSWORD,
      });
    const wrong = (await totp(secret, 1)) === "000000" ? "111111" : "000000";
    const refused = await login(wrong);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("Invalid or expired sign-in code");
    const accepted = await login(await totp(secret, 1));
    expect(accepted.stdout).toContain(`Signed in as ${email}`);
    expect(accepted.code).toBe(0);
    expect((await mastoc(["whoami", "--json"], { home })).code).toBe(0);

    const admin = await signedIn("ADMIN");
    const reset = await admin.json(["users", "reset-2fa", user.id]);
    expect(reset.twoFactorEnabledAt).toBeNull();
    // The reset signed the user out; a password alone signs in again.
    expect((await mastoc(["whoami"], { home })).code).not.toBe(0);
    const plain = await mastoc(["login", "--email", email, "--password-stdin"], {
      home,
      server: portal.url,
      stdin: PASSWORD,
    });
    expect(plain.code).toBe(0);
  });
});

describe("sessions and API keys", () => {
  it("lists sessions with the current one, revokes one, and revoke-all signs this CLI out", async () => {
    const me = await signedIn();
    const other = await mastoc(["login", "-e", me.email, "--password-stdin"], {
      home: mkdtempSync(join(tmpdir(), "mastoc-cli-")),
      server: portal.url,
      stdin: PASSWORD,
    });
    expect(other.code).toBe(0);
    const sessions = (await me.json(["sessions", "list"])) as { id: string; current: boolean; kind: string }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    const foreign = sessions.find((session) => !session.current)!;
    expect((await me.run(["sessions", "revoke", foreign.id, "--yes"])).code).toBe(0);
    expect(await me.json(["sessions", "list"])).toHaveLength(1);
    expect((await me.run(["sessions", "revoke-all"])).stdout).toContain("1 session signed out");
    expect((await me.run(["whoami"])).code).toBe(3);
  });

  it("creates a key shown once, lists it without the key, revokes it", async () => {
    const me = await signedIn();
    const created = await me.json(["apikeys", "create", "--name", "backup", "--expires-in-days", "30"]);
    expect(created.key).toMatch(/^mk_/);
    const listed = await me.json(["apikeys", "list"]);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect((await trpcClient(portal.url, { apiKey: created.key }).auth.me.query()).id).toBe(me.user.id);
    expect((await me.run(["apikeys", "revoke", created.id, "--yes"])).code).toBe(0);
    expect((await me.json(["apikeys", "list"]))[0].revokedAt).not.toBeNull();
  });
});

describe("climbs", () => {
  it("create, list, show, update, delete with --json, and clear errors", async () => {
    const me = await signedIn();
    const climb = await me.json(["climbs", "create", "--name", "Karma", "--grade", "8A", "--description", "dyno"]);
    expect(climb).toMatchObject({ name: "Karma", grade: "8A", createdById: me.user.id, createdBy: { id: me.user.id } });
    const list = await me.json(["climbs", "list", "--creator", me.user.id]);
    expect(list).toMatchObject({ total: 1, page: 1, items: [{ id: climb.id }] });
    expect((await me.json(["climbs", "show", climb.id])).description).toBe("dyno");
    expect((await me.json(["climbs", "update", climb.id, "--grade", "7C+"])).grade).toBe("7C+");
    const bad = await me.run(["climbs", "create", "--name", "x", "--grade", "6Z"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^mastoc: grade: Grade must be/);
    const human = await me.run(["climbs", "list", "--creator", me.user.id]);
    expect(human.stdout).toMatch(/Karma\s+7C\+/);
    expect((await me.run(["climbs", "delete", climb.id, "--yes"])).code).toBe(0);
    expect((await me.run(["climbs", "show", climb.id])).stderr).toContain("No such climb");
    // Another user's climb cannot be changed by a USER.
    const other = await signedIn();
    const theirs = await other.json(["climbs", "create", "--name", "Theirs", "--grade", "6A"]);
    const refused = await me.run(["climbs", "delete", theirs.id, "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Only the climb's creator, a moderator or an administrator can change it");
  });
});

describe("users and audit", () => {
  it("an administrator lists, shows, changes role, (de)activates, unlocks and deletes users", async () => {
    const admin = await signedIn("ADMIN");
    const target = await signedIn();
    const list = await admin.json(["users", "list", "--query", target.user.username]);
    expect(list).toMatchObject({ total: 1, items: [{ id: target.user.id, role: "USER" }] });
    expect((await admin.json(["users", "show", target.user.id])).email).toBe(target.email);
    expect((await admin.json(["users", "role", target.user.id, "moderator"])).role).toBe("MODERATOR");
    expect((await admin.json(["users", "deactivate", target.user.id])).isActive).toBe(false);
    expect((await target.run(["whoami"])).code).toBe(3);
    expect((await admin.json(["users", "activate", target.user.id])).isActive).toBe(true);
    expect((await admin.json(["users", "unlock", target.user.id])).lockedUntil).toBeNull();
    expect((await admin.run(["users", "delete", target.user.id])).code).toBe(2); // no TTY, no --yes
    expect((await admin.run(["users", "delete", target.user.id, "--yes"])).code).toBe(0);
    const audit = await admin.json(["audit", "list", "--target-id", target.user.id]);
    expect(audit.items.map((entry: { action: string }) => entry.action)).toContain("admin.user.delete");
  });

  it("lists users by role, sorted by any field the API sorts by, in either order", async () => {
    const admin = await signedIn("ADMIN");
    const moderators = [await signedIn("MODERATOR"), await signedIn("MODERATOR")];
    const listed = async (order: string) => {
      const { items } = (await admin.json([
        ...["users", "list", "--role", "moderator", "--sort", "email", "--order", order, "--page-size", "100"],
      ])) as { items: { email: string; role: string }[] };
      expect(new Set(items.map((user) => user.role))).toEqual(new Set(["MODERATOR"]));
      return items.filter((user) => moderators.some((moderator) => moderator.email === user.email));
    };
    const ascending = await listed("asc");
    expect(ascending.map((user) => user.email)).toEqual(moderators.map((moderator) => moderator.email).sort());
    expect((await listed("desc")).map((user) => user.email)).toEqual(ascending.map((user) => user.email).reverse());
  });

  it("admin stats: tiles and a sparkline per series for administrators, the climbs side for moderators", async () => {
    const admin = await signedIn("ADMIN");
    const human = await admin.run(["admin", "stats", "--days", "7"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Last 7 days, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC days\)$/m);
    expect(human.stdout).toMatch(/^Users\s+\d+$/m);
    expect(human.stdout).toMatch(/^With 2FA or a passkey\s+\d+ %$/m);
    // One sparkline of 7 days per series; signing in just now makes today's sign-ins the peak.
    expect(human.stdout).toMatch(/^Sign-ins\s+[▁▂▃▄▅▆▇█]{6}█ {2}total \d+, peak \d+ on \d{4}-\d{2}-\d{2}$/m);
    for (const label of [
      "Failed sign-ins",
      "Lockouts",
      "Registrations",
      "Password resets",
      "Added",
      "Edited",
      "Deleted",
    ]) {
      expect(human.stdout).toMatch(new RegExp(`^${label}\\s+[▁▂▃▄▅▆▇█]{7}  `, "m"));
    }
    const json = await admin.json(["admin", "stats", "--days", "365", "--json"]);
    expect(json.security.series).toHaveLength(365);
    expect(json.climbs.series).toHaveLength(365);
    expect(Object.keys(json.security.totals)).toContain("lockedAccounts");

    const moderator = await signedIn("MODERATOR");
    const climbsOnly = await moderator.json(["admin", "stats", "--json"]);
    expect(Object.keys(climbsOnly)).toEqual(["climbs"]);
    expect(climbsOnly.climbs.series).toHaveLength(30);
    const refused = await (await signedIn()).run(["admin", "stats"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("mastoc: You do not have permission to do this");
    const tooLong = await admin.run(["admin", "stats", "--days", "400"]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/days/);
    expect((await admin.run(["admin", "stats", "--days", "week"])).code).toBe(2);
  });

  it("admin oidc rotate-keys adds a signing key, keeps the previous one published, and speaks French", async () => {
    const admin = await signedIn("ADMIN");
    const jwks = async () =>
      ((await (await fetch(`${portal.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
        (key) => key.kid,
      );
    const first = await admin.json(["admin", "oidc", "rotate-keys"]);
    expect(first.kid).toMatch(/\S{8,}/);
    expect(await jwks()).toContain(first.kid);

    const human = await admin.run(["admin", "oidc", "rotate-keys"]);
    expect(human.code, human.stderr).toBe(0);
    const kid = /^New signing key (\S+)\.$/m.exec(human.stdout)?.[1];
    expect(kid).toBeDefined();
    expect(human.stdout).toMatch(/^Still published until what they signed expires: .*\S/m);
    expect(human.stdout).toContain(first.kid);
    expect(await jwks()).toEqual(expect.arrayContaining([first.kid, kid]));

    const french = await mastoc(["admin", "oidc", "rotate-keys"], { home: admin.home, env: { LANG: "fr_FR.UTF-8" } });
    expect(french.code, french.stderr).toBe(0);
    expect(french.stdout).toMatch(/^Nouvelle clé de signature \S+\.$/m);
    expect(french.stdout).toMatch(/^Restent publiées jusqu’à l’expiration de ce qu’elles ont signé\u00a0: /m);

    const audit = await admin.json(["audit", "list", "--action", "oauth.keys.rotate"]);
    expect(audit.items.map((entry: { targetId: string }) => entry.targetId)).toContain(kid);
    const refused = await (await signedIn()).run(["admin", "oidc", "rotate-keys"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("mastoc: You do not have permission to do this");
  });

  it("a USER is refused with one clear line and exit 1; bad options are exit 2", async () => {
    const me = await signedIn();
    const refused = await me.run(["users", "list"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("mastoc: You do not have permission to do this");
    expect((await me.run(["audit", "list"])).code).toBe(1);
    expect((await me.run(["users", "role", "x", "KING"])).code).toBe(2);
    expect((await me.run(["users", "list", "--page", "two"])).code).toBe(2);
    expect((await me.run(["climbs", "create", "--name", "no grade"])).code).toBe(2);
    expect((await me.run(["climbs"])).code).toBe(2);
  });
});

describe("the token store", () => {
  it("refreshes once after the server rejects the stored access token", async () => {
    const me = await signedIn();
    const stored = readStoreFile(me.home).entry;
    changeStoredAuth(me.home, { access_token: `${stored.access_token.slice(0, -4)}AAAA` });
    expect((await me.json(["whoami"])).id).toBe(me.user.id);
    const after = readStoreFile(me.home).entry;
    expect(after.refresh_token).not.toBe(stored.refresh_token);
    expect(after.access_token).not.toBe(stored.access_token);
  });

  it("two processes refreshing at the same time both succeed and the user stays signed in", async () => {
    const me = await signedIn();
    changeStoredAuth(me.home, { expires_at: 0 });
    const runs = await Promise.all([
      me.run(["whoami", "--json"]),
      me.run(["climbs", "list", "--json"]),
      me.run(["whoami", "--json"]),
    ]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    expect(readStoreFile(me.home).entry.expires_at).toBeGreaterThan(Date.now());
    expect((await me.run(["whoami"])).code).toBe(0);
  });

  it("an expired session (refresh refused) exits 3 and asks to sign in again", async () => {
    const me = await signedIn();
    const stored = readStoreFile(me.home).entry;
    await trpcClient(portal.url, { token: stored.access_token }).auth.logout.mutate();
    const run = await me.run(["whoami"]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      `mastoc: Your session on ${portal.url} has expired. Run \`mastoc login --server ${portal.url}\` again.`,
    );
  });
});

describe("help", () => {
  it.each([
    "login",
    "register",
    "logout",
    "whoami",
    "profile",
    "avatar",
    "password",
    "sessions",
    "apikeys",
    "users",
    "climbs",
    "audit",
    "admin",
    "email",
    "2fa",
    "account",
    "servers",
    "version",
    "completion",
  ])("`mastoc %s --help` exits 0 with examples", async (command) => {
    const run = await mastoc([command, "--help"], { home: mkdtempSync(join(tmpdir(), "mastoc-cli-")) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples?:\n {2}\$ mastoc /);
  });
});
