// What leaves the server is decided here and only here: named selects, never whole rows, so a
// password hash, token hash or key hash cannot reach a response by accident.
import type { Prisma } from "@mastoc/db";
import { permissionsFor } from "./permissions";

export const publicUserSelect = {
  id: true,
  username: true,
  name: true,
  image: true,
  role: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

export const selfUserSelect = {
  id: true,
  email: true,
  username: true,
  name: true,
  firstName: true,
  lastName: true,
  image: true,
  role: true,
  isActive: true,
  emailVerified: true,
  createdAt: true,
  updatedAt: true,
  lastLoginAt: true,
  locale: true,
  timeZone: true,
} satisfies Prisma.UserSelect;

/**
 * What the request context knows about the caller: the self view plus the session version, so that
 * "who am I" needs no query beyond the one that resolved the credential.
 */
export const contextUserSelect = { ...selfUserSelect, sessionVersion: true } satisfies Prisma.UserSelect;

export const adminUserSelect = {
  ...selfUserSelect,
  lockedUntil: true,
  failedLoginCount: true,
  passwordChangedAt: true,
  twoFactorEnabledAt: true,
} satisfies Prisma.UserSelect;

export const sessionSelect = {
  id: true,
  kind: true,
  clientId: true,
  userAgent: true,
  ip: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
} satisfies Prisma.AuthSessionSelect;

export const apiKeySelect = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiKeySelect;

/** What a lookup by ID prefix shows of each candidate, to tell them apart. */
export const userIdMatchSelect = { id: true, email: true, username: true } satisfies Prisma.UserSelect;
export const climbIdMatchSelect = { id: true, name: true, grade: true } satisfies Prisma.ClimbSelect;

export const climbSelect = {
  id: true,
  name: true,
  grade: true,
  description: true,
  createdById: true,
  updatedById: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: publicUserSelect },
  updatedBy: { select: publicUserSelect },
} satisfies Prisma.ClimbSelect;

export const auditSelect = {
  id: true,
  actorId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  ip: true,
  userAgent: true,
  changes: true,
  createdAt: true,
} satisfies Prisma.AuditLogSelect;

/** What a user's security activity reads of an audit entry (never another person's identity). */
export const securityEventSelect = {
  id: true,
  action: true,
  ip: true,
  userAgent: true,
  changes: true,
  createdAt: true,
} satisfies Prisma.AuditLogSelect;

export type SelfUserRow = Prisma.UserGetPayload<{ select: typeof selfUserSelect }>;

/** The self view: the user's own fields plus the permission map of their role. */
export function toSelfView<T extends SelfUserRow>(user: T) {
  const view: SelfUserRow = {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    firstName: user.firstName,
    lastName: user.lastName,
    image: user.image,
    role: user.role,
    isActive: user.isActive,
    emailVerified: user.emailVerified,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
    locale: user.locale,
    timeZone: user.timeZone,
  };
  return { ...view, permissions: permissionsFor(user.role) };
}
