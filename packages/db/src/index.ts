export {
  containsInsensitive,
  createDatabase,
  foldForSearch,
  openReader,
  getDatabase,
  providerOf,
  type Database,
  type Db,
  type TransactionClient,
} from "./client";
export type { Columns, Reader, Statement } from "./reader";
export { databaseConfig, type DatabaseConfig, type SqliteSynchronous } from "./config";
export { dataDir, repoRoot, type Provider } from "./paths";
export { Prisma, Role } from "./generated/sqlite/client";
export type { User, Climb, AuditLog, AuthSession, ApiKey } from "./generated/sqlite/client";
