// `pnpm oidc:rotate-keys`: adds a new signing key to the OpenID provider. Running instances pick it
// up within half a minute and sign with it; the previous keys stay published for two hours (longer
// than any ID token lives), then are removed. The same as `mastoc admin oidc rotate-keys`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { databaseConfig, getDatabase, repoRoot } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";
import { getConfig } from "../config";
import { KEY_RETIREMENT_SECONDS, rotateSigningKeys } from "../services/oidc-keys";

const envFile = join(repoRoot(), ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

await migrate(databaseConfig());
const { db } = getDatabase();
const { kid, retiring } = await rotateSigningKeys(db, getConfig());
console.log(`new signing key ${kid}`);
if (retiring.length > 0) {
  console.log(`still published for ${KEY_RETIREMENT_SECONDS / 3600} h: ${retiring.join(", ")}`);
}
await db.$disconnect();
