// The one module that reads tRPC's internals (src/vendor/trpc-router.ts) is checked against the
// installed @trpc/server: an upgrade that changes what it relies on fails here, naming the module.
import { createRequire } from "node:module";
import { initTRPC } from "@trpc/server";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { appRouter } from "../src/root";
import { CHECKED_TRPC_VERSION, routerProcedures } from "../src/vendor/trpc-router";

const MODULE = "packages/api/src/vendor/trpc-router.ts";

describe(MODULE, () => {
  it(`was checked against the installed @trpc/server (re-check ${MODULE} after an upgrade)`, () => {
    const installed = (createRequire(import.meta.url)("@trpc/server/package.json") as { version: string }).version;
    expect(installed, `${MODULE} was checked against @trpc/server ${CHECKED_TRPC_VERSION}`).toBe(CHECKED_TRPC_VERSION);
  });

  it("lists nested procedures with their kind, merged meta, input and output", () => {
    const t = initTRPC.meta<{ access?: string; rest?: string }>().create();
    const base = t.procedure.meta({ access: "signed-in" });
    const input = z.object({ id: z.string() });
    const output = z.object({ ok: z.boolean() });
    const router = t.router({
      plain: t.procedure.query(() => 1),
      nested: t.router({
        change: base
          .meta({ rest: "PATCH /x" })
          .input(input)
          .output(output)
          .mutation(() => ({ ok: true })),
      }),
    });
    const listed = routerProcedures<{ access?: string; rest?: string }>(router);
    expect(listed, MODULE).toEqual([
      { path: "plain", type: "query", meta: undefined, input: undefined, output: undefined },
      { path: "nested.change", type: "mutation", meta: { access: "signed-in", rest: "PATCH /x" }, input, output },
    ]);
  });

  it("finds every procedure of the application's router", () => {
    const paths = routerProcedures(appRouter).map((procedure) => procedure.path);
    expect(paths).toContain("auth.me");
    expect(paths).toContain("auth.twoFactor.setup");
    expect(paths).toContain("admin.listUsers");
  });
});
