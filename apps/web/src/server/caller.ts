import { headers } from "next/headers";
import { createCaller, createContext } from "@mastoc/api";
import { requestMeta, webSessionClaims } from "./request";

/** A tRPC caller for server components, acting as the signed-in browser (checked against the database). */
export async function serverCaller() {
  const requestHeaders = await headers();
  return createCaller(
    await createContext({
      headers: requestHeaders,
      meta: requestMeta(requestHeaders),
      webSession: await webSessionClaims(requestHeaders),
    }),
  );
}

/** The signed-in user (self view), or null when the browser has no live session. */
export async function currentUser() {
  const status = await (await serverCaller()).auth.status();
  return status.user;
}
