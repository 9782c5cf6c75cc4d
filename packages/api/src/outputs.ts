// What every procedure answers, as zod schemas: tRPC checks each response against its schema
// (and drops any key the schema does not name), and the REST facade's OpenAPI document is generated
// from them. The named selects (selects.ts) decide what is read; these decide what is sent.
import { z } from "zod";
import { LOCALES } from "./i18n/locales";
import { permissionTable, roles, type Capability } from "./permissions";

const timestamp = z.date();
const text = z.string();
const optionalText = z.string().nullable();
const optionalTimestamp = z.date().nullable();
const count = z.number().int().min(0);

const capabilities = Object.keys(permissionTable) as [Capability, ...Capability[]];

export const roleOutput = z.enum(roles);

/** What anyone signed in may see of a user: never the email. */
export const publicUserOutput = z
  .object({ id: text, username: text, name: optionalText, image: optionalText, role: roleOutput, createdAt: timestamp })
  .meta({ id: "PublicUser" });

const selfUserFields = {
  id: text,
  email: text,
  username: text,
  name: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  image: optionalText,
  role: roleOutput,
  isActive: z.boolean(),
  emailVerified: optionalTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
  lastLoginAt: optionalTimestamp,
  locale: optionalText.describe(
    `The language chosen for pages, emails and messages: ${LOCALES.join(" or ")} (null: not chosen yet)`,
  ),
  timeZone: optionalText.describe("The IANA time zone dates are shown in (null: not known yet)"),
};

/** The caller's own account, with what their role allows (the one permission table). */
export const selfUserOutput = z
  .object({
    ...selfUserFields,
    permissions: z
      .object(
        Object.fromEntries(capabilities.map((capability) => [capability, z.boolean()])) as Record<
          Capability,
          z.ZodBoolean
        >,
      )
      .describe("Every capability of the permission table, true where the caller's role holds it"),
  })
  .meta({ id: "SelfUser" });

/** An account as administrators and moderators see it. */
export const adminUserOutput = z
  .object({
    ...selfUserFields,
    lockedUntil: optionalTimestamp,
    failedLoginCount: count,
    passwordChangedAt: optionalTimestamp,
    twoFactorEnabledAt: optionalTimestamp.describe("When two-factor authentication was turned on (null: off)"),
  })
  .meta({ id: "AdminUser" });

/** An account an ID prefix may stand for (not a REST answer: no component id, so the OpenAPI document leaves it out). */
export const userIdMatchOutput = z.object({ id: text, email: text, username: text });

export const adminUserDetailOutput = adminUserOutput.extend({ activeSessions: count }).meta({ id: "AdminUserDetail" });

/** A page of a listing: `{ items, total, page, pageSize, pageCount }`. */
export const pageOutput = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), total: count, page: count, pageSize: count, pageCount: count });

/** A page of the administrators' user list: a page of `AdminUser`, whose total may be an estimate. */
export const adminUserPageOutput = z.object({
  items: z.array(adminUserOutput),
  total: count.describe("Exact up to 10,000 matching accounts; beyond, an estimate (see totalEstimated)"),
  totalEstimated: z.boolean().describe("Whether total is an estimate (many accounts match: show it as about N)"),
  page: count,
  pageSize: count,
  pageCount: count,
});

export const successOutput = z.object({ success: z.literal(true) }).meta({ id: "Success" });

export const tokenOutput = z
  .object({
    access_token: text.describe("A JWT for `Authorization: Bearer`"),
    refresh_token: text.describe("Single use: exchange it for a new pair before the access token expires"),
    token_type: z.literal("bearer"),
    expires_in: count.describe("Seconds until the access token expires"),
    user: selfUserOutput,
  })
  .meta({ id: "TokenResponse" });

export const mfaRequiredOutput = z
  .object({
    mfa_required: z.literal(true),
    mfa_token: text.describe("Single use: send it with a code to auth.verifyMfa (POST /auth/login/mfa)"),
    expires_in: count.describe("Seconds until the sign-in must be completed"),
  })
  .meta({ id: "MfaRequired" });

/** What a password sign-in answers: tokens, or the second step of a two-factor account. */
export const loginOutput = z.union([tokenOutput, mfaRequiredOutput]).meta({ id: "LoginResponse" });

export const twoFactorStatusOutput = z
  .object({
    enabled: z.boolean(),
    enabledAt: optionalTimestamp,
    recoveryCodesLeft: count,
  })
  .meta({ id: "TwoFactorStatus" });

export const twoFactorSetupOutput = z
  .object({
    secret: text.describe("The base32 secret, for apps that cannot scan the QR code"),
    otpauthUri: text,
    qrSvg: text.describe("The otpauth URI as an SVG QR code"),
  })
  .meta({ id: "TwoFactorSetup" });

export const recoveryCodesOutput = z
  .object({ recoveryCodes: z.array(text).describe("Shown once: each works a single time instead of a code") })
  .meta({ id: "RecoveryCodes" });

export const passkeyOutput = z
  .object({
    id: text,
    name: text,
    deviceType: text.describe("singleDevice, or multiDevice for a synced passkey"),
    backedUp: z.boolean(),
    createdAt: timestamp,
    lastUsedAt: optionalTimestamp,
  })
  .meta({ id: "Passkey" });

/** WebAuthn ceremony options, as @simplewebauthn/browser's start functions take them. */
export const webAuthnOptionsOutput = z
  .looseObject({ challenge: text.describe("base64url; the other fields are the WebAuthn options as JSON") })
  .meta({ id: "WebAuthnOptions" });

export const statusOutput = z
  .object({
    service: z.literal("mastoc-accounts"),
    authenticated: z.boolean(),
    via: z.enum(["web", "bearer", "apiKey"]).nullable(),
    user: selfUserOutput.nullable(),
  })
  .meta({ id: "Status" });

export const sessionOutput = z
  .object({
    id: text,
    kind: z.enum(["web", "token", "oidc"]),
    clientId: optionalText.describe("For a sign-in through the OpenID provider: the client it was for"),
    userAgent: optionalText,
    ip: optionalText,
    createdAt: timestamp,
    lastUsedAt: timestamp,
    expiresAt: timestamp,
    current: z.boolean().describe("Whether this is the session making the request"),
  })
  .meta({ id: "Session" });

export const passwordStrengthOutput = z
  .object({
    score: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    acceptable: z.boolean(),
    warning: optionalText,
    suggestions: z.array(text),
  })
  .meta({ id: "PasswordStrength" });

export const climbOutput = z
  .object({
    id: text,
    name: text,
    grade: text,
    description: optionalText,
    createdById: optionalText,
    updatedById: optionalText,
    createdAt: timestamp,
    updatedAt: timestamp,
    createdBy: publicUserOutput.nullable(),
    updatedBy: publicUserOutput.nullable(),
  })
  .meta({ id: "Climb" });

/** A climb an ID prefix may stand for (not a REST answer: no component id, so the OpenAPI document leaves it out). */
export const climbIdMatchOutput = z.object({ id: text, name: text, grade: text });

export const apiKeyOutput = z
  .object({
    id: text,
    name: text,
    prefix: text.describe("The key's first characters, to recognise it"),
    createdAt: timestamp,
    expiresAt: optionalTimestamp,
    lastUsedAt: optionalTimestamp,
    revokedAt: optionalTimestamp,
  })
  .meta({ id: "ApiKey" });

export const createdApiKeyOutput = apiKeyOutput
  .extend({ key: text.describe("The key itself: shown in this response only") })
  .meta({ id: "CreatedApiKey" });

export const auditEntryOutput = z
  .object({
    id: text,
    actorId: optionalText,
    actorEmail: optionalText,
    action: text,
    targetType: optionalText,
    targetId: optionalText,
    ip: optionalText,
    userAgent: optionalText,
    // Stored as JSON by the database (its type there is any JSON value); every entry writes an object.
    changes: z
      .preprocess((stored) => stored, z.record(z.string(), z.unknown()).nullable())
      .describe("What changed, as a JSON object (never a secret); null when nothing is recorded"),
    createdAt: timestamp,
  })
  .meta({ id: "AuditEntry" });

export const auditPageOutput = z
  .object({ items: z.array(auditEntryOutput), nextCursor: optionalText })
  .meta({ id: "AuditPage" });

const period = { days: count, from: timestamp, to: timestamp };

const dailySeriesOutput = <Names extends string>(names: readonly Names[], id: string) =>
  z
    .array(
      z.object({
        date: text.describe("The UTC day, YYYY-MM-DD"),
        ...(Object.fromEntries(names.map((name) => [name, count])) as Record<Names, typeof count>),
      }),
    )
    .describe("One entry per day of the period, oldest first; zero when nothing happened")
    .meta({ id });

export const securityStatsOutput = z
  .object({
    ...period,
    totals: z.object({
      users: count,
      activeUsers: count.describe("Signed in, or used a session, during the period"),
      deactivatedUsers: count,
      activeSessions: count,
      lockedAccounts: count.describe("Locked now by failed sign-ins"),
      unverifiedEmails: count,
      withTwoFactor: count,
      withPasskey: count,
      withSecondFactor: count.describe("Two-factor authentication or at least one passkey"),
      secondFactorShare: z.number().min(0).max(1).describe("withSecondFactor / users, to three decimals"),
    }),
    series: dailySeriesOutput(
      ["signIns", "failedSignIns", "lockouts", "registrations", "passwordResets"],
      "SecurityDailyCounts",
    ),
    topFailedAddresses: z
      .array(z.object({ ip: text, failures: count, lastAt: timestamp }))
      .describe("The 10 client addresses with the most failed sign-ins in the last 24 hours, most first"),
  })
  .meta({ id: "SecurityStats" });

export const climbStatsOutput = z
  .object({
    ...period,
    totals: z.object({
      climbs: count,
      created: count.describe("During the period"),
      updated: count.describe("During the period"),
      deleted: count.describe("During the period"),
    }),
    series: dailySeriesOutput(["created", "updated", "deleted"], "ClimbDailyCounts"),
  })
  .meta({ id: "ClimbStats" });

export const securityEventOutput = z
  .object({
    id: text,
    action: text.describe("The audit action, e.g. `auth.login.success`"),
    description: text.describe("What happened, in words"),
    createdAt: timestamp,
    ip: optionalText.describe("The client's address (null for an administrator's change)"),
    userAgent: optionalText,
    client: optionalText.describe("For sign-ins: `web`, `cli` or `api`"),
    method: optionalText.describe("For sign-ins: `password`, `password+totp`, `password+recovery` or `passkey`"),
    byAdministrator: z.boolean(),
  })
  .meta({ id: "SecurityEvent" });

export const oauthClientOutput = z
  .object({
    client_id: text,
    name: text,
    type: z.enum(["public", "confidential"]),
    redirect_uris: z.array(text),
    grant_types: z.array(text),
    first_party: z.boolean().describe("First-party clients are not asked for the user's consent"),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "OAuthClient" });

export const createdOAuthClientOutput = oauthClientOutput
  .extend({
    client_secret: text.optional().describe("Confidential clients only: shown in this response only"),
  })
  .meta({ id: "CreatedOAuthClient" });

export const connectedAppOutput = z
  .object({ clientId: text, name: text, scopes: z.array(text), lastUsedAt: timestamp })
  .meta({ id: "ConnectedApp" });

export const oauthInteractionOutput = z
  .object({
    uid: text,
    clientId: text,
    clientName: text,
    scopes: z.array(text),
    prompt: text,
  })
  .meta({ id: "OAuthInteraction" });
