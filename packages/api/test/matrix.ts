// The permission matrix as data: every role × every procedure, with the outcome each
// role must get. Run through createCaller (permissions.test.ts) and over HTTP (apps/web/test).
import { randomBytes } from "node:crypto";
import type { Db, Role } from "@mastoc/db";
import type { Config } from "../src/config";
import { createSession, issueTokens } from "../src/services/sessions";
import { sha256 } from "../src/services/tokens";

export type Actor = Role | "ANONYMOUS";
export type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";

export type Fixture = {
  self: { id: string };
  user: { id: string };
  moderator: { id: string };
  admin: { id: string };
  ownClimb: { id: string };
  otherClimb: { id: string };
  ownKey: { id: string };
  otherKey: { id: string };
};

export type MatrixCase = {
  name: string;
  path: string;
  type: "query" | "mutation";
  input?: (fixture: Fixture) => unknown;
  expect: Record<Actor, Outcome>;
};

const everyone = (anonymous: Outcome = "UNAUTHORIZED"): Record<Actor, Outcome> => ({
  ANONYMOUS: anonymous,
  USER: "ok",
  MODERATOR: "ok",
  ADMIN: "ok",
});
const staff: Record<Actor, Outcome> = { ANONYMOUS: "UNAUTHORIZED", USER: "FORBIDDEN", MODERATOR: "ok", ADMIN: "ok" };
const admins: Record<Actor, Outcome> = {
  ANONYMOUS: "UNAUTHORIZED",
  USER: "FORBIDDEN",
  MODERATOR: "FORBIDDEN",
  ADMIN: "ok",
};
const PASSWORD_FOR_DELETE = "Matrix-Delete-Me-Password-1";

export const matrixCases: MatrixCase[] = [
  // own profile
  { name: "read own profile", path: "users.me", type: "query", expect: everyone() },
  {
    name: "update own profile",
    path: "users.updateMe",
    type: "mutation",
    input: () => ({ name: "Renamed" }),
    expect: everyone(),
  },
  { name: "delete own avatar", path: "users.deleteAvatar", type: "mutation", expect: everyone() },
  {
    name: "delete own account",
    path: "users.deleteMe",
    type: "mutation",
    input: () => ({ password: PASSWORD_FOR_DELETE }),
    expect: everyone(),
  },
  {
    name: "read a public profile",
    path: "users.byId",
    type: "query",
    input: (f) => ({ id: f.user.id }),
    expect: everyone(),
  },
  { name: "list own sessions", path: "auth.sessions", type: "query", expect: everyone() },
  {
    name: "ask for a new verification link",
    path: "auth.requestEmailVerification",
    type: "mutation",
    expect: everyone(),
  },
  {
    name: "change own email address",
    path: "users.changeEmail",
    type: "mutation",
    input: (f) => ({ newEmail: `moved-${f.user.id}@example.com`, password: PASSWORD_FOR_DELETE }),
    expect: everyone(),
  },
  // own two-factor authentication
  { name: "read own two-factor status", path: "auth.twoFactor.status", type: "query", expect: everyone() },
  {
    name: "start a two-factor enrolment",
    path: "auth.twoFactor.setup",
    type: "mutation",
    input: () => ({ password: PASSWORD_FOR_DELETE }),
    expect: everyone(),
  },
  // own passkeys
  { name: "list own passkeys", path: "passkeys.list", type: "query", expect: everyone() },
  { name: "start adding a passkey", path: "passkeys.registrationOptions", type: "mutation", expect: everyone() },
  {
    name: "start a passkey sign-in",
    path: "passkeys.authenticationOptions",
    type: "mutation",
    expect: everyone("ok"),
  },
  // own API keys
  {
    name: "create an own API key",
    path: "apiKeys.create",
    type: "mutation",
    input: () => ({ name: "matrix" }),
    expect: everyone(),
  },
  { name: "list own API keys", path: "apiKeys.list", type: "query", expect: everyone() },
  {
    name: "revoke an own API key",
    path: "apiKeys.revoke",
    type: "mutation",
    input: (f) => ({ id: f.ownKey.id }),
    expect: everyone(),
  },
  {
    name: "list another user's API keys",
    path: "apiKeys.list",
    type: "query",
    input: (f) => ({ userId: f.user.id }),
    expect: admins,
  },
  {
    name: "revoke another user's API key",
    path: "apiKeys.revoke",
    type: "mutation",
    input: (f) => ({ id: f.otherKey.id }),
    expect: { ANONYMOUS: "UNAUTHORIZED", USER: "NOT_FOUND", MODERATOR: "NOT_FOUND", ADMIN: "ok" },
  },
  // the OpenID provider's clients and keys; the caller's connected apps
  {
    name: "register an OAuth client",
    path: "oauth.createClient",
    type: "mutation",
    input: () => ({ name: "matrix", redirect_uris: ["https://app.example/cb"], type: "public" }),
    expect: admins,
  },
  { name: "list OAuth clients", path: "oauth.listClients", type: "query", expect: admins },
  {
    name: "edit an unknown OAuth client",
    path: "oauth.updateClient",
    type: "mutation",
    input: () => ({ id: "mc_missing", name: "renamed" }),
    expect: { ANONYMOUS: "UNAUTHORIZED", USER: "FORBIDDEN", MODERATOR: "FORBIDDEN", ADMIN: "NOT_FOUND" },
  },
  {
    name: "delete an unknown OAuth client",
    path: "oauth.deleteClient",
    type: "mutation",
    input: () => ({ id: "mc_missing" }),
    expect: { ANONYMOUS: "UNAUTHORIZED", USER: "FORBIDDEN", MODERATOR: "FORBIDDEN", ADMIN: "NOT_FOUND" },
  },
  { name: "rotate the OpenID signing keys", path: "oauth.rotateKeys", type: "mutation", expect: admins },
  { name: "list own connected apps", path: "oauth.connectedApps", type: "query", expect: everyone() },
  {
    name: "remove an app that is not connected",
    path: "oauth.revokeConnectedApp",
    type: "mutation",
    input: () => ({ clientId: "mc_missing" }),
    expect: { ANONYMOUS: "UNAUTHORIZED", USER: "NOT_FOUND", MODERATOR: "NOT_FOUND", ADMIN: "NOT_FOUND" },
  },
  {
    name: "read a sign-in request that does not exist",
    path: "oauth.interaction",
    type: "query",
    input: () => ({ uid: "missing" }),
    expect: { ANONYMOUS: "UNAUTHORIZED", USER: "NOT_FOUND", MODERATOR: "NOT_FOUND", ADMIN: "NOT_FOUND" },
  },
  // climbs
  { name: "list climbs", path: "climbs.list", type: "query", input: () => ({}), expect: everyone() },
  {
    name: "find climbs by ID prefix",
    path: "climbs.byIdPrefix",
    type: "query",
    input: (f) => ({ prefix: f.otherClimb.id.slice(0, 8) }),
    expect: everyone(),
  },
  {
    name: "read a climb",
    path: "climbs.byId",
    type: "query",
    input: (f) => ({ id: f.otherClimb.id }),
    expect: everyone(),
  },
  {
    name: "create a climb",
    path: "climbs.create",
    type: "mutation",
    input: () => ({ name: "Matrix arete", grade: "6A" }),
    expect: everyone(),
  },
  {
    name: "update an own climb",
    path: "climbs.update",
    type: "mutation",
    input: (f) => ({ id: f.ownClimb.id, grade: "6B" }),
    expect: everyone(),
  },
  {
    name: "delete an own climb",
    path: "climbs.delete",
    type: "mutation",
    input: (f) => ({ id: f.ownClimb.id }),
    expect: everyone(),
  },
  {
    name: "update any climb",
    path: "climbs.update",
    type: "mutation",
    input: (f) => ({ id: f.otherClimb.id, grade: "7A" }),
    expect: staff,
  },
  {
    name: "delete any climb",
    path: "climbs.delete",
    type: "mutation",
    input: (f) => ({ id: f.otherClimb.id }),
    expect: staff,
  },
  // users (read-only for moderators)
  {
    name: "list and search users",
    path: "admin.listUsers",
    type: "query",
    input: () => ({ query: "matrix" }),
    expect: staff,
  },
  {
    name: "find users by ID prefix",
    path: "admin.usersByIdPrefix",
    type: "query",
    input: (f) => ({ prefix: f.user.id.slice(0, 8) }),
    expect: staff,
  },
  {
    name: "view any user's details",
    path: "admin.getUser",
    type: "query",
    input: (f) => ({ id: f.user.id }),
    expect: staff,
  },
  {
    name: "list a user's sessions",
    path: "admin.userSessions",
    type: "query",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  {
    name: "read a user's security activity",
    path: "admin.userSecurityActivity",
    type: "query",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  {
    name: "sign out a user's session (an unknown one: the permission is checked first)",
    path: "admin.revokeUserSession",
    type: "mutation",
    input: (f) => ({ userId: f.user.id, sessionId: "no-such-session" }),
    expect: { ...admins, ADMIN: "NOT_FOUND" },
  },
  // activation
  {
    name: "deactivate a USER account",
    path: "admin.deactivate",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: staff,
  },
  {
    name: "reactivate a USER account",
    path: "admin.activate",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: staff,
  },
  {
    name: "deactivate a MODERATOR account",
    path: "admin.deactivate",
    type: "mutation",
    input: (f) => ({ id: f.moderator.id }),
    expect: admins,
  },
  {
    name: "deactivate an ADMIN account",
    path: "admin.deactivate",
    type: "mutation",
    input: (f) => ({ id: f.admin.id }),
    expect: admins,
  },
  // administration
  {
    name: "change a role",
    path: "admin.setRole",
    type: "mutation",
    input: (f) => ({ id: f.user.id, role: "MODERATOR" }),
    expect: admins,
  },
  {
    name: "edit another user",
    path: "admin.updateUser",
    type: "mutation",
    input: (f) => ({ id: f.user.id, name: "Edited" }),
    expect: admins,
  },
  {
    name: "verify an email",
    path: "admin.verifyEmail",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  {
    name: "reset a user's two-factor authentication",
    path: "admin.resetTwoFactor",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  {
    name: "unlock an account",
    path: "admin.unlock",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  {
    name: "delete a user",
    path: "admin.deleteUser",
    type: "mutation",
    input: (f) => ({ id: f.user.id }),
    expect: admins,
  },
  // dashboards
  {
    name: "read the security figures",
    path: "admin.stats",
    type: "query",
    input: () => ({ days: 7 }),
    expect: admins,
  },
  {
    name: "read the catalogue figures",
    path: "climbs.stats",
    type: "query",
    input: () => ({ days: 7 }),
    expect: staff,
  },
  {
    name: "read own security activity",
    path: "users.securityActivity",
    type: "query",
    expect: everyone(),
  },
  // audit
  {
    name: "read the climb audit log",
    path: "audit.list",
    type: "query",
    input: () => ({ targetType: "climb" }),
    expect: staff,
  },
  {
    name: "read the whole audit log",
    path: "audit.list",
    type: "query",
    input: () => ({ targetType: "user" }),
    expect: admins,
  },
];

/** One bcrypt hash shared by every matrix user (computed once; the matrix is not about hashing). */
let sharedHash: Promise<string> | undefined;

async function makeUser(db: Db, role: Role, hash: string) {
  const name = `matrix${randomBytes(6).toString("hex")}`;
  return db.user.create({
    data: { email: `${name}@example.com`, username: name, role, passwordHash: hash },
    select: { id: true, role: true, sessionVersion: true },
  });
}

/**
 * A fresh actor (signed in with an access token) and fresh targets for one case, so that
 * destructive cases (delete, deactivate) never affect another.
 */
export async function prepareCase(
  db: Db,
  config: Config,
  actor: Actor,
  hashPassword: (password: string) => Promise<string>,
) {
  sharedHash ??= hashPassword(PASSWORD_FOR_DELETE);
  const hash = await sharedHash;
  const [user, moderator, admin] = await Promise.all([
    makeUser(db, "USER", hash),
    makeUser(db, "MODERATOR", hash),
    makeUser(db, "ADMIN", hash),
  ]);
  const self = actor === "ANONYMOUS" ? user : await makeUser(db, actor, hash);
  // The target user has a two-factor enrolment under way, which an administrator can reset.
  await db.user.update({ where: { id: user.id }, data: { twoFactorSecret: "v1.pending-enrolment" } });
  const ownClimb = await db.climb.create({
    data: { name: "Own", grade: "5+", createdById: self.id, updatedById: self.id },
  });
  const otherClimb = await db.climb.create({
    data: { name: "Other", grade: "6A", createdById: user.id, updatedById: user.id },
  });
  const key = (userId: string) =>
    db.apiKey.create({
      data: { userId, name: "fixture", prefix: "mk_fixtur", keyHash: sha256(randomBytes(32).toString("hex")) },
      select: { id: true },
    });
  const fixture: Fixture = {
    self,
    user,
    moderator,
    admin,
    ownClimb,
    otherClimb,
    ownKey: await key(self.id),
    otherKey: await key(user.id),
  };
  let token: string | null = null;
  if (actor !== "ANONYMOUS") {
    const session = await createSession(db, config, self.id, "token", { ip: "203.0.113.7", userAgent: "matrix" });
    token = (await issueTokens(db, config, self as never, session.id)).access_token;
  }
  return { fixture, token };
}

export const actors: Actor[] = ["ANONYMOUS", "USER", "MODERATOR", "ADMIN"];

/** Follows a dotted path ("admin.listUsers") on a caller or client proxy. */
export function procedureAt(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}
