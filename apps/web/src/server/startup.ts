import { bootstrapAdmin, ConfigError, getConfig, warmUpPasswordWorkers } from "@mastoc/api";
import { databaseConfig, getDatabase } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";
import { webConfig } from "./env";

export async function startServer(): Promise<void> {
  try {
    getConfig();
    webConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`mastoc: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const database = databaseConfig();
  await migrate(database);
  const result = await bootstrapAdmin(getDatabase().db, getConfig());
  if (result.created && result.generatedPassword) {
    console.info(
      `\nmastoc: created the first administrator ${result.email}\n` +
        `        password: ${result.generatedPassword}\n` +
        `        (shown once; also saved to ${result.passwordFile}, mode 0600)\n`,
    );
  } else if (result.created) {
    console.info(`mastoc: created the first administrator ${result.email} from MASTOC_ADMIN_EMAIL.`);
  }
  await warmUpPasswordWorkers();
  console.info(`mastoc: ${database.provider} database ready.`);
}
