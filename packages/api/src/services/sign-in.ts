import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { apiError, fieldError, said } from "../errors";
import { malformedInput } from "../input-guard";
import { contextUserSelect } from "../selects";
import { recordAudit } from "./audit";
import { claimSecondFactorAttempt, recordSignInSuccess, verifyCredentials } from "./credentials";
import { claimLinkBudget, sendVerificationLink, unverifiedEmail } from "./email-tokens";
import { noticeSignInPlace } from "./sign-in-places";
import { createSession, type RequestMeta, type SessionKind } from "./sessions";
import {
  checkSecondFactor,
  consumeMfaChallenge,
  createMfaChallenge,
  failMfaChallenge,
  findMfaChallenge,
} from "./two-factor";

export type Identity = Awaited<ReturnType<typeof verifyCredentials>>["user"];

/** What a sign-in step ends with: a session, or (two-factor accounts) the token of the next step. */
export type SignInResult =
  | { status: "signed-in"; user: Identity; session: { id: string } }
  | { status: "mfa-required"; user: Identity; challenge: { mfa_token: string; expires_in: number } };

/** Opens the session of a sign-in whose every factor passed, and audits it (`method`: how). */
export async function openSession(
  db: Db,
  config: Config,
  user: Identity,
  client: SessionKind,
  meta: RequestMeta,
  method: string,
) {
  const now = new Date();
  await recordSignInSuccess(db, user.id, meta, now);
  const session = await createSession(db, config, user.id, client, meta);
  await recordAudit(db, {
    action: "auth.login.success",
    actor: user,
    targetType: "session",
    targetId: session.id,
    changes: { method, client },
    ...meta,
  });
  await noticeSignInPlace(db, config, user, { at: now, meta, client, method });
  return { status: "signed-in" as const, user: { ...user, lastLoginAt: now }, session };
}

/**
 * With REQUIRE_VERIFIED_EMAIL, an account whose address is not verified is refused (403) and
 * mailed a new link (within its hourly budget), whatever proved who it is.
 */
export async function requireVerifiedEmail(
  db: Db,
  config: Config,
  user: Identity,
  client: SessionKind,
  meta: RequestMeta,
): Promise<void> {
  if (!config.REQUIRE_VERIFIED_EMAIL || user.emailVerified) return;
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

/**
 * The one sign-in sequence, for every way of signing in (`auth.login` for tokens, NextAuth's
 * `authorize` for the web): the credentials checked against every budget; then either a session
 * opened and the success audited, or, for an account with two-factor authentication, a
 * challenge issued that `completeSecondFactor` exchanges for the session.
 */
export async function signIn(
  db: Db,
  config: Config,
  input: { email: string; password: string },
  meta: RequestMeta,
  client: SessionKind,
): Promise<SignInResult> {
  const malformed = malformedInput(input);
  if (malformed) throw fieldError(malformed.field, said(malformed.reason, malformed.values));
  const { user, twoFactor } = await verifyCredentials(db, config, input, meta);
  await requireVerifiedEmail(db, config, user, client, meta);
  if (twoFactor) {
    const challenge = await createMfaChallenge(db, user.id, client);
    await recordAudit(db, {
      action: "auth.mfa.challenge",
      actor: user,
      targetType: "user",
      targetId: user.id,
      changes: { client },
      ...meta,
    });
    return { status: "mfa-required", user, challenge };
  }
  return openSession(db, config, user, client, meta, "password");
}

/**
 * The second step of a two-factor sign-in: the challenge token from `signIn` and a TOTP or
 * recovery code. Every failure answers the same generic error; wrong codes count against the
 * challenge (void after 5) and against the account's sign-in budget (which locks it).
 */
export async function completeSecondFactor(
  db: Db,
  config: Config,
  input: { mfaToken: string; code: string },
  meta: RequestMeta,
  client: SessionKind,
) {
  const invalid = () => apiError("UNAUTHORIZED", said("auth.invalidMfa"));
  const challenge = await findMfaChallenge(db, input.mfaToken, client);
  if (!challenge) throw invalid();
  const user = await db.user.findUnique({ where: { id: challenge.userId }, select: contextUserSelect });
  if (!user?.isActive) throw invalid();
  const attempt = await claimSecondFactorAttempt(db, config, user, meta);
  const factor = await checkSecondFactor(db, config, user.id, input.code, { recovery: true });
  if (!factor) {
    await failMfaChallenge(db, challenge.id);
    await attempt.fail();
    throw invalid();
  }
  if (!(await consumeMfaChallenge(db, challenge.id))) throw invalid();
  if (factor === "recovery") {
    await recordAudit(db, {
      action: "auth.2fa.recovery_code_used",
      actor: user,
      targetType: "user",
      targetId: user.id,
      ...meta,
    });
  }
  return openSession(db, config, user, client, meta, `password+${factor}`);
}
