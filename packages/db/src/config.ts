import { join } from "node:path";
import { dataDir, type Provider } from "./paths";

export type DatabaseConfig = {
  provider: Provider;
  /** For SQLite an absolute file path; for PostgreSQL the connection string. */
  url: string;
};

/**
 * Reads the database choice from the environment: PostgreSQL when `DATABASE_URL` starts with
 * `postgres`, otherwise SQLite (a `file:` URL, or `mastoc.db` in the data directory).
 */
export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { provider: "sqlite", url: join(dataDir(env), "mastoc.db") };
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url };
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    return { provider: "sqlite", url: path.startsWith("/") ? path : join(dataDir(env), path) };
  }
  throw new Error(
    `DATABASE_URL must start with "postgresql://" or "file:" (got "${url.split(":")[0]}:…"); leave it unset for the embedded SQLite database.`,
  );
}
