import { apiError, said } from "../errors";
import { z } from "zod";
import {
  connectedAppOutput,
  createdOAuthClientOutput,
  oauthClientOutput,
  oauthInteractionOutput,
  successOutput,
} from "../outputs";
import { clientIdInput, idInput, interactionInput, oauthClientCreateInput, oauthClientUpdateInput } from "../schemas";
import { auditRequest } from "../services/audit";
import {
  connectedApps,
  createClient,
  deleteClient,
  findClient,
  listClients,
  updateClient,
  withdrawConsent,
} from "../services/oauth-clients";
import { rotateSigningKeys } from "../services/oidc-keys";
import { findPayload } from "../services/oidc-store";
import { capabilityProcedure, protectedProcedure, router } from "../trpc";

const manageClients = capabilityProcedure("oauthClients.manage");

export const oauthRouter = router({
  /** A confidential client's secret is in this response only; the server keeps its SHA-256. */
  createClient: manageClients
    .meta({
      rest: {
        method: "POST",
        path: "/admin/oauth-clients",
        tag: "admin",
        summary: "Register a client of the OpenID provider (a confidential client's secret is shown once)",
        input: "json",
        status: 201,
      },
    })
    .input(oauthClientCreateInput)
    .output(createdOAuthClientOutput)
    .mutation(async ({ ctx, input }) => {
      const created = await createClient(ctx.db, input);
      await auditRequest(
        ctx,
        "oauth.client.create",
        { type: "oauthClient", id: created.client_id },
        {
          name: created.name,
          type: created.type,
          redirect_uris: created.redirect_uris,
          grant_types: created.grant_types,
        },
      );
      return created;
    }),

  listClients: manageClients
    .meta({
      rest: {
        method: "GET",
        path: "/admin/oauth-clients",
        tag: "admin",
        summary: "The OpenID provider's clients",
        input: "none",
        status: 200,
      },
    })
    .output(z.array(oauthClientOutput))
    .query(({ ctx }) => listClients(ctx.db)),

  updateClient: manageClients
    .meta({
      rest: {
        method: "PATCH",
        path: "/admin/oauth-clients/{id}",
        tag: "admin",
        summary: "Edit a client's name, redirect URIs, grant types or first-party flag",
        input: "json",
        status: 200,
      },
    })
    .input(oauthClientUpdateInput)
    .output(oauthClientOutput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      const updated = await updateClient(ctx.db, id, changes);
      await auditRequest(ctx, "oauth.client.update", { type: "oauthClient", id }, changes);
      return updated;
    }),

  deleteClient: manageClients
    .meta({
      errors: ["FORBIDDEN"],
      rest: {
        method: "DELETE",
        path: "/admin/oauth-clients/{id}",
        tag: "admin",
        summary: "Delete a client, ending its sessions and tokens",
        input: "none",
        status: 204,
      },
    })
    .input(idInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteClient(ctx.db, input.id))) throw apiError("NOT_FOUND", said("notFound.client"));
      await auditRequest(ctx, "oauth.client.delete", { type: "oauthClient", id: input.id });
      return { success: true };
    }),

  /**
   * Adds a new signing key (it signs from the next half minute on every instance); the previous
   * ones stay published until what they signed has expired.
   */
  rotateKeys: manageClients
    .meta({
      rest: {
        method: "POST",
        path: "/admin/oauth-keys/rotate",
        tag: "admin",
        summary: "Add a new signing key to the OpenID provider (the previous ones stay published until they expire)",
        input: "none",
        status: 200,
      },
    })
    .output(z.object({ kid: z.string(), retiring: z.array(z.string()) }).meta({ id: "KeyRotation" }))
    .mutation(async ({ ctx }) => {
      const rotation = await rotateSigningKeys(ctx.db, ctx.config);
      await auditRequest(
        ctx,
        "oauth.keys.rotate",
        { type: "oidcKey", id: rotation.kid },
        { retiring: rotation.retiring },
      );
      return rotation;
    }),

  /** The caller's connected apps: clients they consented to or are signed in to. */
  connectedApps: protectedProcedure
    .output(z.array(connectedAppOutput))
    .query(({ ctx }) => connectedApps(ctx.db, ctx.user.id)),

  /** Withdraws consent from a client and ends its sessions and tokens for the caller at once. */
  revokeConnectedApp: protectedProcedure
    .input(clientIdInput)
    .output(successOutput)
    .mutation(async ({ ctx, input }) => {
      if (!(await withdrawConsent(ctx.db, ctx.user.id, input.clientId))) {
        throw apiError("NOT_FOUND", said("notFound.connectedApp"));
      }
      await auditRequest(ctx, "oauth.consent.revoke", { type: "oauthClient", id: input.clientId });
      return { success: true };
    }),

  /** What the consent page shows: the client, the scopes it asks for; only to the account signing in. */
  interaction: protectedProcedure
    .input(interactionInput)
    .output(oauthInteractionOutput)
    .query(async ({ ctx, input }) => {
      const payload = (await findPayload(ctx.db, "Interaction", input.uid)) as
        | {
            params?: { client_id?: string; scope?: string };
            prompt?: { name?: string };
            session?: { accountId?: string };
          }
        | undefined;
      const clientId = payload?.params?.client_id;
      const client = clientId ? await findClient(ctx.db, clientId) : null;
      if (!payload || !client || (payload.session?.accountId && payload.session.accountId !== ctx.user.id)) {
        throw apiError("NOT_FOUND", said("notFound.interaction"));
      }
      return {
        uid: input.uid,
        clientId: client.client_id,
        clientName: client.name,
        scopes: (payload.params?.scope ?? "").split(" ").filter(Boolean),
        prompt: payload.prompt?.name ?? "consent",
      };
    }),
});
