// Who is signed in to the portal in this browser: the NextAuth cookie, checked against the database
// like any other session (a revoked or ended session is nobody).
import type { IncomingMessage } from "node:http";
import { resolveSession, sessionSignedInAt } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { webSessionClaims } from "../identity/request";

async function portalSession(request: IncomingMessage) {
  const claims = await webSessionClaims(request.headers);
  if (!claims) return null;
  return resolveSession(getDatabase().db, claims);
}

export async function portalUser(request: IncomingMessage) {
  return (await portalSession(request))?.user ?? null;
}

/** The portal's user and when they signed in to this browser's session (the OpenID `auth_time`). */
export async function portalSignIn(request: IncomingMessage) {
  const resolved = await portalSession(request);
  if (!resolved) return null;
  const signedInAt = await sessionSignedInAt(getDatabase().db, resolved.session.id);
  return signedInAt ? { user: resolved.user, signedInAt } : null;
}
