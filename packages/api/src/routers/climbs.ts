import { z } from "zod";
import { apiError, fieldError, NOTHING_TO_UPDATE, said } from "../errors";
import { containsInsensitive, type Prisma } from "@mastoc/db";
import { climbCreateInput, climbUpdateInput, idInput, idPrefixInput, listClimbsInput, statsInput } from "../schemas";
import { canManageClimb } from "../permissions";
import { paged, pageWindow } from "../pagination";
import { gradeRange } from "../grades";
import { climbIdMatchSelect, climbSelect } from "../selects";
import { auditRequest } from "../services/audit";
import { ID_PREFIX_MATCHES, idStartsWith } from "../services/id-prefix";
import { climbStats } from "../services/stats";
import type { Context } from "../context";
import { capabilityProcedure, protectedProcedure, router } from "../trpc";
import { climbIdMatchOutput, climbOutput, climbStatsOutput, pageOutput, successOutput } from "../outputs";

async function climbFor(ctx: Context & { user: NonNullable<Context["user"]> }, id: string) {
  const climb = await ctx.db.climb.findUnique({ where: { id }, select: { id: true, createdById: true, name: true } });
  if (!climb) throw apiError("NOT_FOUND", said("notFound.climb"));
  if (!canManageClimb({ id: ctx.user.id, role: ctx.user.role }, climb.createdById)) {
    throw apiError("FORBIDDEN", said("permission.climbOwner"));
  }
  return climb;
}

const audit = (ctx: Context, action: string, climbId: string, changes?: Prisma.InputJsonValue) =>
  auditRequest(ctx, action, { type: "climb", id: climbId }, changes);

export const climbsRouter = router({
  list: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/climbs",
        tag: "climbs",
        summary: "Search and list climbs",
        input: "query",
        status: 200,
        rename: { search: "query" },
      },
    })
    .input(listClimbsInput)
    .output(pageOutput(climbOutput))
    .query(async ({ ctx, input }) => {
      const range = input.gradeFrom || input.gradeTo ? gradeRange(input.gradeFrom, input.gradeTo) : null;
      if (range && "error" in range) throw fieldError(range.field, said(range.reason));
      const where: Prisma.ClimbWhereInput = {
        ...(input.creatorId ? { createdById: input.creatorId } : {}),
        ...(input.grade ? { grade: input.grade } : {}),
        ...(range ? { AND: [{ grade: { in: range.grades } }] } : {}),
        ...(input.query
          ? {
              OR: [
                { name: containsInsensitive(ctx.db, input.query) },
                { description: containsInsensitive(ctx.db, input.query) },
              ],
            }
          : {}),
      };
      return paged(
        input,
        ctx.db.climb.findMany({
          where,
          select: climbSelect,
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          ...pageWindow(input),
        }),
        ctx.db.climb.count({ where }),
      );
    }),

  /** The catalogue dashboard's figures for the last `days` UTC days: size, and daily additions, edits and deletions. */
  stats: capabilityProcedure("stats.climbs")
    .meta({
      rest: {
        method: "GET",
        path: "/climbs/stats",
        tag: "climbs",
        summary: "Catalogue figures for the dashboard (moderators and administrators)",
        description:
          "For the last `days` UTC days (default 30, at most 365): the number of climbs, and one entry per day with the climbs created, updated and deleted.",
        input: "query",
        status: 200,
      },
    })
    .input(statsInput)
    .output(climbStatsOutput)
    .query(({ ctx, input }) => climbStats(ctx.db, input.days)),

  byId: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/climbs/{id}",
        tag: "climbs",
        summary: "One climb",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(climbOutput)
    .query(async ({ ctx, input }) => {
      const climb = await ctx.db.climb.findUnique({ where: { id: input.id }, select: climbSelect });
      if (!climb) throw apiError("NOT_FOUND", said("notFound.climb"));
      return climb;
    }),

  /** The climbs whose ID starts with `prefix` (at most 10), for clients that accept short IDs. */
  byIdPrefix: protectedProcedure
    .input(idPrefixInput)
    .output(z.array(climbIdMatchOutput))
    .query(({ ctx, input }) =>
      ctx.db.climb.findMany({
        where: { id: idStartsWith(input.prefix) },
        select: climbIdMatchSelect,
        orderBy: { id: "asc" },
        take: ID_PREFIX_MATCHES,
      }),
    ),

  create: capabilityProcedure("climbs.create")
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "POST",
        path: "/climbs",
        tag: "climbs",
        summary: "Add a climb",
        input: "json",
        status: 201,
      },
    })
    .input(climbCreateInput)
    .output(climbOutput)
    .mutation(async ({ ctx, input }) => {
      const climb = await ctx.db.climb.create({
        data: { ...input, createdById: ctx.user.id, updatedById: ctx.user.id },
        select: climbSelect,
      });
      await audit(ctx, "climb.create", climb.id, { name: climb.name, grade: climb.grade });
      return climb;
    }),

  update: protectedProcedure
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "PATCH",
        path: "/climbs/{id}",
        tag: "climbs",
        summary: "Change a climb (its creator, moderators and administrators)",
        input: "json",
        status: 200,
      },
    })
    .input(climbUpdateInput)
    .output(climbOutput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...data } = input;
      await climbFor(ctx, id);
      if (Object.keys(data).length === 0) throw fieldError("_form", NOTHING_TO_UPDATE);
      const climb = await ctx.db.climb.update({
        where: { id },
        data: { ...data, updatedById: ctx.user.id },
        select: climbSelect,
      });
      await audit(ctx, "climb.update", id, data);
      return climb;
    }),

  delete: protectedProcedure
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "DELETE",
        path: "/climbs/{id}",
        tag: "climbs",
        summary: "Delete a climb (its creator, moderators and administrators)",
        input: "none",
        status: 204,
      },
    })
    .input(idInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      const climb = await climbFor(ctx, input.id);
      await ctx.db.climb.delete({ where: { id: input.id } });
      await audit(ctx, "climb.delete", input.id, { name: climb.name });
      return { success: true };
    }),
});
