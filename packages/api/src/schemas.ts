// Zod schemas shared by the API, the web forms and the CLI. Pure zod: safe in a browser bundle.
import { z } from "zod";
import { isTimeZone, LOCALES } from "./i18n/locales";
import { roles } from "./permissions";

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt only reads the first 72 bytes; longer passwords are refused, never silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** A string whose absence (or wrong type) reads "`label` is required"; its other checks keep their own messages. */
const requiredString = (label: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined || typeof issue.input !== "string" ? `${label} is required` : undefined,
  });

export const emailSchema = requiredString("Email")
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

export const usernameSchema = requiredString("Username")
  .trim()
  .toLowerCase()
  .min(3, "Username must be at least 3 characters")
  .max(32, "Username must be at most 32 characters")
  .regex(/^[a-z0-9_.-]+$/, "Username may only contain letters, digits, '_', '.' and '-'");

/** Length rules of the password policy; strength and personal-data rules are checked on the server. */
export const passwordSchema = requiredString("Password")
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt's limit); use a shorter passphrase`,
    abort: true,
  })
  .refine((value) => utf8Length(value) <= PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt's limit); use a shorter passphrase`,
  });

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .transform((value) => (value === "" ? null : value))
    .nullish();

export const displayNameSchema = optionalText("Display name", 100);
export const firstNameSchema = optionalText("First name", 100);
export const lastNameSchema = optionalText("Last name", 100);

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
  email: requiredString("Email or username").trim().toLowerCase().min(1, "Email or username is required").max(254),
  password: requiredString("Password").min(1, "Password is required").max(1024),
});
export type LoginInput = z.input<typeof loginInput>;

export const refreshInput = z.strictObject({
  refresh_token: requiredString("refresh_token").min(1, "refresh_token is required").max(512),
});

export const logoutInput = z.strictObject({ refresh_token: z.string().min(1).max(512).optional() }).optional();

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, "Current password is required").max(1024),
  newPassword: passwordSchema,
});

export const requestPasswordResetInput = z.strictObject({ email: emailSchema });

export const confirmPasswordResetInput = z.strictObject({
  token: z.string().min(1, "The reset token is missing").max(512),
  password: passwordSchema,
});

export const emailTokenInput = z.strictObject({
  token: z.string({ error: "The link's token is missing" }).min(1, "The link's token is missing").max(512),
});

const passwordConfirmation = requiredString("Password").min(1, "Password is required").max(1024);
/** A TOTP code (6 digits) or, where accepted, a recovery code (xxxxx-xxxxx). */
const secondFactorCode = requiredString("Code")
  .trim()
  .min(1, "Code is required")
  .max(32, "A code is 6 digits, or a recovery code of 10 characters");

export const twoFactorSetupInput = z.strictObject({ password: passwordConfirmation });
export const twoFactorEnableInput = z.strictObject({
  code: secondFactorCode.regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"),
});
export const twoFactorConfirmInput = z.strictObject({ password: passwordConfirmation, code: secondFactorCode });
export const verifyMfaInput = z.strictObject({
  mfa_token: requiredString("mfa_token").min(1, "mfa_token is required").max(512),
  code: secondFactorCode,
});

export const passkeyNameSchema = requiredString("Name")
  .trim()
  .min(1, "Name the passkey (e.g. the device it is on)")
  .max(64, "At most 64 characters");

const base64url = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]*$/, "Must be base64url");
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
  id: z.string().min(1, "id is required").max(64),
  name: passkeyNameSchema,
});

export const changeEmailInput = z.strictObject({
  newEmail: emailSchema,
  password: requiredString("Password").min(1, "Password is required").max(1024),
});

export const passwordStrengthInput = z.strictObject({
  password: z.string().max(1024),
  email: z.string().max(254).optional(),
  username: z.string().max(64).optional(),
});

/** A language this server speaks, as chosen in the profile or the switcher. */
export const localeSchema = z.enum(LOCALES, { error: `Language must be one of ${LOCALES.join(", ")}` });

/** An IANA time zone ("Europe/Paris"), as the browser reports it or the user picks it. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { error: "Time zone must be an IANA time zone such as Europe/Paris" });

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
  .refine((value) => Object.keys(value).length > 0, { message: "Nothing to update" });

/**
 * Deleting one's account: the password and, when two-factor authentication is on, a code from the
 * authenticator app or a recovery code, or one's passkey's answer to `passkeys.confirmationOptions`
 * (both ignored otherwise).
 */
export const deleteMeInput = z.strictObject({
  password: z.string().min(1, "Password is required").max(1024),
  code: secondFactorCode.optional(),
  passkey: passkeyAuthenticationResponseSchema.optional(),
});

export const roleSchema = z.enum(roles, { error: `Role must be one of ${roles.join(", ")}` });

export const idInput = z.strictObject({ id: z.string().min(1, "id is required").max(64) });

/** The first characters of an ID (as a short git hash), to find the rows it may stand for. */
export const idPrefixInput = z.strictObject({
  prefix: z
    .string()
    .min(6, "An ID prefix needs at least 6 characters")
    .max(64)
    .regex(/^[a-z0-9]+$/, "An ID has only lower-case letters and digits"),
});

export const adminRevokeSessionInput = z.strictObject({
  userId: z.string().min(1, "userId is required").max(64),
  sessionId: z.string().min(1, "sessionId is required").max(64),
});

export const apiKeyCreateInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(64, "Name must be at most 64 characters"),
  expiresInDays: z.number().int().min(1, "Expiry must be at least 1 day").max(3650).optional(),
});

/**
 * Climbing grades: Fontainebleau (3, 4+, 5, 6A … 9A, with an optional +) for boulders, the V scale (VB, V0–V17), or
 * French sport grades (e.g. 5c, 6a+, 9c).
 */
export const gradeSchema = requiredString("Grade")
  .trim()
  .regex(
    /^(?:[3-5]\+?|[6-9][ABC]\+?|VB|V(?:1[0-7]|[0-9])|[3-9][abc]\+?)$/,
    "Grade must be a Fontainebleau grade (e.g. 6A, 7B+), a V grade (VB, V0–V17) or a French sport grade (e.g. 6a+)",
  );

export const climbCreateInput = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
  grade: gradeSchema,
  description: z.string().trim().max(2000, "Description must be at most 2000 characters").nullish(),
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
  .date({ error: "Must be a date" })
  .min(new Date("1970-01-01T00:00:00.000Z"), "Must be in 1970 or later")
  .max(new Date("9999-12-31T23:59:59.999Z"), "Must be before the year 10000");

/** The days a dashboard covers, ending today (UTC). */
export const statsInput = z
  .object({
    days: z
      .number({ error: "Must be a whole number of days" })
      .int("Must be a whole number of days")
      .min(1, "Must be at least 1")
      .max(365, "Must be at most 365")
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
