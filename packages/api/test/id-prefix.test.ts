// climbs.byIdPrefix and admin.usersByIdPrefix: the candidates a short ID (as a short git hash) may
// stand for, exact at the edges of the ID alphabet, on both databases.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

/** A random stem of lower-case letters and digits, so that each test has its own IDs. */
const stem = () => Array.from(randomBytes(7), (byte) => "0123456789abcdefghijklmnopqrstuvwxyz"[byte % 36]).join("");

describe("climbs.byIdPrefix", () => {
  it("finds the climbs whose ID starts with the prefix, and only those, across the alphabet's edges", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const base = `c${stem()}`;
    // Neighbours of each boundary: a prefix ending in z or 9 must not reach the next letter.
    const ids = [`${base}z0`, `${base}zz`, `${base}z9x`, `${base}y9`, `${base}9z`, `${base}a0`, `${base}0`];
    for (const id of ids) {
      await t.db.climb.create({ data: { id, name: `Climb ${id}`, grade: "6A", createdById: user.id } });
    }
    const found = async (prefix: string) => (await caller.climbs.byIdPrefix({ prefix })).map((climb) => climb.id);
    expect(await found(`${base}z`)).toEqual([`${base}z0`, `${base}z9x`, `${base}zz`]);
    expect(await found(`${base}zz`)).toEqual([`${base}zz`]);
    expect(await found(`${base}9`)).toEqual([`${base}9z`]);
    expect(await found(`${base}y`)).toEqual([`${base}y9`]);
    expect(await found(base)).toHaveLength(7);
    expect(await found(`${base}b`)).toEqual([]);
    const [match] = await caller.climbs.byIdPrefix({ prefix: `${base}a` });
    expect(match).toEqual({ id: `${base}a0`, name: `Climb ${base}a0`, grade: "6A" });
  });

  it("answers at most 10 candidates", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const base = `c${stem()}`;
    for (let index = 0; index < 12; index++) {
      await t.db.climb.create({
        data: { id: `${base}${index.toString(36)}`, name: `Many ${index}`, grade: "5", createdById: user.id },
      });
    }
    expect(await caller.climbs.byIdPrefix({ prefix: base })).toHaveLength(10);
  });

  it("refuses prefixes shorter than 6 characters or outside the ID alphabet, naming the field", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    for (const prefix of ["abc12", "ABCDEF", "abc%ef", "abc_ef", "x".repeat(65)]) {
      const error = await rejection(caller.climbs.byIdPrefix({ prefix }), "BAD_REQUEST");
      expect(error.message).toMatch(/prefix|ID/);
    }
  });
});

describe("admin.usersByIdPrefix", () => {
  it("finds accounts by ID prefix with their email and username, for moderators", async () => {
    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const target = await createUser(t.db);
    const { caller } = await signIn(t.db, moderator.email);
    const matches = await caller.admin.usersByIdPrefix({ prefix: target.id });
    expect(matches).toEqual([{ id: target.id, email: target.email, username: target.username }]);
    const user = await signIn(t.db, target.email);
    await rejection(user.caller.admin.usersByIdPrefix({ prefix: target.id.slice(0, 8) }), "FORBIDDEN");
  });
});
