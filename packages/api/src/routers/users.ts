import { z } from "zod";
import { changeEmailInput, deleteMeInput, idInput, updateMeInput } from "../schemas";
import { apiError, fieldError, said } from "../errors";
import { publicUserSelect, selfUserSelect, toSelfView } from "../selects";
import { changeKeepingAnAdmin } from "../services/admins";
import { auditRequest } from "../services/audit";
import { AVATAR_MAX_BYTES, removeAvatar, saveAvatar } from "../services/avatars";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { confirmPassword } from "../services/credentials";
import { confirmWithPasskey } from "../services/passkeys";
import { composeMail, sendMailInBackground } from "../services/mail";
import { securityActivity } from "../services/security-activity";
import { confirmSecondFactor, twoFactorStatus } from "../services/two-factor";
import { claimLinkBudget, sendEmailChangeLinks } from "../services/email-tokens";
import type { RestOperation } from "../rest/routes";
import { capabilityProcedure, protectedProcedure, router, unbatched } from "../trpc";
import { publicUserOutput, securityEventOutput, selfUserOutput, successOutput } from "../outputs";

const ownProfileProcedure = capabilityProcedure("profile.manageOwn");

/**
 * The caller's self view, as the request context resolved it: no query beyond the one that checked
 * the credential. Served as `users.me` and `auth.me` alike.
 */
export const meProcedure = (rest: RestOperation) =>
  protectedProcedure
    .meta({ rest })
    .output(selfUserOutput)
    .query(({ ctx }) => toSelfView(ctx.user));

export const usersRouter = router({
  me: meProcedure({
    method: "GET",
    path: "/users/me",
    tag: "users",
    summary: "The caller's own account and permissions",
    input: "none",
    status: 200,
  }),

  /** The caller's last 30 security events, newest first: sign-ins, failures, lockouts, protection changes. */
  securityActivity: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/users/me/security-activity",
        tag: "users",
        summary: "Your last 30 security events",
        description:
          "Newest first: sign-ins (with client, address and method), failed sign-ins and lockouts, password, email, two-factor, passkey and API key changes, sessions signed out, and administrators' changes to your account (without their address).",
        input: "none",
        status: 200,
      },
    })
    .output(z.array(securityEventOutput))
    .query(({ ctx }) => securityActivity(ctx.db, ctx.user.id, ctx.locale)),

  /** Name, username, first and last name only; any other key (role, isActive, …) is refused. */
  updateMe: ownProfileProcedure
    .meta({
      errors: ["CONFLICT"],
      rest: {
        method: "PATCH",
        path: "/users/me",
        tag: "users",
        summary: "Change the caller's name or username",
        input: "json",
        status: 200,
      },
    })
    .input(updateMeInput)
    .output(selfUserOutput)
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.db.user.update({ where: { id: ctx.user.id }, data: input, select: selfUserSelect });
      await auditRequest(ctx, "user.update", { type: "user", id: ctx.user.id }, input);
      return toSelfView(user);
    }),

  /** Public profile: never the email. */
  byId: protectedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/users/{id}",
        tag: "users",
        summary: "A user's public profile (never the email)",
        input: "none",
        status: 200,
      },
    })
    .input(idInput)
    .output(publicUserOutput)
    .query(async ({ ctx, input }) => {
      const user = await ctx.db.user.findUnique({ where: { id: input.id }, select: publicUserSelect });
      if (!user) throw apiError("NOT_FOUND", said("notFound.user"));
      return user;
    }),

  /**
   * Deletes the caller's account after checking the password: sessions, API keys, reset tokens and
   * avatar go with it; climbs stay, shown as made by a deleted user.
   */
  deleteMe: ownProfileProcedure
    .meta({
      errors: ["TOO_MANY_REQUESTS"],
      rest: {
        method: "DELETE",
        path: "/users/me",
        tag: "users",
        summary: "Delete the caller's account (the password confirms it)",
        input: "json",
        status: 204,
      },
    })
    .use(unbatched)
    .input(deleteMeInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      await confirmPassword(ctx.db, ctx.config, ctx.user.id, input.password, "password");
      if ((await twoFactorStatus(ctx.db, ctx.user.id)).enabled) {
        if (input.passkey) {
          const response = input.passkey as unknown as AuthenticationResponseJSON;
          if (!(await confirmWithPasskey(ctx.db, ctx.config, ctx.user.id, response))) {
            throw fieldError("passkey", said("passkey.notYou"));
          }
        } else if (input.code) {
          await confirmSecondFactor(ctx.db, ctx.config, ctx.user.id, input.code);
        } else {
          throw fieldError("code", said("twoFactor.codeOrPasskey"));
        }
      }
      await changeKeepingAnAdmin(ctx.db, (tx) => tx.user.delete({ where: { id: ctx.user.id }, select: { id: true } }));
      await auditRequest(ctx, "user.delete", { type: "user", id: ctx.user.id }, { self: true });
      sendMailInBackground(ctx.config, {
        ...composeMail(ctx.config, ctx.user, "deleted", {
          username: ctx.user.username,
          when: new Date(),
          registerUrl: `${ctx.config.APP_URL}/register`,
        }),
      });
      return { success: true };
    }),

  /**
   * Starts a change of address: a confirmation link goes to the new address and a notice to the
   * current one; the address changes only when the link is used (refused if taken by then).
   */
  changeEmail: ownProfileProcedure
    .meta({
      errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
      rest: {
        method: "POST",
        path: "/users/me/email",
        tag: "users",
        summary: "Change the caller's email address (confirmed by a link sent to the new one)",
        description: "The password confirms the request; the current address gets a notice. At most 5 an hour.",
        input: "json",
        status: 200,
      },
    })
    .use(unbatched)
    .input(changeEmailInput)
    .output(z.object({ success: z.literal(true), sentTo: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await confirmPassword(ctx.db, ctx.config, ctx.user.id, input.password, "password");
      if (input.newEmail === ctx.user.email) {
        throw fieldError("newEmail", said("conflict.sameEmail"));
      }
      const taken = await ctx.db.user.findUnique({ where: { email: input.newEmail }, select: { id: true } });
      if (taken) throw fieldError("newEmail", said("conflict.emailTaken"), "CONFLICT");
      await claimLinkBudget(ctx.db, ctx.user.id, "change");
      await sendEmailChangeLinks(ctx.db, ctx.config, ctx.user, input.newEmail);
      await auditRequest(ctx, "user.email.change_request", { type: "user", id: ctx.user.id }, { to: input.newEmail });
      return { success: true, sentTo: input.newEmail };
    }),

  /** Base64 upload for tRPC clients; browsers and the CLI use `POST /api/users/me/avatar` (multipart). */
  uploadAvatar: ownProfileProcedure
    .meta({
      errors: ["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
      rest: {
        method: "POST",
        path: "/users/me/avatar",
        tag: "users",
        summary: "Upload the caller's avatar",
        description:
          "A PNG, JPEG, WebP or GIF image of at most 2 MB in the multipart field `file`; it is stored re-encoded as a 256×256 WebP.",
        input: "multipart",
        status: 201,
      },
    })
    .input(
      z.strictObject({
        base64: z
          .string()
          .min(1, "The image is empty")
          .max(Math.ceil(AVATAR_MAX_BYTES / 3) * 4 + 4, "The image must be at most 2 MB"),
      }),
    )
    .output(z.object({ image: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const image = await saveAvatar(ctx.db, ctx.user.id, Buffer.from(input.base64, "base64"));
      await auditRequest(ctx, "user.avatar.update", { type: "user", id: ctx.user.id }, { image });
      return { image };
    }),

  deleteAvatar: ownProfileProcedure
    .meta({
      rest: {
        method: "DELETE",
        path: "/users/me/avatar",
        tag: "users",
        summary: "Remove the caller's avatar",
        input: "none",
        status: 204,
      },
    })
    .output(z.object({ success: z.literal(true), removed: z.boolean() }))
    .mutation(async ({ ctx }) => {
      const removed = await removeAvatar(ctx.db, ctx.user.id);
      if (removed) {
        await auditRequest(ctx, "user.avatar.delete", { type: "user", id: ctx.user.id });
      }
      return { success: true, removed };
    }),
});
