import { headers } from "next/headers";
import { cache } from "react";
import { createCaller, createContext } from "@mastoc/api";
import { requestMeta, webSessionClaims } from "./request";

/** A tRPC caller acting as the sender of these request headers (any credential, checked against the database). */
export async function callerForHeaders(requestHeaders: Headers) {
  return createCaller(
    await createContext({
      headers: requestHeaders,
      meta: requestMeta(requestHeaders),
      webSession: await webSessionClaims(requestHeaders),
    }),
  );
}

/** The caller for server components: the signed-in browser. */
export async function serverCaller() {
  return callerForHeaders(await headers());
}

/**
 * The signed-in user (self view), or null when the browser has no live session. Asked once per
 * page render, however many components (layout, locale, page) need it.
 */
export const currentUser = cache(async () => {
  const status = await (await serverCaller()).auth.status();
  return status.user;
});
