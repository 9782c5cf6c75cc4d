import "./env";
import { databaseConfig } from "../config";
import { migrate } from "../migrate";

const config = databaseConfig();
const output = await migrate(config);
process.stdout.write(output || "Database is up to date.\n");
console.log(`Migrated ${config.provider} database${config.provider === "sqlite" ? ` at ${config.url}` : ""}.`);
