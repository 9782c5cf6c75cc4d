// Passkeys (WebAuthn, discoverable credentials) through @simplewebauthn/server: registering one
// from a signed-in session, and signing in with one, without an email or a password. A passkey
// sign-in requires user verification (a PIN or a biometric on the device), so it counts as two
// factors: an account with TOTP is not asked for a code after it.
//
// The relying party is APP_URL: its host name is the RP ID, its origin the expected origin.
// Ceremony challenges are stored as SHA-256 hashes and used once, by a conditional UPDATE.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { apiError, fieldError, said } from "../errors";
import { contextUserSelect } from "../selects";
import { composeMail, sendMailInBackground, type Recipient } from "./mail";
import type { RequestMeta, SessionKind } from "./sessions";
import { openSession, requireVerifiedEmail } from "./sign-in";
import { sha256 } from "./tokens";

const CHALLENGE_SECONDS = 5 * 60;
const RP_NAME = "mastoc accounts";
/** The one answer to a passkey sign-in that failed, whatever the reason. */
export const PASSKEY_REFUSED = said("auth.passkeyRefused")("en");

type Purpose = "register" | "authenticate" | "confirm";

function relyingParty(config: Config) {
  const url = new URL(config.APP_URL);
  return { id: url.hostname, origin: url.origin };
}

async function storeChallenge(db: Db, purpose: Purpose, userId: string | null, challenge: string) {
  await db.webAuthnChallenge.create({
    data: {
      purpose,
      userId,
      challengeHash: sha256(challenge),
      expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
    },
  });
  // Ceremonies that were never finished leave rows behind: the expired ones go as new ones come.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 3600_000) } } });
}

/** Uses a live challenge of this purpose (and user) once; false when unknown, used or expired. */
function consumeChallenge(db: Db, purpose: Purpose, userId: string | null) {
  return async (challenge: string) => {
    const used = await db.webAuthnChallenge.updateMany({
      where: { challengeHash: sha256(challenge), purpose, userId, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    return used.count === 1;
  };
}

/** The options of a registration ceremony for the signed-in user (their passkeys excluded). */
export async function registrationOptions(
  db: Db,
  config: Config,
  user: { id: string; email: string; username: string; name: string | null },
) {
  const existing = await db.passkey.findMany({
    where: { userId: user.id },
    select: { credentialId: true, transports: true },
  });
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: relyingParty(config).id,
    userName: user.email,
    userDisplayName: user.name ?? user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports?.split(",").filter(Boolean),
    })),
  });
  await storeChallenge(db, "register", user.id, options.challenge);
  return options;
}

/** Verifies a registration ceremony's answer and keeps the new passkey under `name`. */
export async function registerPasskey(
  db: Db,
  config: Config,
  user: Recipient & { id: string },
  name: string,
  response: RegistrationResponseJSON,
) {
  const rp = relyingParty(config);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: consumeChallenge(db, "register", user.id),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    verification = null;
  }
  if (!verification?.verified) {
    throw fieldError("response", said("passkey.unverified"));
  }
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const passkey = await db.passkey.create({
    data: {
      userId: user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.join(",") ?? null,
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name,
    },
    select: passkeySelect,
  });
  sendMailInBackground(
    config,
    composeMail(config, user, "passkeyAdded", {
      name,
      securityUrl: `${config.APP_URL}/profile/security`,
      forgotUrl: `${config.APP_URL}/forgot-password`,
    }),
  );
  return passkey;
}

export const passkeySelect = {
  id: true,
  name: true,
  deviceType: true,
  backedUp: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

/** The options of a sign-in ceremony: any discoverable passkey of this site may answer. */
export async function authenticationOptions(db: Db, config: Config) {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(config).id,
    userVerification: "required",
  });
  await storeChallenge(db, "authenticate", null, options.challenge);
  return options;
}

/**
 * Checks a passkey's answer to a ceremony of `purpose` (for `userId`, or any user): the passkey is
 * known (and, with `userId`, theirs), the challenge was issued for this purpose and is used now,
 * once; the counter moves forward once (a cloned authenticator replaying an older count loses the
 * race). The passkey's owner, or null for any failure.
 */
async function verifyPasskeyAnswer(
  db: Db,
  config: Config,
  response: AuthenticationResponseJSON,
  purpose: Purpose,
  userId: string | null,
): Promise<string | null> {
  const passkey = await db.passkey.findUnique({
    where: { credentialId: response.id },
    select: { id: true, credentialId: true, publicKey: true, counter: true, transports: true, userId: true },
  });
  if (!passkey || (userId !== null && passkey.userId !== userId)) return null;
  const rp = relyingParty(config);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: consumeChallenge(db, purpose, userId),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports?.split(",").filter(Boolean),
      },
      requireUserVerification: true,
    });
  } catch {
    verification = null;
  }
  if (!verification?.verified) return null;
  const advanced = await db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() },
  });
  return advanced.count === 1 ? passkey.userId : null;
}

/**
 * The options of a confirmation ceremony: one of the signed-in user's own passkeys proves that it
 * is them at the keyboard (before deleting the account, as a second factor would).
 */
export async function confirmationOptions(db: Db, config: Config, userId: string) {
  const passkeys = await db.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
  if (passkeys.length === 0) throw apiError("NOT_FOUND", said("notFound.noPasskey"));
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(config).id,
    userVerification: "required",
    allowCredentials: passkeys.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports?.split(",").filter(Boolean),
    })),
  });
  await storeChallenge(db, "confirm", userId, options.challenge);
  return options;
}

/** Whether a passkey of this user answered the confirmation ceremony issued to them (once). */
export async function confirmWithPasskey(db: Db, config: Config, userId: string, response: AuthenticationResponseJSON) {
  return (await verifyPasskeyAnswer(db, config, response, "confirm", userId)) === userId;
}

/**
 * Signs in with a passkey's answer to a sign-in ceremony: the credential's owner gets a session
 * (its counter and last use recorded). Every failure answers the same 401.
 */
export async function signInWithPasskey(
  db: Db,
  config: Config,
  response: AuthenticationResponseJSON,
  meta: RequestMeta,
  client: SessionKind,
) {
  const ownerId = await verifyPasskeyAnswer(db, config, response, "authenticate", null);
  if (!ownerId) throw apiError("UNAUTHORIZED", said("auth.passkeyRefused"));
  const user = await db.user.findUniqueOrThrow({ where: { id: ownerId }, select: contextUserSelect });
  if (!user.isActive) {
    throw apiError("FORBIDDEN", said("auth.deactivated"));
  }
  await requireVerifiedEmail(db, config, user, client, meta);
  return openSession(db, config, user, client, meta, "passkey");
}
