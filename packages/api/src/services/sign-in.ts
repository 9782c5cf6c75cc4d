import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { fieldError } from "../errors";
import { malformedInput } from "../input-guard";
import { recordAudit } from "./audit";
import { verifyCredentials } from "./credentials";
import { claimLinkBudget, sendVerificationLink, unverifiedEmail } from "./email-tokens";
import { createSession, type RequestMeta, type SessionKind } from "./sessions";

/**
 * The one sign-in sequence, for every way of signing in (`auth.login` for tokens, NextAuth's
 * `authorize` for the web): the credentials checked against every budget, a session opened, the
 * success audited. Further factors extend it here.
 */
export async function signIn(
  db: Db,
  config: Config,
  input: { email: string; password: string },
  meta: RequestMeta,
  client: SessionKind,
) {
  const malformed = malformedInput(input);
  if (malformed) throw fieldError(malformed.field, malformed.message);
  const user = await verifyCredentials(db, config, input, meta);
  if (config.REQUIRE_VERIFIED_EMAIL && !user.emailVerified) {
    if (await claimLinkBudget(db, user.id, "verify", true)) await sendVerificationLink(db, config, user);
    await recordAudit(db, {
      action: "auth.login.unverified",
      actor: user,
      targetType: "user",
      targetId: user.id,
      changes: { client },
      ...meta,
    });
    throw unverifiedEmail();
  }
  const session = await createSession(db, config, user.id, client, meta);
  await recordAudit(db, {
    action: "auth.login.success",
    actor: user,
    targetType: "session",
    targetId: session.id,
    changes: { method: "password", client },
    ...meta,
  });
  return { user, session };
}
