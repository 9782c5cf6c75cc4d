import {
  changePasswordInput,
  confirmPasswordResetInput,
  emailTokenInput,
  idInput,
  loginInput,
  logoutInput,
  passwordStrengthInput,
  refreshInput,
  registerInput,
  requestPasswordResetInput,
  twoFactorConfirmInput,
  twoFactorEnableInput,
  twoFactorSetupInput,
  verifyMfaInput,
} from "../schemas";
import { apiError, fieldError, said, tooManyRequests } from "../errors";
import { selfUserSelect, sessionSelect, toSelfView } from "../selects";
import { auditRequest, recordAudit } from "../services/audit";
import { confirmPassword } from "../services/credentials";
import {
  claimLinkBudget,
  confirmEmailToken,
  sendPasswordResetLink,
  sendVerificationLink,
  usePasswordResetLink,
} from "../services/email-tokens";
import { completeSecondFactor, signIn, type SignInResult } from "../services/sign-in";
import { placeOf } from "../services/sign-in-places";
import {
  beginSetup,
  clearTwoFactor,
  confirmSecondFactor,
  enableTwoFactor,
  regenerateRecoveryCodes,
  sendTwoFactorNotice,
  twoFactorStatus,
} from "../services/two-factor";
import { composeMail, sendMailInBackground, type Recipient } from "../services/mail";
import { assertPasswordPolicy, hashPassword, passwordStrength } from "../services/passwords";
import { countEvent, secondsUntil } from "../services/rate-limit";
import {
  issueTokens,
  revokeSession,
  revokeUserSessions,
  rotateRefreshToken,
  type SessionKind,
} from "../services/sessions";
import { sha256 } from "../services/tokens";
import type { Context } from "../context";
import { protectedProcedure, publicProcedure, router, unbatched } from "../trpc";
import { meProcedure } from "./users";
import { z } from "zod";
import {
  loginOutput,
  passwordStrengthOutput,
  recoveryCodesOutput,
  selfUserOutput,
  sessionOutput,
  statusOutput,
  successOutput,
  tokenOutput,
  twoFactorSetupOutput,
  twoFactorStatusOutput,
} from "../outputs";

const HOUR = 3600;
const RESET_REQUESTS_PER_IP = 20;
const RESET_ANSWER = said("auth.resetAnswer");

/** The token response of a completed sign-in: access and refresh tokens, and the self view. */
async function tokenResponse(ctx: Context, signedIn: Extract<SignInResult, { status: "signed-in" }>) {
  const tokens = await issueTokens(ctx.db, ctx.config, signedIn.user, signedIn.session.id);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: signedIn.user.id }, select: selfUserSelect });
  return { ...tokens, user: toSelfView(user) };
}

/** The password and a second factor (a TOTP or recovery code) of the signed-in caller. */
async function confirmPasswordAndCode(
  ctx: Context & { user: { id: string } },
  input: { password: string; code: string },
) {
  await confirmPassword(ctx.db, ctx.config, ctx.user.id, input.password, "password");
  await confirmSecondFactor(ctx.db, ctx.config, ctx.user.id, input.code);
}

/** Two-factor authentication of the signed-in account (see services/two-factor.ts). */
const twoFactorRouter = router({
  status: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/auth/2fa",
        tag: "auth",
        summary: "Whether two-factor authentication is on, and recovery codes left",
        input: "none",
        status: 200,
      },
    })
    .output(twoFactorStatusOutput)
    .query(({ ctx }) => twoFactorStatus(ctx.db, ctx.user.id)),

  /** A new secret (base32, otpauth URI, QR code), pending until `enable` confirms a code from it. */
  setup: protectedProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/2fa/setup",
        tag: "auth",
        summary: "Start enrolling an authenticator app",
        description:
          "Confirms the password and answers a new secret (base32, otpauth URI and an SVG QR code), pending until `POST /auth/2fa/enable` confirms a code from it.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(twoFactorSetupInput)
    .output(twoFactorSetupOutput)
    .mutation(async ({ ctx, input }) => {
      await confirmPassword(ctx.db, ctx.config, ctx.user.id, input.password, "password");
      const setup = await beginSetup(ctx.db, ctx.config, ctx.user);
      await auditRequest(ctx, "auth.2fa.setup", { type: "user", id: ctx.user.id });
      return setup;
    }),

  /** Turns two-factor authentication on with a code of the pending secret; answers 10 recovery codes, once. */
  enable: protectedProcedure
    .meta({
      errors: ["CONFLICT", "PRECONDITION_FAILED", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/2fa/enable",
        tag: "auth",
        summary: "Turn two-factor authentication on",
        description: "With a code of the pending secret. Answers 10 single-use recovery codes, shown this once.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(twoFactorEnableInput)
    .output(recoveryCodesOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await enableTwoFactor(ctx.db, ctx.config, ctx.user.id, input.code);
      await auditRequest(ctx, "auth.2fa.enable", { type: "user", id: ctx.user.id });
      sendTwoFactorNotice(ctx.config, ctx.user, "enabled");
      return result;
    }),

  /** Turns it off (password and a code, or a recovery code); the account's other sessions are signed out. */
  disable: protectedProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/2fa/disable",
        tag: "auth",
        summary: "Turn two-factor authentication off",
        description: "With the password and a code (or a recovery code). The account's other sessions are signed out.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(twoFactorConfirmInput)
    .output(z.object({ success: z.literal(true), otherSessionsRevoked: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await confirmPasswordAndCode(ctx, input);
      await clearTwoFactor(ctx.db, ctx.user.id);
      const revoked = await revokeUserSessions(ctx.db, ctx.user.id, "2fa_disabled", ctx.session?.id ?? null);
      await auditRequest(ctx, "auth.2fa.disable", { type: "user", id: ctx.user.id }, { sessionsRevoked: revoked });
      sendTwoFactorNotice(ctx.config, ctx.user, "disabled");
      return { success: true, otherSessionsRevoked: revoked };
    }),

  /** Replaces the recovery codes (password and a code, or a recovery code); the old ones stop working. */
  regenerateRecoveryCodes: protectedProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/2fa/recovery-codes",
        tag: "auth",
        summary: "Replace the recovery codes",
        description: "With the password and a code (or a recovery code). The previous codes stop working.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(twoFactorConfirmInput)
    .output(recoveryCodesOutput)
    .mutation(async ({ ctx, input }) => {
      await confirmPasswordAndCode(ctx, input);
      const result = await regenerateRecoveryCodes(ctx.db, ctx.config, ctx.user.id);
      await auditRequest(ctx, "auth.2fa.recovery_codes", { type: "user", id: ctx.user.id });
      sendTwoFactorNotice(ctx.config, ctx.user, "regenerated");
      return result;
    }),
});

export const authRouter = router({
  /** Who is calling, if anyone: works with every credential and without one. */
  status: publicProcedure
    .meta({
      access: "optional",
      rest: {
        method: "GET",
        path: "/auth/status",
        tag: "auth",
        summary: "Whether the request is authenticated, and as whom",
        input: "none",
        status: 200,
      },
    })
    .output(statusOutput)
    .query(({ ctx }) => ({
      service: "mastoc-accounts",
      authenticated: ctx.user !== null,
      via: ctx.via,
      user: ctx.user && toSelfView(ctx.user),
    })),

  register: publicProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/register",
        tag: "auth",
        summary: "Create an account",
        description:
          "Then sign in with `POST /auth/login`. The password must be strong and not contain the email or username.",
        input: "json",
        status: 201,
      },
    })
    .use(unbatched)
    .input(registerInput)
    .output(selfUserOutput)
    .mutation(async ({ ctx, input }) => {
      const window = await countEvent(ctx.db, `register-ip:${ctx.ip ?? "unknown"}`, HOUR);
      if (window.count > ctx.config.MAX_REGISTRATIONS_PER_IP) {
        throw tooManyRequests(said("rateLimit.registrations"), secondsUntil(window.resetAt));
      }
      // A taken email or username is refused by the database's unique constraints (CONFLICT, naming the field).
      assertPasswordPolicy(input.password, input);
      const user = await ctx.db.user.create({
        data: {
          email: input.email,
          username: input.username,
          name: input.name ?? null,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
          // The language it was made in, so that its very first email is already in that language.
          locale: ctx.locale,
          passwordHash: await hashPassword(input.password, ctx.config.BCRYPT_COST),
          passwordChangedAt: new Date(),
          // Where the account was made is a known place: signing in from there is not news to its owner.
          signInPlaces: { create: { ...placeOf({ ip: ctx.ip, userAgent: ctx.userAgent }), lastSeenAt: new Date() } },
        },
        select: selfUserSelect,
      });
      await recordAudit(ctx.db, {
        action: "user.register",
        actor: user,
        targetType: "user",
        targetId: user.id,
        changes: { email: user.email, username: user.username },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await claimLinkBudget(ctx.db, user.id, "verify", true);
      await sendVerificationLink(ctx.db, ctx.config, user);
      return toSelfView(user);
    }),

  /**
   * Signs in with a password: the token response, or for an account with two-factor
   * authentication `{ mfa_required, mfa_token, expires_in }`, to complete with `verifyMfa`.
   */
  login: publicProcedure
    .meta({
      errors: ["UNAUTHORIZED", "FORBIDDEN", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/login",
        tag: "auth",
        summary: "Sign in with email (or username) and password",
        description:
          "Answers an OAuth 2 style token pair, or for an account with two-factor authentication `{ mfa_required: true, mfa_token, expires_in }`: then send the token with a code to `POST /auth/login/mfa` within 5 minutes. Failures are deliberately generic; repeated failures lock the account for a while.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await signIn(ctx.db, ctx.config, input, { ip: ctx.ip, userAgent: ctx.userAgent }, "token");
      if (result.status === "mfa-required") return { mfa_required: true as const, ...result.challenge };
      return tokenResponse(ctx, result);
    }),

  /** The second step of a two-factor sign-in: the mfa_token of `login` and a TOTP or recovery code. */
  verifyMfa: publicProcedure
    .meta({
      errors: ["UNAUTHORIZED", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/login/mfa",
        tag: "auth",
        summary: "Complete a two-factor sign-in with a code",
        description:
          "The `mfa_token` of `POST /auth/login` and a 6-digit TOTP code (or a recovery code). Answers the token pair. The token is single use, void after 5 wrong codes; wrong codes count toward the account's lockout.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(verifyMfaInput)
    .output(tokenOutput)
    .mutation(async ({ ctx, input }) => {
      const signedIn = await completeSecondFactor(
        ctx.db,
        ctx.config,
        { mfaToken: input.mfa_token, code: input.code },
        { ip: ctx.ip, userAgent: ctx.userAgent },
        "token",
      );
      return tokenResponse(ctx, signedIn);
    }),

  twoFactor: twoFactorRouter,

  refresh: publicProcedure
    .meta({
      errors: ["UNAUTHORIZED", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/refresh",
        tag: "auth",
        summary: "Exchange a refresh token for a new token pair",
        description:
          "Refresh tokens are single use: presenting one twice (after a short grace period) ends the session.",
        input: "json",
        status: 200,
      },
    })
    .input(refreshInput)
    .output(tokenOutput)
    .mutation(async ({ ctx, input }) => {
      const { userId, ...tokens } = await rotateRefreshToken(ctx.db, ctx.config, input.refresh_token, {
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      const user = await ctx.db.user.findUniqueOrThrow({ where: { id: userId }, select: selfUserSelect });
      return { ...tokens, user: toSelfView(user) };
    }),

  /** Ends the caller's session (or the session of the refresh token given): its tokens stop working at once. */
  logout: publicProcedure
    .meta({
      access: "optional",
      errors: ["UNAUTHORIZED"],
      rest: {
        method: "POST",
        path: "/auth/logout",
        tag: "auth",
        summary: "End the caller's session (or the session of the refresh token given)",
        input: "optional-json",
        status: 204,
      },
    })
    .input(logoutInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      let sessionId = ctx.session?.id ?? null;
      if (input?.refresh_token) {
        const token = await ctx.db.refreshToken.findUnique({
          where: { tokenHash: sha256(input.refresh_token) },
          select: { sessionId: true },
        });
        sessionId = token?.sessionId ?? sessionId;
      }
      if (!sessionId) throw apiError("UNAUTHORIZED", ctx.authError ?? said("auth.noSession"));
      const ended = await revokeSession(ctx.db, sessionId, "logout");
      if (ended) {
        await auditRequest(ctx, "auth.logout", { type: "session", id: sessionId });
      }
      return { success: true };
    }),

  /** Signs out everywhere: every session, token and web cookie of the caller stops working. */
  logoutAll: protectedProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/auth/logout-all",
        tag: "auth",
        summary: "Sign out everywhere",
        input: "none",
        status: 200,
      },
    })
    .output(z.object({ revoked: z.number().int() }))
    .mutation(async ({ ctx }) => {
      const count = await revokeUserSessions(ctx.db, ctx.user.id, "logout_all");
      await auditRequest(ctx, "auth.logout_all", { type: "user", id: ctx.user.id }, { sessions: count });
      return { revoked: count };
    }),

  me: meProcedure({
    method: "GET",
    path: "/auth/me",
    tag: "auth",
    summary: "The caller's own account and permissions",
    input: "none",
    status: 200,
  }),

  sessions: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/auth/sessions",
        tag: "auth",
        summary: "The caller's active sessions",
        input: "none",
        status: 200,
      },
    })
    .output(z.array(sessionOutput))
    .query(async ({ ctx }) => {
      const sessions = await ctx.db.authSession.findMany({
        where: { userId: ctx.user.id, revokedAt: null, expiresAt: { gt: new Date() } },
        select: sessionSelect,
        orderBy: { lastUsedAt: "desc" },
      });
      return sessions.map((session) => ({
        ...session,
        kind: session.kind as SessionKind,
        current: session.id === ctx.session?.id,
      }));
    }),

  revokeSession: protectedProcedure
    .meta({
      rest: {
        method: "DELETE",
        path: "/auth/sessions/{id}",
        tag: "auth",
        summary: "End one of the caller's sessions",
        input: "none",
        status: 204,
      },
    })
    .input(idInput)
    .output(z.object({ success: z.literal(true), current: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.db.authSession.findFirst({
        where: { id: input.id, userId: ctx.user.id, revokedAt: null },
        select: { id: true },
      });
      if (!session) throw apiError("NOT_FOUND", said("notFound.session"));
      await revokeSession(ctx.db, session.id, "revoked_by_user");
      await auditRequest(ctx, "auth.session.revoke", { type: "session", id: session.id });
      return { success: true, current: session.id === ctx.session?.id };
    }),

  changePassword: protectedProcedure
    .meta({
      errors: ["TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/change-password",
        tag: "auth",
        summary: "Change the caller's password",
        description: "Other sessions are signed out; the current one stays.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(changePasswordInput)
    .output(z.object({ success: z.literal(true), otherSessionsRevoked: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const user = await confirmPassword(ctx.db, ctx.config, ctx.user.id, input.currentPassword, "currentPassword");
      if (input.currentPassword === input.newPassword) {
        throw fieldError("newPassword", said("auth.newPasswordSame"));
      }
      assertPasswordPolicy(input.newPassword, user, "newPassword");
      await ctx.db.user.update({
        where: { id: ctx.user.id },
        data: {
          passwordHash: await hashPassword(input.newPassword, ctx.config.BCRYPT_COST),
          passwordChangedAt: new Date(),
        },
      });
      const revoked = await revokeUserSessions(ctx.db, ctx.user.id, "password_changed", ctx.session?.id ?? null);
      await auditRequest(
        ctx,
        "auth.password.change",
        { type: "user", id: ctx.user.id },
        { otherSessionsRevoked: revoked },
      );
      sendMailInBackground(ctx.config, passwordChangedMail(ctx.config, ctx.user));
      return { success: true, otherSessionsRevoked: revoked };
    }),

  /** Always answers the same, whether or not the email has an account. */
  requestPasswordReset: publicProcedure
    .meta({
      errors: ["TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/reset-password",
        tag: "auth",
        summary: "Mail a password reset link",
        description: "Answers the same whether or not an account has this email.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(requestPasswordResetInput)
    .output(z.object({ success: z.literal(true), message: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const perIp = await countEvent(ctx.db, `reset-ip:${ctx.ip ?? "unknown"}`, HOUR);
      if (perIp.count > RESET_REQUESTS_PER_IP) {
        throw tooManyRequests(said("rateLimit.passwordResets"), secondsUntil(perIp.resetAt));
      }
      const { userId, sent } = await sendPasswordResetLink(ctx.db, ctx.config, input.email, ctx.ip);
      await recordAudit(ctx.db, {
        action: "auth.password_reset.request",
        actor: null,
        actorEmail: input.email,
        targetType: "user",
        targetId: userId,
        changes: { sent },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      return { success: true, message: RESET_ANSWER(ctx.locale) };
    }),

  /** Sets a new password with a reset link; every session of the account is signed out. */
  confirmPasswordReset: publicProcedure
    .meta({
      errors: ["TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/reset-password/confirm",
        tag: "auth",
        summary: "Choose a new password with the token of a reset link",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(confirmPasswordResetInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      const user = await usePasswordResetLink(ctx.db, input.token, (account) => {
        assertPasswordPolicy(input.password, account);
        return hashPassword(input.password, ctx.config.BCRYPT_COST);
      });
      const revoked = await revokeUserSessions(ctx.db, user.id, "password_reset");
      await recordAudit(ctx.db, {
        action: "auth.password_reset.confirm",
        actor: user,
        targetType: "user",
        targetId: user.id,
        changes: { sessionsRevoked: revoked, unlocked: true },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      sendMailInBackground(ctx.config, passwordChangedMail(ctx.config, user));
      return { success: true };
    }),

  /** Mails a fresh verification link for the caller's address (voiding older ones); at most 5 an hour. */
  requestEmailVerification: protectedProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/auth/verify-email",
        tag: "auth",
        summary: "Mail a fresh verification link for the caller's address",
        description: "Older links stop working. At most 5 an hour; 409 once the address is verified.",
        input: "none",
        status: 200,
      },
    })
    .output(z.object({ success: z.literal(true), sentTo: z.string() }))
    .mutation(async ({ ctx }) => {
      if (ctx.user.emailVerified) {
        throw apiError("CONFLICT", said("auth.alreadyVerified"));
      }
      await claimLinkBudget(ctx.db, ctx.user.id, "verify");
      await sendVerificationLink(ctx.db, ctx.config, ctx.user);
      await auditRequest(ctx, "auth.email_verification.request", { type: "user", id: ctx.user.id });
      return { success: true, sentTo: ctx.user.email };
    }),

  /**
   * Uses a link from a verification or email-change mail (no sign-in needed: the link is the
   * proof). Answers the account's self view, with `emailVerified` set.
   */
  confirmEmailVerification: publicProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "POST",
        path: "/auth/verify-email/confirm",
        tag: "auth",
        summary: "Use the token of a verification or email-change link",
        description:
          "Marks the address verified (or moves the account to its new address). 409 if the new address was taken meanwhile.",
        input: "json",
        status: 200,
      },
    })
    .input(emailTokenInput)
    .output(selfUserOutput)
    .mutation(async ({ ctx, input }) => {
      const { user, purpose, previousEmail } = await confirmEmailToken(ctx.db, input.token);
      await recordAudit(ctx.db, {
        action: purpose === "change" ? "user.email.change" : "auth.email.verify",
        actor: user,
        targetType: "user",
        targetId: user.id,
        changes: purpose === "change" ? { from: previousEmail, to: user.email } : { email: user.email },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      return toSelfView(user);
    }),

  /**
   * Live feedback for password fields (no account is looked up). A mutation, so the password
   * travels in a POST body and never in a URL that proxies and access logs keep.
   */
  passwordStrength: publicProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/auth/password-strength",
        tag: "auth",
        summary: "How strong a password is (no account is looked up)",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(passwordStrengthInput)
    .output(passwordStrengthOutput)
    .mutation(({ ctx, input }) => passwordStrength(input.password, input, ctx.locale)),
});

function passwordChangedMail(config: Context["config"], to: Recipient) {
  return composeMail(config, to, "passwordChanged", { forgotUrl: `${config.APP_URL}/forgot-password` });
}
