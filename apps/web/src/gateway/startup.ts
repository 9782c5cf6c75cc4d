import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { bootstrapAdmin, ConfigError, databaseOutage, getConfig, warmUpPasswordWorkers } from "@mastoc/api";
import { databaseConfig, getDatabase } from "@mastoc/db";
import { latestMigrationVersion, migrate } from "@mastoc/db/migrate";

/**
 * Prepares this instance before it serves anything but its health endpoints. While the database
 * cannot be reached (a server still starting, a file not readable yet) it waits, and /readyz says
 * so; any other failure ends the process with a non-zero status: an instance that could not
 * migrate or bootstrap must not stay up answering 500s. Several instances may run this at once on
 * one database (migrations take a lock; the first administrator is created by exactly one of
 * them). Answers the newest migration version, which /readyz then expects the database to carry.
 */
export async function startServer(log: Logger): Promise<string> {
  try {
    return await prepare(log);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `startup failed: ${describe(error)}`;
    log.fatal(message);
    throw new StartupFailed(message);
  }
}

export class StartupFailed extends Error {}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Waits until the database answers a trivial query; other errors than an outage are thrown. */
async function waitForDatabase(log: Logger): Promise<void> {
  const { db } = getDatabase();
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$queryRawUnsafe("SELECT 1");
      if (attempt > 1) log.info("the database answers again");
      return;
    } catch (error) {
      const kind = databaseOutage(error);
      if (!kind) throw error;
      if (attempt === 1 || attempt % 30 === 0) {
        log.warn({ kind, attempt }, "the database is unavailable; waiting for it before serving");
      }
      await sleep(Math.min(2000, 200 * attempt));
    }
  }
}

async function prepare(log: Logger): Promise<string> {
  const config = getConfig();
  // NextAuth builds its own URLs from NEXTAUTH_URL: the public URL, set once here.
  process.env.NEXTAUTH_URL ??= config.APP_URL;
  const database = databaseConfig();
  await waitForDatabase(log);
  await migrate(database);
  const result = await bootstrapAdmin(getDatabase().db, config);
  if (result.created && result.generatedPassword) {
    // Shown once, where the operator starting the instance looks; also kept in a 0600 file.
    log.info(
      `created the first administrator ${result.email}, password: ${result.generatedPassword} ` +
        `(shown once; also saved to ${result.passwordFile}, mode 0600)`,
    );
  } else if (result.created) {
    log.info(`created the first administrator ${result.email} from MASTOC_ADMIN_EMAIL`);
  }
  await warmUpPasswordWorkers(config.BCRYPT_COST);
  log.info(`${database.provider} database ready`);
  return latestMigrationVersion(database.provider);
}
