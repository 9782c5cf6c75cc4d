// Our OAuthClient rows as the client metadata oidc-provider expects.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Provider } from "oidc-provider";
import type { clientView } from "@mastoc/api";

type ClientView = ReturnType<typeof clientView>;

const isLoopback = (uri: string) => /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\//.test(uri);

export function clientMetadata(client: ClientView, secretHash: string | null) {
  const confidential = client.type === "confidential";
  return {
    client_id: client.client_id,
    client_name: client.name,
    // The SHA-256 of the secret: compared by `verifyHashedSecrets` below, never sent anywhere.
    ...(confidential && secretHash ? { client_secret: secretHash } : {}),
    redirect_uris: client.redirect_uris,
    grant_types: client.grant_types,
    response_types: client.grant_types.includes("authorization_code") ? ["code"] : [],
    token_endpoint_auth_method: confidential ? "client_secret_basic" : "none",
    // Native clients may use a loopback redirect on any port (RFC 8252).
    application_type: client.redirect_uris.some(isLoopback) ? "native" : "web",
    id_token_signed_response_alg: "ES256",
    scope: "openid profile email offline_access",
  };
}

/** The oidc-provider version whose Client.compareClientSecret this replaces (see verifyHashedSecrets). */
export const OIDC_PROVIDER_CHECKED_VERSION = "9.13.3";

/**
 * Confidential clients' secrets are stored as SHA-256 hashes, so the presented secret is hashed
 * before the constant-time comparison. oidc-provider compares `client_secret` itself in
 * `Client.prototype.compareClientSecret` (not a documented hook; checked against
 * OIDC_PROVIDER_CHECKED_VERSION, test: apps/web/test/oidc.test.ts).
 */
export function verifyHashedSecrets(provider: Provider) {
  const prototype = (provider.Client as unknown as { prototype: Record<string, unknown> }).prototype;
  if (typeof prototype.compareClientSecret !== "function") {
    throw new Error(
      `oidc-provider changed: Client.compareClientSecret is gone (checked with ${OIDC_PROVIDER_CHECKED_VERSION})`,
    );
  }
  prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual: string) {
    if (typeof actual !== "string" || !this.clientSecret) return false;
    const presented = Buffer.from(createHash("sha256").update(actual).digest("hex"));
    const stored = Buffer.from(this.clientSecret);
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  };
}
