import { bootstrapAdmin, ConfigError, getConfig, warmUpPasswordWorkers } from "@mastoc/api";
import { databaseConfig, getDatabase } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";

/**
 * Prepares this instance before it serves anything. Any failure ends the process with a non-zero
 * status: an instance that could not migrate or bootstrap must not stay up answering 500s.
 * Several instances may run this at once on one database (migrations take a lock; the first
 * administrator is created by exactly one of them).
 */
export async function startServer(): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `startup failed: ${describe(error)}`;
    console.error(`mastoc: ${message}`);
    process.exit(1);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function prepare(): Promise<void> {
  const config = getConfig();
  // NextAuth builds its own URLs from NEXTAUTH_URL: the public URL, set once here.
  process.env.NEXTAUTH_URL ??= config.APP_URL;
  const database = databaseConfig();
  await migrate(database);
  const result = await bootstrapAdmin(getDatabase().db, config);
  if (result.created && result.generatedPassword) {
    console.info(
      `\nmastoc: created the first administrator ${result.email}\n` +
        `        password: ${result.generatedPassword}\n` +
        `        (shown once; also saved to ${result.passwordFile}, mode 0600)\n`,
    );
  } else if (result.created) {
    console.info(`mastoc: created the first administrator ${result.email} from MASTOC_ADMIN_EMAIL.`);
  }
  await warmUpPasswordWorkers(config.BCRYPT_COST);
  console.info(`mastoc: ${database.provider} database ready.`);
}
