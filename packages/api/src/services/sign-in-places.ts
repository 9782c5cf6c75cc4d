// Where each account signs in from (address and client), so that a sign-in from somewhere new is
// told to its owner by mail. Whether a place is new is decided by the database, atomically: of
// several concurrent sign-ins from one new place, exactly one is new.
import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { describeClient } from "../readable";
import { composeMail, mailLocale, sendMailInBackground, type Recipient } from "./mail";
import { clientWords, translator } from "../i18n";
import type { RequestMeta, SessionKind } from "./sessions";

/** A place not seen for this many days counts as new again. */
export const SIGN_IN_PLACE_MEMORY_DAYS = 90;

/** The place of a request, as stored (an unknown address or client is empty). */
export const placeOf = (meta: RequestMeta) => ({ ip: meta.ip ?? "", userAgent: (meta.userAgent ?? "").slice(0, 300) });

/**
 * Records that `userId` was seen at the place of `meta` and answers whether that place is new:
 * never seen, or not seen for 90 days. A known place only has its time moved forward; a new or
 * forgotten one is claimed by one conditional upsert, which only one concurrent request wins.
 */
export async function recordSignInPlace(db: Db, userId: string, meta: RequestMeta, now: Date): Promise<boolean> {
  const { ip, userAgent } = placeOf(meta);
  const forgottenBefore = new Date(now.getTime() - SIGN_IN_PLACE_MEMORY_DAYS * 24 * 60 * 60 * 1000);
  const known = await db.signInPlace.updateMany({
    where: { userId, ip, userAgent, lastSeenAt: { gte: forgottenBefore } },
    data: { lastSeenAt: now },
  });
  if (known.count > 0) return false;
  const claimed = await db.$executeRaw`
    INSERT INTO "SignInPlace" ("userId", "ip", "userAgent", "lastSeenAt")
    VALUES (${userId}, ${ip}, ${userAgent}, ${now})
    ON CONFLICT ("userId", "ip", "userAgent") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"
    WHERE "SignInPlace"."lastSeenAt" < ${forgottenBefore}`;
  return claimed > 0;
}

/** The mail telling a user that their account was signed in to from a new place. */
export function newSignInMail(
  config: Config,
  user: Recipient,
  sign: { at: Date; meta: RequestMeta; client: SessionKind; method: string },
) {
  const locale = mailLocale(config, user);
  const t = translator(locale, "email");
  const factor = sign.method.split("+")[1];
  return composeMail(config, user, "newSignIn", {
    when: sign.at,
    address: sign.meta.ip ?? t("unknown"),
    client: describeClient(placeOf(sign.meta).userAgent, clientWords(locale)),
    kind: sign.client,
    userAgent: placeOf(sign.meta).userAgent || t("noneSent"),
    // "password", "passkey", or the second factor after a password ("password+totp").
    method: factor ?? sign.method,
    // A way of signing in this build has no words for reads as its code.
    methodName: sign.method,
    sessionsUrl: `${config.APP_URL}/profile/sessions`,
  });
}

/**
 * Remembers the place of a successful sign-in and, when it is new and NOTIFY_NEW_SIGNIN is on,
 * mails the account's owner. The sign-in itself never fails because of this bookkeeping.
 */
export async function noticeSignInPlace(
  db: Db,
  config: Config,
  user: Recipient & { id: string },
  sign: { at: Date; meta: RequestMeta; client: SessionKind; method: string },
): Promise<void> {
  try {
    const isNew = await recordSignInPlace(db, user.id, sign.meta, sign.at);
    if (isNew && config.NOTIFY_NEW_SIGNIN) sendMailInBackground(config, newSignInMail(config, user, sign));
  } catch (error) {
    console.error(`[sign-in] could not record the place of a sign-in: ${(error as Error).message}`);
  }
}
