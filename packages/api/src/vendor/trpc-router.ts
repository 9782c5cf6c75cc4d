// tRPC has no public way to list a router's procedures with their kind, meta and schemas, which the
// REST API and its OpenAPI document are generated from (trpc-to-openapi reads the same fields).
// This module is the only place that reads them. Checked against @trpc/server 11.22.1: a router's
// `_def.procedures` is a flat record keyed by dotted path, and each procedure's `_def` holds `type`,
// `meta`, `inputs` (the input parsers, in order) and `output`. test/vendor-trpc-router.test.ts
// fails, naming this module, when an upgrade changes any of it.
import type { AnyTRPCRouter } from "@trpc/server";

export const CHECKED_TRPC_VERSION = "11.22.1";

export type ProcedureEntry<Meta> = {
  /** Dotted path, e.g. `auth.twoFactor.setup`. */
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta | undefined;
  /** The first input parser (a zod schema here), if the procedure takes input. */
  input: unknown;
  /** The output parser, if the procedure declares one. */
  output: unknown;
};

export class TrpcInternalsChanged extends Error {
  constructor(what: string) {
    super(
      `packages/api/src/vendor/trpc-router.ts: @trpc/server no longer has ${what} as in ${CHECKED_TRPC_VERSION}; re-check this module against the installed version`,
    );
  }
}

type ProcedureDef = { type?: unknown; meta?: unknown; inputs?: unknown; output?: unknown };

/** Every procedure of `router`, in the order the router declares them. */
export function routerProcedures<Meta>(router: AnyTRPCRouter): ProcedureEntry<Meta>[] {
  const record = (router as unknown as { _def?: { procedures?: unknown } })._def?.procedures;
  if (!record || typeof record !== "object") throw new TrpcInternalsChanged("router._def.procedures");
  return Object.entries(record as Record<string, { _def?: ProcedureDef }>).map(([path, procedure]) => {
    const def = procedure?._def;
    if (!def || (def.type !== "query" && def.type !== "mutation" && def.type !== "subscription")) {
      throw new TrpcInternalsChanged(`procedure._def.type (at ${path})`);
    }
    if (!Array.isArray(def.inputs)) throw new TrpcInternalsChanged(`procedure._def.inputs (at ${path})`);
    return { path, type: def.type, meta: def.meta as Meta | undefined, input: def.inputs[0], output: def.output };
  });
}
