import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Settings for tests that are not about hashing or secrets handling at startup.
const serverEnv = {
  NODE_ENV: "test",
  BCRYPT_COST: "4",
  JWT_SECRET: "test-secret-only-for-the-test-suite-0123456789",
  // Mail without SMTP_URL lands in the data directory's outbox: keep it out of the repository.
  MASTOC_DATA_DIR: join(tmpdir(), "mastoc-api-tests"),
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: "db", root: "packages/db", include: ["test/**/*.test.ts"] } },
      ...(["sqlite", "postgresql"] as const).map((provider) => ({
        extends: true,
        test: {
          name: `api:${provider}`,
          root: "packages/api",
          include: ["test/**/*.test.ts"],
          env: { ...serverEnv, TEST_DATABASE: provider },
        },
      })),
      {
        extends: true,
        test: { name: "http", root: "apps/web", include: ["test/**/*.test.ts"], fileParallelism: false },
      },
      {
        extends: true,
        test: { name: "cli", root: "apps/desktop-cli", include: ["test/**/*.test.ts"], fileParallelism: false },
      },
    ],
  },
});
