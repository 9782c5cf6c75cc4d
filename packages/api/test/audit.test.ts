// The audit trail: every state change is recorded with actor, target, time, IP and what changed;
// ADMIN reads everything, MODERATOR only climbs.
import { describe, expect, it } from "vitest";
import { createUser, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("audit", () => {
  it("shows a climb's creation, update and deletion by their actors", async () => {
    const [owner, moderator, admin] = [
      await createUser(t.db),
      await createUser(t.db, { role: "MODERATOR" }),
      await createUser(t.db, { role: "ADMIN" }),
    ];
    const ownerCaller = (await signIn(t.db, owner.email, undefined, { ip: "198.51.100.4" })).caller;
    const climb = await ownerCaller.climbs.create({ name: "Audit me", grade: "6B" });
    await (await signIn(t.db, moderator.email)).caller.climbs.update({ id: climb.id, grade: "6B+" });
    await ownerCaller.climbs.delete({ id: climb.id });
    const { items } = await (await signIn(t.db, admin.email)).caller.audit.list({ targetId: climb.id });
    expect(items.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["climb.delete", owner.id],
      ["climb.update", moderator.id],
      ["climb.create", owner.id],
    ]);
    const created = items[2]!;
    expect(created).toMatchObject({
      targetType: "climb",
      targetId: climb.id,
      ip: "198.51.100.4",
      changes: { name: "Audit me", grade: "6B" },
    });
    expect(created.createdAt).toBeInstanceOf(Date);
  });

  it("a moderator reads only the climb entries; an admin reads all, filtered by actor, action and date", async () => {
    const [user, moderator, admin] = [
      await createUser(t.db),
      await createUser(t.db, { role: "MODERATOR" }),
      await createUser(t.db, { role: "ADMIN" }),
    ];
    const adminCaller = (await signIn(t.db, admin.email)).caller;
    await adminCaller.admin.setRole({ id: user.id, role: "MODERATOR" });
    await adminCaller.admin.setRole({ id: user.id, role: "USER" });
    const moderatorView = await (await signIn(t.db, moderator.email)).caller.audit.list({ limit: 200 });
    expect(moderatorView.items.length).toBeGreaterThan(0);
    expect(moderatorView.items.every((entry) => entry.targetType === "climb")).toBe(true);
    const roleChanges = await adminCaller.audit.list({ actorId: admin.id, action: "admin.user.role" });
    expect(roleChanges.items.map((entry) => entry.changes)).toEqual([
      { from: "MODERATOR", to: "USER" },
      { from: "USER", to: "MODERATOR" },
    ]);
    expect(
      (await adminCaller.audit.list({ actorId: admin.id, from: new Date(Date.now() + 60_000) })).items,
    ).toHaveLength(0);
  });

  it("paginates with a cursor, newest first, without repeating entries", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const caller = (await signIn(t.db, admin.email)).caller;
    for (let index = 0; index < 5; index++) await caller.climbs.create({ name: `Page ${index}`, grade: "5" });
    const first = await caller.audit.list({ actorId: admin.id, action: "climb.create", limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await caller.audit.list({
      actorId: admin.id,
      action: "climb.create",
      limit: 3,
      cursor: first.nextCursor,
    });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(5);
  });

  it("records profile, role, activation and deletion changes", async () => {
    const [admin, user] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db)];
    const adminCaller = (await signIn(t.db, admin.email)).caller;
    await (await signIn(t.db, user.email)).caller.users.updateMe({ firstName: "Lynn" });
    await adminCaller.admin.deactivate({ id: user.id });
    await adminCaller.admin.activate({ id: user.id });
    await adminCaller.admin.verifyEmail({ id: user.id });
    await adminCaller.admin.deleteUser({ id: user.id });
    const actions = (await adminCaller.audit.list({ targetId: user.id, limit: 50 })).items.map((entry) => entry.action);
    for (const action of [
      "user.update",
      "admin.user.deactivate",
      "admin.user.activate",
      "admin.user.verify_email",
      "admin.user.delete",
    ]) {
      expect(actions).toContain(action);
    }
  });
});
