// climbs.*: traceability (createdById / updatedById), ownership, validation, listing.
import { describe, expect, it } from "vitest";
import { createUser, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("climbs", () => {
  it("create records the caller as creator and last editor, and returns the creator's public view", async () => {
    const user = await createUser(t.db);
    const climb = await (
      await signIn(t.db, user.email)
    ).caller.climbs.create({ name: "La Marie-Rose", grade: "6A", description: "Classic" });
    expect(climb).toMatchObject({
      createdById: user.id,
      updatedById: user.id,
      createdBy: { id: user.id, username: user.username },
    });
    expect(JSON.stringify(climb)).not.toContain(user.email);
  });

  it("a moderator's update of another user's climb records the moderator as updatedById", async () => {
    const [owner, moderator] = [await createUser(t.db), await createUser(t.db, { role: "MODERATOR" })];
    const climb = await (await signIn(t.db, owner.email)).caller.climbs.create({ name: "Rainbow Rocket", grade: "8A" });
    const updated = await (await signIn(t.db, moderator.email)).caller.climbs.update({ id: climb.id, grade: "7C+" });
    expect(updated).toMatchObject({
      grade: "7C+",
      createdById: owner.id,
      updatedById: moderator.id,
      updatedBy: { id: moderator.id },
    });
  });

  it("a USER cannot update or delete another user's climb (FORBIDDEN), and nothing changes", async () => {
    const [owner, other] = [await createUser(t.db), await createUser(t.db)];
    const climb = await (await signIn(t.db, owner.email)).caller.climbs.create({ name: "Karma", grade: "8A" });
    const { caller } = await signIn(t.db, other.email);
    await rejection(caller.climbs.update({ id: climb.id, name: "Mine now" }), "FORBIDDEN");
    await rejection(caller.climbs.delete({ id: climb.id }), "FORBIDDEN");
    expect((await t.db.climb.findUniqueOrThrow({ where: { id: climb.id } })).name).toBe("Karma");
  });

  it("a missing id is NOT_FOUND for byId, update and delete", async () => {
    const user = await createUser(t.db, { role: "ADMIN" });
    const { caller } = await signIn(t.db, user.email);
    await rejection(caller.climbs.byId({ id: "missing" }), "NOT_FOUND");
    await rejection(caller.climbs.update({ id: "missing", name: "x" }), "NOT_FOUND");
    await rejection(caller.climbs.delete({ id: "missing" }), "NOT_FOUND");
  });

  it.each(["6A", "7B+", "4+", "5", "VB", "V0", "V17", "6a+", "9c"])("accepts the grade %s", async (grade) => {
    const user = await createUser(t.db);
    expect((await (await signIn(t.db, user.email)).caller.climbs.create({ name: "G", grade })).grade).toBe(grade);
  });

  it.each(["", "6D", "V18", "10a", "hard", "6A++"])(
    "refuses the grade %j with a message naming the field",
    async (grade) => {
      const user = await createUser(t.db);
      const error = await rejection(
        (await signIn(t.db, user.email)).caller.climbs.create({ name: "G", grade }),
        "BAD_REQUEST",
      );
      expect(error.message).toContain("Grade must be");
    },
  );

  it("refuses createdById and other unknown fields", async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    await rejection(
      caller.climbs.create({ name: "Spoof", grade: "6A", createdById: other.id } as never),
      "BAD_REQUEST",
    );
  });

  it("list filters by creator, grade and text, paginates, and includes the creator", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const tag = `crag${Date.now().toString(36)}`;
    for (const [index, grade] of ["6A", "6A", "7A"].entries()) {
      await caller.climbs.create({ name: `${tag} ${index}`, grade, description: index === 2 ? "Slab CLASSIC" : null });
    }
    const mine = await caller.climbs.list({ creatorId: user.id, pageSize: 2 });
    expect(mine.total).toBe(3);
    expect(mine.items).toHaveLength(2);
    expect(mine.items[0]?.createdBy?.id).toBe(user.id);
    expect((await caller.climbs.list({ creatorId: user.id, grade: "6A" })).total).toBe(2);
    expect((await caller.climbs.list({ query: "slab classic" })).items.map((climb) => climb.name)).toEqual([
      `${tag} 2`,
    ]);
    expect((await caller.climbs.list({ creatorId: user.id, page: 2, pageSize: 2 })).items).toHaveLength(1);
  });
});

describe("grade ranges", () => {
  it("list finds the grades between two ends on the scale's own order, 7A+ included in 6A to 7A+", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const tag = `range${Date.now().toString(36)}`;
    for (const grade of ["5+", "6A", "6C+", "7A", "7A+", "7B", "V4", "6a+"]) {
      await caller.climbs.create({ name: `${tag} ${grade}`, grade });
    }
    const grades = async (input: { gradeFrom?: string; gradeTo?: string }) =>
      (await caller.climbs.list({ query: tag, pageSize: 100, ...input })).items.map((climb) => climb.grade).sort();
    expect(await grades({ gradeFrom: "6A", gradeTo: "7A+" })).toEqual(["6A", "6C+", "7A", "7A+"]);
    expect(await grades({ gradeFrom: "7A" })).toEqual(["7A", "7A+", "7B"]);
    expect(await grades({ gradeTo: "6A" })).toEqual(["5+", "6A"]);
    expect(await grades({ gradeFrom: "V3", gradeTo: "V10" })).toEqual(["V4"]);
    const mixed = await rejection(caller.climbs.list({ gradeFrom: "6A", gradeTo: "V4" }), "BAD_REQUEST");
    expect(mixed.message).toMatch(/same scale/);
    const upsideDown = await rejection(caller.climbs.list({ gradeFrom: "7A", gradeTo: "6A" }), "BAD_REQUEST");
    expect(upsideDown.message).toMatch(/below where it starts/);
    await rejection(caller.climbs.list({ gradeFrom: "6Z" }), "BAD_REQUEST");
  });
});
