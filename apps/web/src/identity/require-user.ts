import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getConfig } from "@mastoc/api";
import { can, type Capability } from "@mastoc/api/permissions";
import { currentUser, serverCaller } from "./caller";

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
  // With REQUIRE_ADMIN_2FA, an administrator's powers wait for a second factor: off to set one up.
  if (capability && !can("USER", capability) && (await secondFactorMissing(user.role))) {
    redirect("/profile/security?reason=admin-second-factor");
  }
  return user;
}

/** Whether the signed-in account has two-factor authentication or a passkey. */
export async function hasSecondFactor(): Promise<boolean> {
  const caller = await serverCaller();
  const [twoFactor, passkeys] = await Promise.all([caller.auth.twoFactor.status(), caller.passkeys.list()]);
  return twoFactor.enabled || passkeys.length > 0;
}

/** Whether this server requires a second factor of administrators, and the signed-in one has none. */
export async function secondFactorMissing(role: string): Promise<boolean> {
  return role === "ADMIN" && getConfig().REQUIRE_ADMIN_2FA && !(await hasSecondFactor());
}
