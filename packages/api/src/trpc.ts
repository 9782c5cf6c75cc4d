// The building blocks of every router; nothing else touches `t.procedure`.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { getConfig } from "./config";
import type { Context } from "./context";
import { apiError, errorDetails, fieldError, mapDatabaseError, RetryAfterCause, said } from "./errors";
import { malformedInput } from "./input-guard";
import { can, type Capability } from "./permissions";
import type { RestOperation } from "./rest/routes";

/**
 * What a procedure declares about itself, read by the REST API and its OpenAPI document. `access`
 * and `capability` are set by the building blocks below; a procedure adds its REST route and the
 * refusals its own rules can answer (beyond those its access, capability and input imply).
 */
export type ProcedureMeta = {
  /** `signed-in` from protectedProcedure on; `optional` for a public procedure whose answer depends on the credential. */
  access?: "optional" | "signed-in";
  capability?: Capability;
  errors?: TRPCError["code"][];
  rest?: RestOperation;
};

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error, ctx, input }) {
      // In the caller's language; without a context (it failed to build), in the server's default.
      const locale = ctx?.locale ?? getConfig().DEFAULT_LOCALE;
      const { message, fieldErrors: fields } = errorDetails(error, { locale, input });
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors: fields,
          retryAfter: error.cause instanceof RetryAfterCause ? error.cause.retryAfterSeconds : null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Infrastructure errors callers can cause (duplicates, missing rows) become precise tRPC errors. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = mapDatabaseError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/** Refuses malformed text anywhere in the raw input with a 400 naming the field, before any schema or query sees it. */
const wellFormedInput = t.middleware(async ({ getRawInput, next }) => {
  const found = malformedInput(await getRawInput());
  if (found) throw fieldError(found.field, said(found.reason, found.values));
  return next();
});

export const publicProcedure = t.procedure.use(mapErrors).use(wellFormedInput);

/**
 * For procedures that cost a password hash (or similar work): refused inside a batch, so that one
 * HTTP request can never buy more than one of them.
 */
export const unbatched = t.middleware(({ ctx, path, next }) => {
  if (ctx.batchSize > 1) {
    throw apiError("BAD_REQUEST", said("auth.unbatched", { path }));
  }
  return next();
});

export const protectedProcedure = publicProcedure.meta({ access: "signed-in" }).use(({ ctx, next }) => {
  if (!ctx.user) {
    throw apiError("UNAUTHORIZED", ctx.authError ?? said("auth.signInToContinue"));
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** A procedure open to the roles that hold `capability` in the permission table; others get FORBIDDEN. */
export function capabilityProcedure(capability: Capability) {
  // What every account may do needs no second factor, even with REQUIRE_ADMIN_2FA.
  const everyone = can("USER", capability);
  return protectedProcedure.meta({ capability }).use(async ({ ctx, next }) => {
    if (!can(ctx.user.role, capability)) {
      throw apiError("FORBIDDEN", said("permission.forbidden"));
    }
    if (!everyone && ctx.user.role === "ADMIN" && ctx.config.REQUIRE_ADMIN_2FA && !(await hasSecondFactor(ctx))) {
      throw apiError("FORBIDDEN", said("auth.adminSecondFactorRequired"));
    }
    return next();
  });
}

/** The refusal of an administrator's powers while REQUIRE_ADMIN_2FA holds and they have no second factor. */
export const ADMIN_SECOND_FACTOR_REQUIRED = said("auth.adminSecondFactorRequired")("en");

/** Whether the caller's account has two-factor authentication or a passkey (one statement). */
export async function hasSecondFactor(ctx: Pick<Context, "db"> & { user: { id: string } }): Promise<boolean> {
  const found = await ctx.db.user.findFirst({
    where: { id: ctx.user.id, OR: [{ twoFactorEnabledAt: { not: null } }, { passkeys: { some: {} } }] },
    select: { id: true },
  });
  return found !== null;
}

export const moderatorProcedure = capabilityProcedure("users.read");
export const adminProcedure = capabilityProcedure("users.manage");
