// The one permission table of mastoc accounts. The API checks it, the web shows only
// what it allows, and the CLI receives it as the `permissions` map of `auth.me`.

export const roles = ["USER", "MODERATOR", "ADMIN"] as const;
export type RoleName = (typeof roles)[number];

const everyone = ["USER", "MODERATOR", "ADMIN"] as const;
const staff = ["MODERATOR", "ADMIN"] as const;
const admins = ["ADMIN"] as const;

export const permissionTable = {
  /** Read, update and delete one's own profile, avatar, password and API keys. */
  "profile.manageOwn": everyone,
  "climbs.create": everyone,
  "climbs.manageOwn": everyone,
  "climbs.manageAny": staff,
  /** List and search users and view any user's details (moderators: read-only). */
  "users.read": staff,
  /** Deactivate and reactivate accounts (moderators: USER accounts only). */
  "users.setActive": staff,
  /** Change roles, edit and delete users, verify emails, unlock accounts. */
  "users.manage": admins,
  "apiKeys.manageAny": admins,
  "audit.readClimbs": staff,
  "audit.readAll": admins,
  /** Register, edit and delete the OpenID provider's clients. */
  "oauthClients.manage": admins,
  /** The dashboard's account and security figures (sign-ins, failures, lockouts, addresses). */
  "stats.security": admins,
  /** The dashboard's catalogue figures (climbs added, edited and deleted). */
  "stats.climbs": staff,
} as const satisfies Record<string, readonly RoleName[]>;

export type Capability = keyof typeof permissionTable;
export type PermissionMap = Record<Capability, boolean>;

export function can(role: RoleName, capability: Capability): boolean {
  return (permissionTable[capability] as readonly RoleName[]).includes(role);
}

export function permissionsFor(role: RoleName): PermissionMap {
  return Object.fromEntries(
    (Object.keys(permissionTable) as Capability[]).map((capability) => [capability, can(role, capability)]),
  ) as PermissionMap;
}

/**
 * Whether `actor` may change the activation of an account with role `target`: admins may act on
 * anyone, moderators only on USER accounts.
 */
export function canSetActive(actor: RoleName, target: RoleName): boolean {
  if (can(actor, "users.manage")) return true;
  return can(actor, "users.setActive") && target === "USER";
}

/** Whether `actor` may update or delete a climb created by `creatorId`. */
export function canManageClimb(actor: { id: string; role: RoleName }, creatorId: string | null): boolean {
  return can(actor.role, "climbs.manageAny") || (creatorId === actor.id && can(actor.role, "climbs.manageOwn"));
}
