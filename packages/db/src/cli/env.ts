import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths";

/** Loads the repository's .env, if any; variables already set in the environment win. */
const envFile = join(repoRoot(), ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
