// What the client asked of the user in its authorization request: OpenID Connect's prompt values,
// and how fresh a sign-in it wants (prompt=login, max_age).
import type Provider from "oidc-provider";

type Interaction = Awaited<ReturnType<Provider["interactionDetails"]>>;

/** Whether the request's space-separated `prompt` holds `name` ("login", "consent"). */
export function prompted(params: Interaction["params"], name: string): boolean {
  return String(params.prompt ?? "")
    .split(" ")
    .includes(name);
}

/**
 * Whether a portal sign-in made at `signedInAt` is as fresh as the client asked. A sign-in made
 * since the authorization request began (to the second: the request's own clock) answers every
 * demand. An older one does not answer prompt=login (sign in again, whatever the session), nor a
 * max_age of fewer seconds than its age.
 */
export function freshEnough(details: Pick<Interaction, "iat" | "params">, signedInAt: Date, now = Date.now()): boolean {
  const signedIn = Math.floor(signedInAt.getTime() / 1000);
  if (typeof details.iat === "number" && signedIn >= details.iat) return true;
  if (prompted(details.params, "login")) return false;
  const maxAge = details.params.max_age;
  return maxAge === undefined || Math.floor(now / 1000) - signedIn <= Number(maxAge);
}
