// Bundles the portal's process (src/gateway/main.ts: startup, the guard, the API's Node handler) into
// dist/server.mjs, which server.mjs runs. Packages with native code, worker files or binaries stay
// outside the bundle, imported from the exact files the workspace resolves them to.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(web, "dist");

/** Imported at run time rather than bundled; `next` and `next-auth` are this app's own dependencies. */
const runtimePackages = [
  "next",
  "next-auth",
  "@prisma/client",
  "@prisma/adapter-better-sqlite3",
  "@prisma/adapter-pg",
  "better-sqlite3",
  "pg",
  "piscina",
  "bcryptjs",
  "sharp",
  "nodemailer",
  "dbmate",
  "pino",
  "pino-pretty",
  "prom-client",
  "oidc-provider",
];
const ownDependencies = new Set(["next", "next-auth", "pino", "pino-pretty", "prom-client", "oidc-provider"]);
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** @type {import("esbuild").Plugin} */
const runtimeImports = {
  name: "runtime-imports",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "resolving" || !runtimePackages.includes(packageOf(args.path))) return undefined;
      if (ownDependencies.has(packageOf(args.path))) return { path: args.path, external: true };
      // Resolved where the importing workspace package finds it, then imported by that exact file.
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
  },
};

export async function buildServer() {
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: web,
    entryPoints: ["src/gateway/main.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outfile: join(outdir, "server.mjs"),
    tsconfig: join(web, "tsconfig.json"),
    plugins: [runtimeImports],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "warning",
  });
  // The password worker runs in its own thread, loaded by file name next to the bundle.
  cpSync(
    join(web, "..", "..", "packages", "api", "src", "services", "password-worker.mjs"),
    join(outdir, "password-worker.mjs"),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
