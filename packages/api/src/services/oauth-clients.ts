// The OpenID provider's clients and what users granted them. The provider (apps/web/src/oidc)
// reads clients through `clientMetadata`; administrators manage them through the `oauth` router.
import { TRPCError } from "@trpc/server";
import { apiError, said } from "../errors";
import { message } from "../i18n/validation-keys";
import type { Db } from "@mastoc/db";
import { randomToken, sha256 } from "./tokens";
import type { Config } from "../config";
import { recordAudit } from "./audit";
import { createSession, revokeSession, type RequestMeta } from "./sessions";

/** The command-line client, made at the first start: public, first-party, device flow and loopback redirects. */
export const CLI_CLIENT_ID = "mastoc-cli";

export const GRANT_TYPES = [
  "authorization_code",
  "refresh_token",
  "urn:ietf:params:oauth:grant-type:device_code",
  "client_credentials",
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export type ClientType = "public" | "confidential";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

type RedirectUriProblem = "notAbsolute" | "fragment" | "credentials" | "httpLoopback" | "https";

/**
 * Why a redirect URI is refused, or null when it is acceptable: an absolute https URL, or http on
 * a loopback address (RFC 8252: 127.0.0.1 or [::1], any port); never a fragment or credentials.
 */
export function redirectUriProblem(value: string): RedirectUriProblem | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "notAbsolute";
  }
  if (url.hash || value.includes("#")) return "fragment";
  if (url.username || url.password) return "credentials";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : "httpLoopback";
  }
  return "https";
}

/** The grant types a client of this type may use (device flow and code for public ones; client credentials only for confidential ones). */
export function grantTypeProblem(type: ClientType, grantTypes: readonly GrantType[]): "clientCredentialsPublic" | null {
  if (type === "public" && grantTypes.includes("client_credentials")) {
    return "clientCredentialsPublic";
  }
  return null;
}

type ClientRow = {
  id: string;
  name: string;
  type: string;
  secretHash: string | null;
  redirectUris: string;
  grantTypes: string;
  firstParty: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export type OAuthClientView = {
  client_id: string;
  name: string;
  type: ClientType;
  redirect_uris: string[];
  grant_types: GrantType[];
  first_party: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const clientSelect = {
  id: true,
  name: true,
  type: true,
  secretHash: true,
  redirectUris: true,
  grantTypes: true,
  firstParty: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function clientView(row: ClientRow): OAuthClientView {
  return {
    client_id: row.id,
    name: row.name,
    type: row.type as ClientType,
    redirect_uris: JSON.parse(row.redirectUris) as string[],
    grant_types: JSON.parse(row.grantTypes) as GrantType[],
    first_party: row.firstParty,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkClient(type: ClientType, redirectUris: readonly string[], grantTypes: readonly GrantType[]) {
  // Zod-like issues, so that each field's message is written in the caller's language.
  const issues: { code: "custom"; path: (string | number)[]; message: string }[] = [];
  const issue = (path: (string | number)[], text: string) => issues.push({ code: "custom", path, message: text });
  redirectUris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri);
    if (problem) issue(["redirect_uris", index], message(`oauthClient.${problem}`, { uri }));
  });
  const grantProblem = grantTypeProblem(type, grantTypes);
  if (grantProblem) issue(["grant_types"], message(`oauthClient.${grantProblem}`));
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) {
    issue(["redirect_uris"], message("oauthClient.redirectNeeded"));
  }
  if (issues.length > 0) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: issues.map((each) => `${each.path.join(".")}: ${each.message}`).join("; "),
      cause: Object.assign(new Error("invalid client"), { issues }),
    });
  }
}

export type NewClient = {
  name: string;
  redirect_uris: string[];
  type: ClientType;
  grant_types?: GrantType[];
  first_party?: boolean;
};

const defaultGrantTypes = (type: ClientType): GrantType[] =>
  type === "confidential" ? ["authorization_code", "refresh_token"] : ["authorization_code", "refresh_token"];

/** Registers a client; a confidential client's secret is in this answer only (the database keeps its SHA-256). */
export async function createClient(db: Db, input: NewClient) {
  const grantTypes = [...new Set(input.grant_types ?? defaultGrantTypes(input.type))];
  const redirectUris = [...new Set(input.redirect_uris)];
  checkClient(input.type, redirectUris, grantTypes);
  const secret = input.type === "confidential" ? randomToken("mcs_") : null;
  const row = await db.oAuthClient.create({
    data: {
      id: `mc_${randomToken().slice(0, 22)}`,
      name: input.name,
      type: input.type,
      secretHash: secret ? sha256(secret) : null,
      redirectUris: JSON.stringify(redirectUris),
      grantTypes: JSON.stringify(grantTypes),
      firstParty: input.first_party ?? false,
    },
    select: clientSelect,
  });
  return { ...clientView(row), ...(secret ? { client_secret: secret } : {}) };
}

export async function listClients(db: Db): Promise<OAuthClientView[]> {
  const rows = await db.oAuthClient.findMany({ select: clientSelect, orderBy: { createdAt: "asc" } });
  return rows.map(clientView);
}

export async function findClient(db: Db, id: string): Promise<OAuthClientView | null> {
  const row = await db.oAuthClient.findUnique({ where: { id }, select: clientSelect });
  return row ? clientView(row) : null;
}

export type ClientChanges = {
  name?: string;
  redirect_uris?: string[];
  grant_types?: GrantType[];
  first_party?: boolean;
};

export async function updateClient(db: Db, id: string, changes: ClientChanges): Promise<OAuthClientView> {
  const current = await findClient(db, id);
  if (!current) throw apiError("NOT_FOUND", said("notFound.client"));
  const redirectUris = changes.redirect_uris ? [...new Set(changes.redirect_uris)] : current.redirect_uris;
  const grantTypes = changes.grant_types ? [...new Set(changes.grant_types)] : current.grant_types;
  checkClient(current.type, redirectUris, grantTypes);
  const row = await db.oAuthClient.update({
    where: { id },
    data: {
      name: changes.name,
      redirectUris: JSON.stringify(redirectUris),
      grantTypes: JSON.stringify(grantTypes),
      firstParty: changes.first_party,
    },
    select: clientSelect,
  });
  return clientView(row);
}

/** Deletes a client and ends everything it was granted: its sessions, tokens and the consents given to it. */
export async function deleteClient(db: Db, id: string): Promise<boolean> {
  if (id === CLI_CLIENT_ID) {
    throw apiError("FORBIDDEN", said("permission.cliClient"));
  }
  const deleted = await db.oAuthClient.deleteMany({ where: { id } });
  if (deleted.count === 0) return false;
  await endClientSessions(db, { clientId: id }, "oauth_client_deleted");
  await db.oAuthConsent.deleteMany({ where: { clientId: id } });
  return true;
}

/** Revokes the sessions (and so the grants and tokens) of a client, for every user or one. */
export async function endClientSessions(db: Db, where: { clientId: string; userId?: string }, reason: string) {
  const sessions = await db.authSession.findMany({
    where: { kind: "oidc", clientId: where.clientId, userId: where.userId, revokedAt: null },
    select: { id: true },
  });
  for (const session of sessions) await revokeSession(db, session.id, reason);
  return sessions.length;
}

/** The `mastoc-cli` client, made once (at every start, idempotently). */
export async function ensureCliClient(db: Db): Promise<void> {
  await db.oAuthClient.upsert({
    where: { id: CLI_CLIENT_ID },
    create: {
      id: CLI_CLIENT_ID,
      name: "mastoc CLI",
      type: "public",
      secretHash: null,
      redirectUris: JSON.stringify(["http://127.0.0.1/callback", "http://[::1]/callback"]),
      grantTypes: JSON.stringify([
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
      ]),
      firstParty: true,
    },
    update: {},
  });
}

/** Whether the user already consented to these scopes for this client (a third-party client asks once per scope set). */
export async function hasConsent(db: Db, userId: string, clientId: string, scopes: readonly string[]) {
  const consent = await db.oAuthConsent.findUnique({
    where: { userId_clientId: { userId, clientId } },
    select: { scopes: true },
  });
  if (!consent) return false;
  const granted = new Set(consent.scopes.split(" "));
  return scopes.every((scope) => granted.has(scope));
}

export async function recordConsent(db: Db, userId: string, clientId: string, scopes: readonly string[]) {
  const existing = await db.oAuthConsent.findUnique({
    where: { userId_clientId: { userId, clientId } },
    select: { scopes: true },
  });
  const all = [...new Set([...(existing?.scopes.split(" ").filter(Boolean) ?? []), ...scopes])].sort().join(" ");
  await db.oAuthConsent.upsert({
    where: { userId_clientId: { userId, clientId } },
    create: { userId, clientId, scopes: all },
    update: { scopes: all, lastUsedAt: new Date() },
  });
}

/** The user's connected apps: clients they consented to or hold a live session with. */
export async function connectedApps(db: Db, userId: string) {
  const [consents, sessions] = await Promise.all([
    db.oAuthConsent.findMany({ where: { userId }, select: { clientId: true, scopes: true, lastUsedAt: true } }),
    db.authSession.findMany({
      where: { userId, kind: "oidc", revokedAt: null, expiresAt: { gt: new Date() } },
      select: { clientId: true, lastUsedAt: true },
    }),
  ]);
  const byClient = new Map<string, { scopes: string[]; lastUsedAt: Date }>();
  for (const consent of consents) {
    byClient.set(consent.clientId, {
      scopes: consent.scopes.split(" ").filter(Boolean),
      lastUsedAt: consent.lastUsedAt,
    });
  }
  for (const session of sessions) {
    if (!session.clientId) continue;
    const entry = byClient.get(session.clientId) ?? { scopes: [], lastUsedAt: session.lastUsedAt };
    if (session.lastUsedAt > entry.lastUsedAt) entry.lastUsedAt = session.lastUsedAt;
    byClient.set(session.clientId, entry);
  }
  const clients = await db.oAuthClient.findMany({
    where: { id: { in: [...byClient.keys()] } },
    select: { id: true, name: true },
  });
  return clients
    .map((client) => ({ clientId: client.id, name: client.name, ...byClient.get(client.id)! }))
    .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
}

/** Withdraws the user's consent to a client and ends the client's sessions and tokens for them. */
export async function withdrawConsent(db: Db, userId: string, clientId: string): Promise<boolean> {
  const removed = await db.oAuthConsent.deleteMany({ where: { userId, clientId } });
  const ended = await endClientSessions(db, { clientId, userId }, "oauth_consent_withdrawn");
  return removed.count > 0 || ended > 0;
}

/**
 * A sign-in through the provider: an AuthSession of kind "oidc" for the client, like any other
 * session (listed, revocable, ended by deactivation, password change and "sign out everywhere"),
 * recorded in the audit trail. Its id binds the grant and every token issued under it.
 */
export async function openOidcSession(
  db: Db,
  config: Config,
  user: { id: string; email: string },
  clientId: string,
  scopes: readonly string[],
  meta: RequestMeta,
): Promise<string> {
  const session = await createSession(db, config, user.id, "oidc", meta, clientId);
  await recordAudit(db, {
    action: "oauth.grant",
    actor: user,
    targetType: "session",
    targetId: session.id,
    changes: { clientId, scopes: [...scopes] },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return session.id;
}
