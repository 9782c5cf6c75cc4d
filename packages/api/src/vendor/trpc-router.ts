// Everything this codebase reads from inside tRPC, and nothing else does. tRPC has no public way to
// list a router's procedures with their kind, meta and schemas (the REST API and its OpenAPI
// document are generated from them; trpc-to-openapi reads the same fields), to tell whether a path
// names a query, or to read the configuration (error formatter, transformer) its own adapters
// answer with. These read the router's `_def`, which tRPC marks internal. Checked against
// @trpc/server 11.22.1: `_def.procedures` is a flat record keyed by dotted path, each procedure's
// `_def` holds `type`, `meta`, `inputs` (the input parsers, in order) and `output`, and
// `_def._config` the root configuration. test/vendor-trpc-router.test.ts fails, naming this
// module, when an upgrade changes any of it.
import type { AnyTRPCRootTypes, AnyTRPCRouter, TRPCRootConfig } from "@trpc/server";

export const CHECKED_TRPC_VERSION = "11.22.1";
const MODULE = "packages/api/src/vendor/trpc-router.ts";

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

/** A change of tRPC that this module does not know: named, so that the upgrade is easy to locate. */
export class TrpcInternalsChanged extends Error {
  constructor(what: string) {
    super(
      `${MODULE}: @trpc/server no longer has ${what} as in ${CHECKED_TRPC_VERSION}; re-check this module against the installed version`,
    );
    this.name = "TrpcInternalsChanged";
  }
}

type ProcedureDef = { type?: unknown; meta?: unknown; inputs?: unknown; output?: unknown };
type RouterInternals = {
  procedures: Record<string, { _def: Required<ProcedureDef> }>;
  _config: TRPCRootConfig<AnyTRPCRootTypes>;
};

const checked = new WeakMap<AnyTRPCRouter, RouterInternals>();

/** The router's internals, checked once per router for the shape this module relies on. */
function internalsOf(router: AnyTRPCRouter): RouterInternals {
  const known = checked.get(router);
  if (known) return known;
  const def = (router as unknown as { _def?: { procedures?: unknown; _config?: unknown } })._def;
  const record = def?.procedures;
  if (!record || typeof record !== "object") throw new TrpcInternalsChanged("router._def.procedures");
  const config = def._config as Partial<TRPCRootConfig<AnyTRPCRootTypes>> | undefined;
  if (typeof config?.errorFormatter !== "function" || typeof config.transformer?.output?.serialize !== "function") {
    throw new TrpcInternalsChanged("router._def._config");
  }
  for (const [path, procedure] of Object.entries(record as Record<string, { _def?: ProcedureDef }>)) {
    const type = procedure?._def?.type;
    if (type !== "query" && type !== "mutation" && type !== "subscription") {
      throw new TrpcInternalsChanged(`procedure._def.type (at ${path})`);
    }
    if (!Array.isArray(procedure._def?.inputs)) throw new TrpcInternalsChanged(`procedure._def.inputs (at ${path})`);
  }
  const internals = def as RouterInternals;
  checked.set(router, internals);
  return internals;
}

/** Every procedure of `router`, in the order the router declares them. */
export function routerProcedures<Meta>(router: AnyTRPCRouter): ProcedureEntry<Meta>[] {
  return Object.entries(internalsOf(router).procedures).map(([path, { _def: def }]) => ({
    path,
    type: def.type as ProcedureEntry<Meta>["type"],
    meta: def.meta as Meta | undefined,
    input: (def.inputs as unknown[])[0],
    output: def.output,
  }));
}

/** Whether `path` names a query of the router (not a mutation, subscription, or nothing). */
export function isQueryPath(router: AnyTRPCRouter, path: string): boolean {
  const { procedures } = internalsOf(router);
  return Object.hasOwn(procedures, path) && procedures[path]!._def.type === "query";
}

/** The router's configuration, as tRPC's `getErrorShape` and `transformTRPCResponse` take it. */
export function routerConfig(router: AnyTRPCRouter): TRPCRootConfig<AnyTRPCRootTypes> {
  return internalsOf(router)._config;
}
