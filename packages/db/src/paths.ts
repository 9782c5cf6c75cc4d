import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** The repository root: the nearest folder above the working directory holding pnpm-workspace.yaml. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(/*turbopackIgnore: true*/ from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(/*turbopackIgnore: true*/ from);
    dir = parent;
  }
}

/** `MASTOC_DATA_DIR`, default `.data/` at the repository root; relative values are taken from the root. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MASTOC_DATA_DIR?.trim();
  if (!configured) return join(/*turbopackIgnore: true*/ repoRoot(), ".data");
  return isAbsolute(configured) ? configured : resolve(/*turbopackIgnore: true*/ repoRoot(), configured);
}

/** The folder holding this package's migrations for a provider. */
export function migrationsDir(provider: Provider): string {
  return join(/*turbopackIgnore: true*/ repoRoot(), "packages", "db", "migrations", provider);
}

export type Provider = "sqlite" | "postgresql";
