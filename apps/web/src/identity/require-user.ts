import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Capability } from "@mastoc/api/permissions";
import { currentUser } from "./caller";

/**
 * The signed-in user for a protected page. Without one, back to /login (and here again after
 * signing in); a browser whose session the server ended is told so. A missing capability is a 403.
 */
export async function requireUser(path: string, capability?: Capability) {
  const user = await currentUser();
  if (!user) {
    const cookie = (await headers()).get("cookie") ?? "";
    const ended = /next-auth\.session-token=/.test(cookie);
    redirect(`/login?next=${encodeURIComponent(path)}${ended ? "&reason=session-ended" : ""}`);
  }
  if (capability && !user.permissions[capability]) forbidden();
  return user;
}
