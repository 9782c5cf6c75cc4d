// Zod schemas shared by the API, the web forms and the CLI. Pure zod: safe in a browser bundle.
// Their own messages come from the `validation` catalog (`message`, in English), and are written
// again in the reader's language after parsing (i18n/zod.ts: the API's fieldErrors in ctx.locale,
// `localizedResolver` in the forms); zod's built-in checks speak through zod's own locales.
import { z } from "zod";
import { isTimeZone, LOCALES } from "./i18n/locales";
import { message as m, type ValidationKey } from "./i18n/validation-keys";
import { roles } from "./permissions";

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt only reads the first 72 bytes; longer passwords are refused, never silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** A string whose absence (or wrong type) reads `required`; its other checks keep their own messages. */
const requiredString = (required: string) =>
  z.string({
    error: (issue) => (issue.input === undefined || typeof issue.input !== "string" ? required : undefined),
  });

export const emailSchema = requiredString(m("email.required"))
  .trim()
  .toLowerCase()
  .min(1, m("email.required"))
  .max(254, m("email.tooLong", { max: 254 }))
  .pipe(z.email(m("email.invalid")));

export const usernameSchema = requiredString(m("username.required"))
  .trim()
  .toLowerCase()
  .min(3, m("username.tooShort", { min: 3 }))
  .max(32, m("username.tooLong", { max: 32 }))
  .regex(/^[a-z0-9_.-]+$/, m("username.characters"));

/** Length rules of the password policy; strength and personal-data rules are checked on the server. */
export const passwordSchema = requiredString(m("password.required"))
  .min(PASSWORD_MIN_LENGTH, m("password.tooShort", { min: PASSWORD_MIN_LENGTH }))
  .max(PASSWORD_MAX_BYTES, { message: m("password.tooLong", { max: PASSWORD_MAX_BYTES }), abort: true })
  .refine((value) => utf8Length(value) <= PASSWORD_MAX_BYTES, {
    message: m("password.tooLong", { max: PASSWORD_MAX_BYTES }),
  });

const optionalText = (tooLong: ValidationKey, max: number) =>
  z
    .string()
    .trim()
    .max(max, m(tooLong, { max }))
    .transform((value) => (value === "" ? null : value))
    .nullish();

export const displayNameSchema = optionalText("displayName.tooLong", 100);
export const firstNameSchema = optionalText("firstName.tooLong", 100);
export const lastNameSchema = optionalText("lastName.tooLong", 100);

export const registerInput = z.strictObject({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
  name: displayNameSchema,
  firstName: firstNameSchema,
  lastName: lastNameSchema,
});
export type RegisterInput = z.input<typeof registerInput>;

export const loginInput = z.strictObject({
  /** An email or a username. */
  email: requiredString(m("identifier.required")).trim().toLowerCase().min(1, m("identifier.required")).max(254),
  password: requiredString(m("password.required")).min(1, m("password.required")).max(1024),
});
export type LoginInput = z.input<typeof loginInput>;

export const refreshInput = z.strictObject({
  refresh_token: requiredString(m("token.refreshRequired")).min(1, m("token.refreshRequired")).max(512),
});

export const logoutInput = z.strictObject({ refresh_token: z.string().min(1).max(512).optional() }).optional();

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, m("password.currentRequired")).max(1024),
  newPassword: passwordSchema,
});

export const requestPasswordResetInput = z.strictObject({ email: emailSchema });

export const confirmPasswordResetInput = z.strictObject({
  token: z.string().min(1, m("token.resetMissing")).max(512),
  password: passwordSchema,
});

export const emailTokenInput = z.strictObject({
  token: z
    .string({ error: m("token.linkMissing") })
    .min(1, m("token.linkMissing"))
    .max(512),
});

const passwordConfirmation = requiredString(m("password.required")).min(1, m("password.required")).max(1024);
/** A TOTP code (6 digits) or, where accepted, a recovery code (xxxxx-xxxxx). */
const secondFactorCode = requiredString(m("code.required"))
  .trim()
  .min(1, m("code.required"))
  .max(32, m("code.tooLong"));

export const twoFactorSetupInput = z.strictObject({ password: passwordConfirmation });
export const twoFactorEnableInput = z.strictObject({
  code: secondFactorCode.regex(/^\d{6}$/, m("code.totp")),
});
export const twoFactorConfirmInput = z.strictObject({ password: passwordConfirmation, code: secondFactorCode });
export const verifyMfaInput = z.strictObject({
  mfa_token: requiredString(m("token.mfaRequired")).min(1, m("token.mfaRequired")).max(512),
  code: secondFactorCode,
});

export const passkeyNameSchema = requiredString(m("passkey.nameRequired"))
  .trim()
  .min(1, m("passkey.nameRequired"))
  .max(64, m("passkey.nameTooLong", { max: 64 }));

const base64url = (max: number) =>
  z
    .string()
    .max(max, m("passkey.tooLong", { max }))
    .regex(/^[A-Za-z0-9_-]*$/, m("passkey.base64url"));
const clientExtensionResults = z.record(z.string().max(64), z.unknown()).default({});

/** A browser's answer to a registration ceremony (`startRegistration` of @simplewebauthn/browser). */
export const passkeyRegistrationResponseSchema = z.object({
  id: base64url(1024),
  rawId: base64url(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url(16_384),
    attestationObject: base64url(65_536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** A browser's answer to a sign-in ceremony (`startAuthentication`). */
export const passkeyAuthenticationResponseSchema = z.object({
  id: base64url(1024),
  rawId: base64url(1024),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url(16_384),
    authenticatorData: base64url(16_384),
    signature: base64url(4096),
    userHandle: base64url(1024).optional(),
  }),
  clientExtensionResults,
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const passkeyRegisterInput = z.strictObject({
  name: passkeyNameSchema,
  response: passkeyRegistrationResponseSchema,
});
export const passkeyRenameInput = z.strictObject({
  id: z.string().min(1, m("id.required")).max(64),
  name: passkeyNameSchema,
});

export const changeEmailInput = z.strictObject({
  newEmail: emailSchema,
  password: requiredString(m("password.required")).min(1, m("password.required")).max(1024),
});

export const passwordStrengthInput = z.strictObject({
  password: z.string().max(1024),
  email: z.string().max(254).optional(),
  username: z.string().max(64).optional(),
});

/** A language this server speaks, as chosen in the profile or the switcher. */
export const localeSchema = z.enum(LOCALES, { error: m("locale.invalid", { values: LOCALES.join(", ") }) });

/** An IANA time zone ("Europe/Paris"), as the browser reports it or the user picks it. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { error: m("timeZone.invalid") });

/** Profile fields a user may change; privileged fields are rejected as unknown keys. */
export const updateMeInput = z
  .strictObject({
    name: displayNameSchema,
    username: usernameSchema.optional(),
    firstName: firstNameSchema,
    lastName: lastNameSchema,
    locale: localeSchema.optional(),
    timeZone: timeZoneSchema.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: m("nothingToUpdate") });

/**
 * Deleting one's account: the password and, when two-factor authentication is on, a code from the
 * authenticator app or a recovery code, or one's passkey's answer to `passkeys.confirmationOptions`
 * (both ignored otherwise).
 */
export const deleteMeInput = z.strictObject({
  password: z.string().min(1, m("password.required")).max(1024),
  code: secondFactorCode.optional(),
  passkey: passkeyAuthenticationResponseSchema.optional(),
});

export const roleSchema = z.enum(roles, { error: m("role.invalid", { values: roles.join(", ") }) });

export const idInput = z.strictObject({ id: z.string().min(1, m("id.required")).max(64) });

/** The first characters of an ID (as a short git hash), to find the rows it may stand for. */
export const idPrefixInput = z.strictObject({
  prefix: z
    .string()
    .min(6, m("id.prefixTooShort", { min: 6 }))
    .max(64)
    .regex(/^[a-z0-9]+$/, m("id.prefixCharacters")),
});

export const adminRevokeSessionInput = z.strictObject({
  userId: z.string().min(1, m("id.userIdRequired")).max(64),
  sessionId: z.string().min(1, m("id.sessionIdRequired")).max(64),
});

export const apiKeyCreateInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, m("name.required"))
    .max(64, m("name.tooLong", { max: 64 })),
  expiresInDays: z
    .number()
    .int()
    .min(1, m("apiKey.expiryTooShort", { min: 1 }))
    .max(3650)
    .optional(),
});

/**
 * Climbing grades: Fontainebleau (3, 4+, 5, 6A … 9A, with an optional +) for boulders, the V scale (VB, V0–V17), or
 * French sport grades (e.g. 5c, 6a+, 9c).
 */
export const gradeSchema = requiredString(m("grade.required"))
  .trim()
  .regex(/^(?:[3-5]\+?|[6-9][ABC]\+?|VB|V(?:1[0-7]|[0-9])|[3-9][abc]\+?)$/, m("grade.invalid"));

export const climbCreateInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, m("name.required"))
    .max(100, m("name.tooLong", { max: 100 })),
  grade: gradeSchema,
  description: z
    .string()
    .trim()
    .max(2000, m("climb.descriptionTooLong", { max: 2000 }))
    .nullish(),
});

export const climbUpdateInput = climbCreateInput.partial().extend({ id: z.string().min(1).max(64) });

export const listUsersInput = z.strictObject({
  /** Matches email, username or display name. */
  query: z.string().trim().max(100).optional(),
  role: roleSchema.optional(),
  active: z.boolean().optional(),
  locked: z.boolean().optional(),
  /** Whether the email address is verified. */
  verified: z.boolean().optional(),
  /** Whether the account has a second factor: two-factor authentication or a passkey. */
  secondFactor: z.boolean().optional(),
  sort: z.enum(["createdAt", "email", "username", "name", "lastLoginAt", "role"]).default("createdAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const adminUpdateUserInput = z.strictObject({
  id: z.string().min(1).max(64),
  email: emailSchema.optional(),
  username: usernameSchema.optional(),
  name: displayNameSchema,
  firstName: firstNameSchema,
  lastName: lastNameSchema,
});

export const setRoleInput = z.strictObject({ id: z.string().min(1).max(64), role: roleSchema });

export const listClimbsInput = z.strictObject({
  creatorId: z.string().max(64).optional(),
  grade: z.string().trim().max(8).optional(),
  /** A range of grades on one scale, in its order (either end may be left open): 6A to 7A+ finds 7A+. */
  gradeFrom: gradeSchema.optional(),
  gradeTo: gradeSchema.optional(),
  /** Matches name or description. */
  query: z.string().trim().max(100).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

/** A date both databases can store and compare: from 1970 to the end of year 9999. */
export const dateSchema = z.coerce
  .date({ error: m("date.invalid") })
  .min(new Date("1970-01-01T00:00:00.000Z"), m("date.tooEarly"))
  .max(new Date("9999-12-31T23:59:59.999Z"), m("date.tooLate"));

/** The days a dashboard covers, ending today (UTC). */
export const statsInput = z
  .object({
    days: z
      .number({ error: m("days.whole") })
      .int(m("days.whole"))
      .min(1, m("days.tooFew", { min: 1 }))
      .max(365, m("days.tooMany", { max: 365 }))
      .default(30),
  })
  .default({ days: 30 });

const auditFilters = {
  actorId: z.string().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  targetType: z.string().trim().max(32).optional(),
  targetId: z.string().max(64).optional(),
  /** The client address, exactly. */
  ip: z.string().trim().max(64).optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
};

export const listAuditInput = z.strictObject({
  ...auditFilters,
  cursor: z.string().max(64).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The audit trail as a file: the list's filters, every matching entry. */
export const exportAuditInput = z.strictObject({ ...auditFilters, format: z.enum(["csv", "ndjson"]) });

export const listApiKeysInput = z.strictObject({ userId: z.string().max(64).optional() }).optional();

const oauthGrantType = z.enum([
  "authorization_code",
  "refresh_token",
  "urn:ietf:params:oauth:grant-type:device_code",
  "client_credentials",
]);
const redirectUris = z.array(z.string().min(1).max(2000)).max(20, "at most 20 redirect URIs");

/** A client of the OpenID provider; OAuth's own field names (`redirect_uris`, `grant_types`). */
export const oauthClientCreateInput = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  redirect_uris: redirectUris,
  type: z.enum(["public", "confidential"]),
  grant_types: z.array(oauthGrantType).min(1).max(4).optional(),
  first_party: z.boolean().optional(),
});

export const oauthClientUpdateInput = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1, "name is required").max(100).optional(),
  redirect_uris: redirectUris.optional(),
  grant_types: z.array(oauthGrantType).min(1).max(4).optional(),
  first_party: z.boolean().optional(),
});

export const clientIdInput = z.strictObject({ clientId: z.string().min(1).max(64) });
export const interactionInput = z.strictObject({ uid: z.string().min(1).max(64) });
