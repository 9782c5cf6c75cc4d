// Every cell of the permission matrix, through createCaller on a real database.
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { permissionsFor } from "../src/permissions";
import { hashPassword } from "../src/services/passwords";
import { actors, matrixCases, prepareCase, procedureAt } from "./matrix";
import { callerFor, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("permission matrix (createCaller)", () => {
  for (const matrixCase of matrixCases) {
    for (const actor of actors) {
      const expected = matrixCase.expect[actor];
      it(`${actor} → ${matrixCase.name} (${matrixCase.path}) is ${expected}`, async () => {
        const { fixture, token } = await prepareCase(t.db, getConfig(), actor, (password) =>
          hashPassword(password, getConfig().BCRYPT_COST),
        );
        const caller = await callerFor(t.db, token ? { token } : {});
        const call = procedureAt(caller, matrixCase.path) as (input: unknown) => Promise<unknown>;
        let outcome = "ok";
        try {
          await call(matrixCase.input?.(fixture));
        } catch (error) {
          outcome = (error as { code?: string }).code ?? String(error);
        }
        expect(outcome).toBe(expected);
      });
    }
  }
});

describe("the permission map exposed to clients", () => {
  it("matches the table for each role", () => {
    expect(permissionsFor("USER")).toMatchObject({
      "users.read": false,
      "climbs.manageAny": false,
      "audit.readClimbs": false,
    });
    expect(permissionsFor("MODERATOR")).toMatchObject({
      "users.read": true,
      "users.manage": false,
      "audit.readAll": false,
    });
    expect(Object.values(permissionsFor("ADMIN")).every(Boolean)).toBe(true);
  });
});
