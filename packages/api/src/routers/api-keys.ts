import { apiKeyCreateInput, idInput, listApiKeysInput } from "../schemas";
import { can } from "../permissions";
import { apiKeySelect } from "../selects";
import { API_KEY_PREFIX } from "../services/api-keys";
import { auditRequest } from "../services/audit";
import { randomToken, sha256 } from "../services/tokens";
import { capabilityProcedure, router } from "../trpc";
import { z } from "zod";
import { apiKeyOutput, createdApiKeyOutput, successOutput } from "../outputs";
import { providerOf } from "@mastoc/db";
import { apiError, said } from "../errors";

const MAX_ACTIVE_KEYS = 25;

/**
 * Keys are managed with a password-backed credential (web session or access token): a key cannot
 * mint or list keys, so a leaked key cannot make itself outlive its revocation.
 */
const keyManagement = capabilityProcedure("profile.manageOwn").use(({ ctx, next }) => {
  if (ctx.via === "apiKey") {
    throw apiError("FORBIDDEN", said("permission.apiKeysCannotManage"));
  }
  return next();
});

export const apiKeysRouter = router({
  /** The key is in this response only; the server keeps its SHA-256 hash. */
  create: keyManagement
    .meta({
      errors: ["FORBIDDEN", "CONFLICT"],
      rest: {
        method: "POST",
        path: "/api-keys",
        tag: "api-keys",
        summary: "Create an API key (shown in this response only)",
        input: "json",
        status: 201,
      },
    })
    .input(apiKeyCreateInput)
    .output(createdApiKeyOutput)
    .mutation(async ({ ctx, input }) => {
      const key = randomToken(API_KEY_PREFIX);
      const userId = ctx.user.id;
      // Counted and created in one transaction that holds the account's lock (PostgreSQL: an
      // advisory lock; SQLite runs one write transaction at a time): concurrent creations cannot
      // both see room for one more key.
      const created = await ctx.db.$transaction(async (tx) => {
        if (providerOf(ctx.db) === "postgresql") {
          await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`api-keys:${userId}`}, 0))`;
        }
        const active = await tx.apiKey.count({ where: { userId, revokedAt: null } });
        if (active >= MAX_ACTIVE_KEYS) {
          throw apiError("CONFLICT", said("conflict.apiKeyLimit", { max: MAX_ACTIVE_KEYS }));
        }
        return tx.apiKey.create({
          data: {
            userId,
            name: input.name,
            prefix: key.slice(0, API_KEY_PREFIX.length + 6),
            keyHash: sha256(key),
            expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000) : null,
          },
          select: apiKeySelect,
        });
      });
      await auditRequest(
        ctx,
        "apikey.create",
        { type: "apiKey", id: created.id },
        { name: created.name, expiresAt: created.expiresAt?.toISOString() ?? null },
      );
      return { ...created, key };
    }),

  /** The caller's keys; an administrator may name another user. */
  list: keyManagement
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "GET",
        path: "/api-keys",
        tag: "api-keys",
        summary: "The caller's API keys (administrators may name another user)",
        description: "Keys are managed with a signed-in session or access token, never with an API key.",
        input: "query",
        status: 200,
      },
    })
    .input(listApiKeysInput)
    .output(z.array(apiKeyOutput))
    .query(async ({ ctx, input }) => {
      const userId = input?.userId ?? ctx.user.id;
      if (userId !== ctx.user.id && !can(ctx.user.role, "apiKeys.manageAny")) {
        throw apiError("FORBIDDEN", said("permission.ownApiKeysOnly"));
      }
      return ctx.db.apiKey.findMany({ where: { userId }, select: apiKeySelect, orderBy: { createdAt: "desc" } });
    }),

  revoke: keyManagement
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "DELETE",
        path: "/api-keys/{id}",
        tag: "api-keys",
        summary: "Revoke an API key",
        input: "none",
        status: 204,
      },
    })
    .input(idInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      const key = await ctx.db.apiKey.findUnique({
        where: { id: input.id },
        select: { id: true, userId: true, revokedAt: true },
      });
      const mayManage = key && (key.userId === ctx.user.id || can(ctx.user.role, "apiKeys.manageAny"));
      if (!key || !mayManage) throw apiError("NOT_FOUND", said("notFound.apiKey"));
      if (!key.revokedAt) {
        await ctx.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
        await auditRequest(ctx, "apikey.revoke", { type: "apiKey", id: key.id }, { owner: key.userId });
      }
      return { success: true };
    }),
});
