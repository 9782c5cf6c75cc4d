import { z } from "zod";
import { passkeyOutput, successOutput, webAuthnOptionsOutput } from "../outputs";
import { idInput, passkeyRegisterInput, passkeyRenameInput } from "../schemas";
import { auditRequest } from "../services/audit";
import {
  authenticationOptions,
  confirmationOptions,
  passkeySelect,
  registerPasskey,
  registrationOptions,
} from "../services/passkeys";
import { countEvent, secondsUntil } from "../services/rate-limit";
import { apiError, said, tooManyRequests } from "../errors";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { capabilityProcedure, publicProcedure, router } from "../trpc";

const ownProcedure = capabilityProcedure("profile.manageOwn");
/** Sign-in ceremonies started per client address per 15 minutes. */
const OPTIONS_PER_IP = 100;

/** The caller's passkeys; signing in with one happens through the web sign-in (NextAuth). */
export const passkeysRouter = router({
  list: ownProcedure
    .output(z.array(passkeyOutput))
    .query(({ ctx }) =>
      ctx.db.passkey.findMany({ where: { userId: ctx.user.id }, select: passkeySelect, orderBy: { createdAt: "asc" } }),
    ),

  /** Starts adding a passkey: the options for `startRegistration` in the browser (5 minutes, once). */
  registrationOptions: ownProcedure
    .output(webAuthnOptionsOutput)
    .mutation(async ({ ctx }) => ({ ...(await registrationOptions(ctx.db, ctx.config, ctx.user)) })),

  /** Finishes adding a passkey with the browser's answer; the current session stays. */
  register: ownProcedure
    .input(passkeyRegisterInput)
    .output(passkeyOutput)
    .mutation(async ({ ctx, input }) => {
      const passkey = await registerPasskey(
        ctx.db,
        ctx.config,
        ctx.user,
        input.name,
        input.response as unknown as RegistrationResponseJSON,
      );
      await auditRequest(ctx, "passkey.add", { type: "passkey", id: passkey.id }, { name: passkey.name });
      return passkey;
    }),

  rename: ownProcedure
    .input(passkeyRenameInput)
    .output(passkeyOutput)
    .mutation(async ({ ctx, input }) => {
      const renamed = await ctx.db.passkey.updateMany({
        where: { id: input.id, userId: ctx.user.id },
        data: { name: input.name },
      });
      if (renamed.count === 0) throw apiError("NOT_FOUND", said("notFound.passkey"));
      await auditRequest(ctx, "passkey.rename", { type: "passkey", id: input.id }, { name: input.name });
      return ctx.db.passkey.findUniqueOrThrow({ where: { id: input.id }, select: passkeySelect });
    }),

  delete: ownProcedure
    .input(idInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      const deleted = await ctx.db.passkey.deleteMany({ where: { id: input.id, userId: ctx.user.id } });
      if (deleted.count === 0) throw apiError("NOT_FOUND", said("notFound.passkey"));
      await auditRequest(ctx, "passkey.delete", { type: "passkey", id: input.id });
      return { success: true as const };
    }),

  /**
   * Starts confirming that it is the signed-in user at the keyboard with one of their passkeys
   * (before deleting the account): options for `startAuthentication` (5 minutes, once).
   */
  confirmationOptions: ownProcedure
    .output(webAuthnOptionsOutput)
    .mutation(async ({ ctx }) => ({ ...(await confirmationOptions(ctx.db, ctx.config, ctx.user.id)) })),

  /** Starts a passkey sign-in: options for `startAuthentication` (any discoverable passkey of this site). */
  authenticationOptions: publicProcedure.output(webAuthnOptionsOutput).mutation(async ({ ctx }) => {
    const window = await countEvent(ctx.db, `passkey-options-ip:${ctx.ip ?? "unknown"}`, 15 * 60);
    if (window.count > OPTIONS_PER_IP) {
      throw tooManyRequests(said("rateLimit.passkeySignIns"), secondsUntil(window.resetAt));
    }
    return { ...(await authenticationOptions(ctx.db, ctx.config)) };
  }),
});
