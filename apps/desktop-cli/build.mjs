// Bundles the CLI into one ESM file. It imports the API only as a type, so no server code ships.
import { build } from "esbuild";

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
  logLevel: "warning",
});
