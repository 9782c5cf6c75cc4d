// `pnpm db:backup <file> [--force]` and `pnpm db:restore <file> [--force]`: an online copy of the
// SQLite database (safe while the portal runs and writes), and its restore (with the portal
// stopped). Relative paths are taken from the directory the command was started in.
import "./env";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { backupDatabase, BackupError, restoreDatabase } from "../backup";
import { databaseConfig } from "../config";

const [command, ...rest] = process.argv.slice(2);
const usage = `usage: pnpm db:${command === "restore" ? "restore" : "backup"} <file> [--force]`;

try {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { force: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || (command !== "backup" && command !== "restore")) throw new BackupError(usage);
  // pnpm runs package scripts in the package's folder; INIT_CWD is where the command was typed.
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!);
  const config = databaseConfig();
  if (command === "backup") {
    const bytes = await backupDatabase(config, file, { force: values.force });
    console.log(`Backed up ${config.url} to ${file} (${bytes} bytes).`);
  } else {
    await restoreDatabase(config, file, { force: values.force });
    console.log(`Restored ${config.url} from ${file}.`);
  }
} catch (error) {
  const known = error instanceof BackupError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(`mastoc: ${known ? (error as Error).message : String(error)}`);
  if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) console.error(usage);
  process.exit(1);
}
