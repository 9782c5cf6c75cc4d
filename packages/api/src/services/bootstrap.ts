import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { emailSchema, passwordSchema } from "../schemas";
import { recordAudit } from "./audit";
import { hashPassword, passwordStrength } from "./passwords";

export type BootstrapResult =
  { created: false } | { created: true; email: string; passwordFile: string | null; generatedPassword: string | null };

/**
 * Creates the first administrator when the database has no user: from
 * MASTOC_ADMIN_EMAIL / MASTOC_ADMIN_PASSWORD when both are set, otherwise `admin@localhost` with a
 * random password that is printed once and written to `<data dir>/initial-admin.txt` (mode 0600).
 */
export async function bootstrapAdmin(db: Db, config: Config): Promise<BootstrapResult> {
  if ((await db.user.count()) > 0) return { created: false };
  const configuredEmail = config.MASTOC_ADMIN_EMAIL?.trim();
  const configuredPassword = config.MASTOC_ADMIN_PASSWORD;
  let email = "admin@localhost";
  let password: string;
  let generated = false;
  if (configuredEmail && configuredPassword) {
    const parsedEmail = emailSchema.safeParse(configuredEmail);
    if (!parsedEmail.success) throw new Error(`MASTOC_ADMIN_EMAIL: ${parsedEmail.error.issues[0]?.message}`);
    const parsedPassword = passwordSchema.safeParse(configuredPassword);
    if (!parsedPassword.success) throw new Error(`MASTOC_ADMIN_PASSWORD: ${parsedPassword.error.issues[0]?.message}`);
    if (!passwordStrength(configuredPassword, { email: parsedEmail.data }).acceptable) {
      throw new Error("MASTOC_ADMIN_PASSWORD: the password is too weak; choose a longer, less common one");
    }
    email = parsedEmail.data;
    password = configuredPassword;
  } else {
    password = randomBytes(18).toString("base64url");
    generated = true;
  }
  const username = email
    .split("@")[0]!
    .replace(/[^a-z0-9_.-]/g, "")
    .slice(0, 32)
    .padEnd(3, "_");
  // Instances starting together on one database race here: the email's unique constraint lets
  // exactly one create the administrator; the others find it taken and carry on.
  const admin = await db.user
    .create({
      data: {
        email,
        username,
        name: "Administrator",
        role: "ADMIN",
        emailVerified: new Date(),
        passwordHash: await hashPassword(password, config.BCRYPT_COST),
        passwordChangedAt: new Date(),
      },
      select: { id: true, email: true },
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2002") return null;
      throw error;
    });
  if (!admin) return { created: false };
  await recordAudit(db, {
    action: "admin.bootstrap",
    actor: null,
    targetType: "user",
    targetId: admin.id,
    changes: { email },
  });
  if (!generated) return { created: true, email, passwordFile: null, generatedPassword: null };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(config.dataDir, "initial-admin.txt");
  writeFileSync(passwordFile, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  return { created: true, email, passwordFile, generatedPassword: password };
}
