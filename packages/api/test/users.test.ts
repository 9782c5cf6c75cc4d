// users.*: own profile, public profiles, account deletion.
import { describe, expect, it } from "vitest";
import { callerFor, createUser, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("users.updateMe", () => {
  it("changes name, username, first and last name, and records who changed what", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const updated = await caller.users.updateMe({
      name: "Ada",
      username: `${user.username}X`,
      firstName: "Ada",
      lastName: "Crimp",
    });
    expect(updated).toMatchObject({ name: "Ada", username: `${user.username}x`, firstName: "Ada", lastName: "Crimp" });
    const entry = await t.db.auditLog.findFirst({ where: { action: "user.update", targetId: user.id } });
    expect(entry?.actorId).toBe(user.id);
    expect(entry?.changes).toMatchObject({ name: "Ada" });
  });

  it.each([
    ["role", "ADMIN"],
    ["isActive", false],
    ["emailVerified", new Date()],
    ["id", "x"],
    ["createdAt", new Date()],
    ["email", "new@example.com"],
  ])("refuses the privileged field %s with BAD_REQUEST and changes nothing", async (field, value) => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const before = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    const error = await rejection(caller.users.updateMe({ name: "Sneaky", [field]: value } as never), "BAD_REQUEST");
    expect(error.message).toContain(field);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(before);
  });

  it("refuses a username taken by someone else (any case) with CONFLICT", async () => {
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { caller } = await signIn(t.db, a.email);
    await rejection(caller.users.updateMe({ username: b.username.toUpperCase() }), "CONFLICT");
  });

  it("refuses an empty update", async () => {
    const user = await createUser(t.db);
    await rejection((await signIn(t.db, user.email)).caller.users.updateMe({}), "BAD_REQUEST");
  });
});

describe("users.byId", () => {
  it("is the public view: never the email nor private fields", async () => {
    const [viewer, target] = [await createUser(t.db), await createUser(t.db)];
    const profile = await (await signIn(t.db, viewer.email)).caller.users.byId({ id: target.id });
    expect(Object.keys(profile).sort()).toEqual(["createdAt", "id", "image", "name", "role", "username"]);
    expect(JSON.stringify(profile)).not.toContain(target.email);
  });

  it("is NOT_FOUND for an unknown id", async () => {
    const viewer = await createUser(t.db);
    await rejection((await signIn(t.db, viewer.email)).caller.users.byId({ id: "missing" }), "NOT_FOUND");
  });
});

describe("users.deleteMe", () => {
  it("requires the password", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    await rejection(caller.users.deleteMe({ password: "Not-My-Password-99" }), "BAD_REQUEST");
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("removes the account, its sessions, keys and avatar; its climbs stay with no creator", async () => {
    const user = await createUser(t.db);
    const { caller, tokens } = await signIn(t.db, user.email);
    await caller.apiKeys.create({ name: "script" });
    await t.db.avatar.create({
      data: { userId: user.id, mimeType: "image/webp", data: new Uint8Array([1]), etag: "e", size: 1 },
    });
    const climb = await caller.climbs.create({ name: "Legacy", grade: "7A" });
    await caller.users.deleteMe({ password: PASSWORD });
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await t.db.authSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.apiKey.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.avatar.count({ where: { userId: user.id } })).toBe(0);
    const kept = await t.db.climb.findUniqueOrThrow({ where: { id: climb.id } });
    expect(kept.createdById).toBeNull();
    await rejection((await callerFor(t.db, { token: tokens.access_token })).auth.me(), "UNAUTHORIZED");
  });
});
