// Foundation: register, sign in with OAuth2 token fields, me, refresh, logout — through createCaller.
import { describe, expect, it } from "vitest";
import { callerFor, createUser, PASSWORD, rejection, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("auth.register", () => {
  it("creates a user with a normalised email and lower-case username, without signing in", async () => {
    const name = unique("Reg");
    const user = await (
      await callerFor(t.db)
    ).auth.register({
      email: `  ${name.toUpperCase()}@Example.COM `,
      username: name.toUpperCase(),
      password: PASSWORD,
      name: "Ada Crimp",
    });
    expect(user.email).toBe(`${name.toLowerCase()}@example.com`);
    expect(user.username).toBe(name.toLowerCase());
    expect(user).toMatchObject({ name: "Ada Crimp", role: "USER", isActive: true, lastLoginAt: null });
    expect(user.permissions["users.read"]).toBe(false);
    expect(user).not.toHaveProperty("passwordHash");
    expect(await t.db.authSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a duplicate email in any case with CONFLICT on the email field", async () => {
    const existing = await createUser(t.db);
    const error = await rejection(
      (await callerFor(t.db)).auth.register({
        email: existing.email.toUpperCase(),
        username: unique(),
        password: PASSWORD,
      }),
      "CONFLICT",
    );
    expect(error.message).toBe("An account with this email already exists");
  });

  it("refuses a duplicate username in any case with CONFLICT", async () => {
    const existing = await createUser(t.db);
    const error = await rejection(
      (await callerFor(t.db)).auth.register({
        email: `${unique()}@example.com`,
        username: existing.username.toUpperCase(),
        password: PASSWORD,
      }),
      "CONFLICT",
    );
    expect(error.message).toBe("This username is already taken");
  });

  it("rejects bad input with BAD_REQUEST naming the field, and creates nothing", async () => {
    const before = await t.db.user.count();
    const caller = await callerFor(t.db);
    await rejection(
      caller.auth.register({ email: "not-an-email", username: unique(), password: PASSWORD }),
      "BAD_REQUEST",
    );
    await rejection(
      caller.auth.register({ email: `${unique()}@example.com`, username: "x", password: PASSWORD }),
      "BAD_REQUEST",
    );
    await rejection(
      caller.auth.register({ email: `${unique()}@example.com`, username: "bad name!", password: PASSWORD }),
      "BAD_REQUEST",
    );
    await rejection(
      caller.auth.register({ email: `${unique()}@example.com`, username: unique(), password: "short" }),
      "BAD_REQUEST",
    );
    expect(await t.db.user.count()).toBe(before);
  });

  it("refuses privileged fields such as role", async () => {
    const input = { email: `${unique()}@example.com`, username: unique(), password: PASSWORD, role: "ADMIN" };
    await rejection((await callerFor(t.db)).auth.register(input as never), "BAD_REQUEST");
  });
});

describe("auth.login", () => {
  it("answers with OAuth2 token fields and the self view", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(30 * 60);
    expect(tokens.access_token.split(".")).toHaveLength(3);
    expect(tokens.refresh_token.length).toBeGreaterThanOrEqual(43);
    expect(tokens.user).toMatchObject({ id: user.id, email: user.email, role: "USER" });
    expect(tokens.user.lastLoginAt).toBeInstanceOf(Date);
  });

  it("accepts the username in the email field", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.username.toUpperCase());
    expect(tokens.user.id).toBe(user.id);
  });

  it("fails alike for an unknown email and a wrong password (ASVS 2.2.1, 3.2.x)", async () => {
    const user = await createUser(t.db);
    const caller = await callerFor(t.db);
    const unknown = await rejection(
      caller.auth.login({ email: `${unique()}@example.com`, password: PASSWORD }),
      "UNAUTHORIZED",
    );
    const wrong = await rejection(
      caller.auth.login({ email: user.email, password: "Wrong-Password-Here-9" }),
      "UNAUTHORIZED",
    );
    expect(unknown.message).toBe("Invalid email or password");
    expect(wrong.message).toBe(unknown.message);
  });

  it("stores refresh tokens hashed, never in clear", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const stored = await t.db.refreshToken.findMany({
      where: { session: { userId: user.id } },
      select: { tokenHash: true },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(tokens.refresh_token);
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("auth.me, refresh and logout", () => {
  it("me answers with the bearer token's user and its permission map", async () => {
    const user = await createUser(t.db, { role: "MODERATOR" });
    const { caller } = await signIn(t.db, user.email);
    const me = await caller.auth.me();
    expect(me).toMatchObject({ id: user.id, email: user.email, role: "MODERATOR" });
    expect(me.permissions).toMatchObject({ "users.read": true, "users.manage": false, "climbs.manageAny": true });
  });

  it("me without credentials is UNAUTHORIZED", async () => {
    await rejection((await callerFor(t.db)).auth.me(), "UNAUTHORIZED");
  });

  it("refresh issues a new working access token and a new refresh token", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const refreshed = await (await callerFor(t.db)).auth.refresh({ refresh_token: tokens.refresh_token });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect((await (await callerFor(t.db, { token: refreshed.access_token })).auth.me()).id).toBe(user.id);
  });

  it("logout makes the refresh token and the access token fail", async () => {
    const user = await createUser(t.db);
    const { tokens, caller } = await signIn(t.db, user.email);
    await caller.auth.logout();
    await rejection((await callerFor(t.db)).auth.refresh({ refresh_token: tokens.refresh_token }), "UNAUTHORIZED");
    await rejection((await callerFor(t.db, { token: tokens.access_token })).auth.me(), "UNAUTHORIZED");
  });

  it("logout with only the refresh token ends that session", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    await (await callerFor(t.db)).auth.logout({ refresh_token: tokens.refresh_token });
    await rejection((await callerFor(t.db, { token: tokens.access_token })).auth.me(), "UNAUTHORIZED");
  });

  it("status tells an anonymous caller apart from a signed-in one", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    expect(await (await callerFor(t.db)).auth.status()).toMatchObject({ authenticated: false, user: null });
    expect(await caller.auth.status()).toMatchObject({ authenticated: true, via: "bearer", user: { id: user.id } });
  });
});
