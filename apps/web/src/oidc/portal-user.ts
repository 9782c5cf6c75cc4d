// Who is signed in to the portal in this browser: the NextAuth cookie, checked against the database
// like any other session (a revoked or ended session is nobody).
import type { IncomingMessage } from "node:http";
import { resolveSession } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { webSessionClaims } from "../identity/request";

export async function portalUser(request: IncomingMessage) {
  const claims = await webSessionClaims(request.headers);
  if (!claims) return null;
  const resolved = await resolveSession(getDatabase().db, claims);
  return resolved ? resolved.user : null;
}
