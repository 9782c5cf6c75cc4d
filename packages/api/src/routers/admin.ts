import { z } from "zod";
import { apiError, fieldError, NOTHING_TO_UPDATE, said, type ErrorKey } from "../errors";
import type { Prisma } from "@mastoc/db";
import {
  adminRevokeSessionInput,
  adminUpdateUserInput,
  idInput,
  idPrefixInput,
  listUsersInput,
  setRoleInput,
  statsInput,
} from "../schemas";
import { canSetActive } from "../permissions";
import { adminUserSelect, sessionSelect, userIdMatchSelect } from "../selects";
import { clearTwoFactor, sendTwoFactorNotice } from "../services/two-factor";
import { changeKeepingAnAdmin } from "../services/admins";
import { auditRequest } from "../services/audit";
import { ID_PREFIX_MATCHES, idStartsWith } from "../services/id-prefix";
import { revokeSession, revokeUserSessions, type SessionKind } from "../services/sessions";
import { securityActivity } from "../services/security-activity";
import { securityStats } from "../services/stats";
import { searchUsers } from "../services/user-search";
import type { Context } from "../context";
import { adminProcedure, capabilityProcedure, moderatorProcedure, router } from "../trpc";
import {
  adminUserDetailOutput,
  adminUserOutput,
  adminUserPageOutput,
  securityEventOutput,
  securityStatsOutput,
  sessionOutput,
  successOutput,
  userIdMatchOutput,
} from "../outputs";

async function findTarget(ctx: Context, id: string) {
  const user = await ctx.db.user.findUnique({
    where: { id },
    select: { id: true, role: true, isActive: true, email: true, locale: true, timeZone: true },
  });
  if (!user) throw apiError("NOT_FOUND", said("notFound.user"));
  return user;
}

function notSelf(ctx: { user: { id: string } }, id: string, refusal: ErrorKey) {
  if (ctx.user.id === id) throw apiError("FORBIDDEN", said(refusal));
}

const audit = (ctx: Context, action: string, targetId: string, changes?: Prisma.InputJsonValue) =>
  auditRequest(ctx, action, { type: "user", id: targetId }, changes);

/** Applies `data` to an existing user and audits it as `action`. */
async function updateTarget(ctx: Context, id: string, data: Prisma.UserUpdateInput, action: string) {
  await findTarget(ctx, id);
  const user = await ctx.db.user.update({ where: { id }, data, select: adminUserSelect });
  await audit(ctx, action, id);
  return user;
}

const setActiveProcedure = capabilityProcedure("users.setActive").input(idInput).output(adminUserOutput);

async function setActive(ctx: Context & { user: NonNullable<Context["user"]> }, id: string, isActive: boolean) {
  notSelf(ctx, id, "self.activation");
  const target = await findTarget(ctx, id);
  if (!canSetActive(ctx.user.role, target.role)) {
    throw apiError("FORBIDDEN", said("permission.moderatorsUsersOnly"));
  }
  const user = await changeKeepingAnAdmin(ctx.db, (tx) =>
    tx.user.update({ where: { id }, data: { isActive }, select: adminUserSelect }),
  );
  if (!isActive) await revokeUserSessions(ctx.db, id, "deactivated");
  await audit(ctx, isActive ? "admin.user.activate" : "admin.user.deactivate", id, { isActive });
  return user;
}

export const adminRouter = router({
  listUsers: moderatorProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/admin/users",
        tag: "admin",
        summary: "Search and list users",
        input: "query",
        status: 200,
        rename: { search: "query" },
      },
    })
    .input(listUsersInput)
    .output(adminUserPageOutput)
    .query(async ({ ctx, input }) => {
      const { ids, total, totalEstimated } = await searchUsers(ctx.db, input);
      const rows = await ctx.db.user.findMany({ where: { id: { in: ids } }, select: adminUserSelect });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return {
        // An account deleted between the two reads is left out.
        items: ids.flatMap((id) => byId.get(id) ?? []),
        total,
        totalEstimated,
        page: input.page,
        pageSize: input.pageSize,
        pageCount: Math.max(1, Math.ceil(total / input.pageSize)),
      };
    }),

  /** The accounts whose ID starts with `prefix` (at most 10), for clients that accept short IDs. */
  usersByIdPrefix: moderatorProcedure
    .input(idPrefixInput)
    .output(z.array(userIdMatchOutput))
    .query(({ ctx, input }) =>
      ctx.db.user.findMany({
        where: { id: idStartsWith(input.prefix) },
        select: userIdMatchSelect,
        orderBy: { id: "asc" },
        take: ID_PREFIX_MATCHES,
      }),
    ),

  getUser: moderatorProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/admin/users/{id}",
        tag: "admin",
        summary: "One user's account, with their active session count",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(adminUserDetailOutput)
    .query(async ({ ctx, input }) => {
      const user = await ctx.db.user.findUnique({ where: { id: input.id }, select: adminUserSelect });
      if (!user) throw apiError("NOT_FOUND", said("notFound.user"));
      const activeSessions = await ctx.db.authSession.count({
        where: { userId: input.id, revokedAt: null, expiresAt: { gt: new Date() } },
      });
      return { ...user, activeSessions };
    }),

  /** A user's active sessions, most recently used first (`current` is always false here). */
  userSessions: adminProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/admin/users/{id}/sessions",
        tag: "admin",
        summary: "A user's active sessions, most recently used first",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(z.array(sessionOutput))
    .query(async ({ ctx, input }) => {
      await findTarget(ctx, input.id);
      const sessions = await ctx.db.authSession.findMany({
        where: { userId: input.id, revokedAt: null, expiresAt: { gt: new Date() } },
        select: sessionSelect,
        orderBy: { lastUsedAt: "desc" },
      });
      return sessions.map((session) => ({ ...session, kind: session.kind as SessionKind, current: false }));
    }),

  /** Signs out one session of a user (not one's own: use auth.revokeSession for that). */
  revokeUserSession: adminProcedure
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "DELETE",
        path: "/admin/users/{userId}/sessions/{sessionId}",
        tag: "admin",
        summary: "Sign out one session of another user",
        input: "none",
        status: 204,
      },
    })
    .input(adminRevokeSessionInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      notSelf(ctx, input.userId, "self.sessions");
      const session = await ctx.db.authSession.findFirst({
        where: { id: input.sessionId, userId: input.userId, revokedAt: null },
        select: { id: true },
      });
      if (!session || !(await revokeSession(ctx.db, session.id, "revoked_by_admin"))) {
        throw apiError("NOT_FOUND", said("notFound.session"));
      }
      await audit(ctx, "admin.user.session_revoke", input.userId, { session: session.id });
      return { success: true };
    }),

  /** A user's last 30 security events, as they see them on their own settings page. */
  userSecurityActivity: adminProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/admin/users/{id}/security-activity",
        tag: "admin",
        summary: "A user's last 30 security events, as they see them",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(z.array(securityEventOutput))
    .query(async ({ ctx, input }) => {
      await findTarget(ctx, input.id);
      return securityActivity(ctx.db, input.id, ctx.locale);
    }),

  updateUser: adminProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "PATCH",
        path: "/admin/users/{id}",
        tag: "admin",
        summary: "Change a user's email, username or names",
        input: "json",
        status: 200,
      },
    })
    .input(adminUpdateUserInput)
    .output(adminUserOutput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...data } = input;
      const target = await findTarget(ctx, id);
      if (Object.keys(data).length === 0) throw fieldError("_form", NOTHING_TO_UPDATE);
      // A new address has not been verified yet.
      const emailChanged = data.email !== undefined && data.email !== target.email;
      const user = await ctx.db.user.update({
        where: { id },
        data: { ...data, ...(emailChanged ? { emailVerified: null } : {}) },
        select: adminUserSelect,
      });
      await audit(ctx, "admin.user.update", id, data);
      return user;
    }),

  setRole: adminProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "PUT",
        path: "/admin/users/{id}/role",
        tag: "admin",
        summary: "Set a user's role (never demoting the last administrator)",
        input: "json",
        status: 200,
      },
    })
    .input(setRoleInput)
    .output(adminUserOutput)
    .mutation(async ({ ctx, input }) => {
      notSelf(ctx, input.id, "self.role");
      const target = await findTarget(ctx, input.id);
      if (target.role === input.role)
        return ctx.db.user.findUniqueOrThrow({ where: { id: input.id }, select: adminUserSelect });
      const user = await changeKeepingAnAdmin(ctx.db, (tx) =>
        tx.user.update({ where: { id: input.id }, data: { role: input.role }, select: adminUserSelect }),
      );
      await audit(ctx, "admin.user.role", input.id, { from: target.role, to: input.role });
      return user;
    }),

  activate: setActiveProcedure
    .meta({
      rest: {
        method: "PUT",
        path: "/admin/users/{id}/activate",
        tag: "admin",
        summary: "Reactivate an account",
        input: "none",
        status: 200,
      },
    })
    .mutation(({ ctx, input }) => setActive(ctx, input.id, true)),
  deactivate: setActiveProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "PUT",
        path: "/admin/users/{id}/deactivate",
        tag: "admin",
        summary: "Deactivate an account: its sessions end at once",
        input: "none",
        status: 200,
      },
    })
    .mutation(({ ctx, input }) => setActive(ctx, input.id, false)),

  /** Lifts a brute-force lock and clears the failure counter. */
  unlock: adminProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/admin/users/{id}/unlock",
        tag: "admin",
        summary: "Lift a lock after repeated failed sign-ins",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(adminUserOutput)
    .mutation(({ ctx, input }) =>
      updateTarget(
        ctx,
        input.id,
        { lockedUntil: null, failedLoginCount: 0, lastFailedLoginAt: null },
        "admin.user.unlock",
      ),
    ),

  verifyEmail: adminProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/admin/users/{id}/verify-email",
        tag: "admin",
        summary: "Mark a user's email as verified",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(adminUserOutput)
    .mutation(({ ctx, input }) =>
      updateTarget(ctx, input.id, { emailVerified: new Date() }, "admin.user.verify_email"),
    ),

  /** Turns off a user's two-factor authentication (lost device and codes); signs out their sessions. */
  resetTwoFactor: adminProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "POST",
        path: "/admin/users/{id}/reset-2fa",
        tag: "admin",
        summary: "Turn off a user's two-factor authentication",
        description:
          "For a user who lost their authenticator and recovery codes: their sessions are signed out and they are mailed.",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(adminUserOutput)
    .mutation(async ({ ctx, input }) => {
      // Turning one's own off takes the password and a code (auth.twoFactor.disable), not a role.
      notSelf(ctx, input.id, "self.twoFactor");
      const target = await findTarget(ctx, input.id);
      if (!(await clearTwoFactor(ctx.db, input.id))) {
        throw apiError("CONFLICT", said("twoFactor.notUsed"));
      }
      const revoked = await revokeUserSessions(ctx.db, input.id, "2fa_reset");
      await audit(ctx, "admin.user.reset_2fa", input.id, { sessionsRevoked: revoked });
      sendTwoFactorNotice(ctx.config, target, "reset");
      return ctx.db.user.findUniqueOrThrow({ where: { id: input.id }, select: adminUserSelect });
    }),

  /**
   * The security dashboard's figures for the last `days` UTC days (default 30, at most 365):
   * account totals, daily sign-ins, failures, lockouts, registrations and password resets, and the
   * addresses with the most failed sign-ins in the last 24 hours. Grouped in the database.
   */
  stats: capabilityProcedure("stats.security")
    .meta({
      rest: {
        method: "GET",
        path: "/admin/stats",
        tag: "admin",
        summary: "Security figures for the dashboard (administrators)",
        description:
          "For the last `days` UTC days (default 30, at most 365), today included: account totals, one entry per day with sign-ins, failed sign-ins, lockouts, registrations and password resets, and the 10 addresses with the most failed sign-ins in the last 24 hours.",
        input: "query",
        status: 200,
      },
    })
    .input(statsInput)
    .output(securityStatsOutput)
    .query(({ ctx, input }) => securityStats(ctx.db, input.days)),

  deleteUser: adminProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "DELETE",
        path: "/admin/users/{id}",
        tag: "admin",
        summary: "Delete a user (never the last administrator)",
        input: "none",
        status: 204,
      },
    })
    .input(idInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      notSelf(ctx, input.id, "self.delete");
      const target = await findTarget(ctx, input.id);
      await changeKeepingAnAdmin(ctx.db, (tx) => tx.user.delete({ where: { id: input.id }, select: { id: true } }));
      await audit(ctx, "admin.user.delete", input.id, { email: target.email, role: target.role });
      return { success: true };
    }),
});
