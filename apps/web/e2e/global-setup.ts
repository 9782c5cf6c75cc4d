// Starts one portal (production build, its own data directory) for the browser tests.
import { startPortal } from "../test/support/portal";

export default async function globalSetup() {
  const portal = await startPortal({ provider: process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite" });
  process.env.PORTAL_URL = portal.url;
  return async () => portal.stop();
}
