// Bundles the CLI into one ESM file. From the API it imports only the router's type and the
// browser-safe schemas and permission table, so no server code ships.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  outfile: "dist/mastoc.mjs",
  // A native addon (the store's file lock): loaded from node_modules at run time, not bundled.
  external: ["fs-ext"],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  define: { MASTOC_CLI_VERSION: JSON.stringify(version) },
  logLevel: "warning",
});
