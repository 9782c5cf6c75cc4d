#!/usr/bin/env node
import { existsSync } from "node:fs";

const bundle = new URL("../dist/mastoc.mjs", import.meta.url);
if (!existsSync(bundle)) {
  console.error("mastoc: the CLI is not built yet; run `pnpm install` (or `pnpm --filter @mastoc/desktop-cli build`).");
  process.exit(1);
}
await import(bundle.href);
