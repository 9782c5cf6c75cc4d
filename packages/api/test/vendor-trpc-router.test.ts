// The one module that reads tRPC's internals (src/vendor/trpc-router.ts) is checked against the
// installed @trpc/server: an upgrade that changes what it relies on fails here, naming the module.
import { createRequire } from "node:module";
import { getErrorShape, initTRPC, TRPCError, transformTRPCResponse } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { appRouter } from "../src/root";
import {
  CHECKED_TRPC_VERSION,
  isQueryPath,
  routerConfig,
  routerProcedures,
  TrpcInternalsChanged,
} from "../src/vendor/trpc-router";

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

  it("tells queries from mutations and from names that are not procedures", () => {
    expect(isQueryPath(appRouter, "auth.me"), MODULE).toBe(true);
    expect(isQueryPath(appRouter, "auth.status"), MODULE).toBe(true);
    expect(isQueryPath(appRouter, "auth.login"), MODULE).toBe(false);
    for (const name of ["auth", "auth.nothing", "", "__proto__", "constructor", "toString", "auth.me.x"]) {
      expect(isQueryPath(appRouter, name), `${MODULE} (${JSON.stringify(name)})`).toBe(false);
    }
  });

  it("reads the configuration that tRPC's answers go through (error formatter, transformer)", () => {
    const config = routerConfig(appRouter);
    const shape = getErrorShape({
      config,
      error: new TRPCError({ code: "NOT_FOUND", message: "gone" }),
      type: "query",
      path: "auth.me",
      input: undefined,
      ctx: undefined,
    }) as { message: string; data: Record<string, unknown> };
    expect(shape.message, MODULE).toBe("gone");
    // This codebase's formatter (src/trpc.ts) adds fieldErrors and retryAfter to tRPC's shape.
    expect(shape.data, MODULE).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, path: "auth.me", retryAfter: null });
    const date = new Date(0);
    expect(transformTRPCResponse(config, { result: { data: { date } } }), MODULE).toEqual({
      result: { data: superjson.serialize({ date }) },
    });
  });

  it("refuses, naming itself, a router whose internals it does not know", () => {
    const changed = { _def: { record: {} } } as unknown as typeof appRouter;
    expect(() => routerProcedures(changed)).toThrow(TrpcInternalsChanged);
    expect(() => isQueryPath(changed, "auth.me")).toThrow(MODULE);
  });
});
