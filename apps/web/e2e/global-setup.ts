// Starts one portal (production build, its own data directory) for the browser tests.
import { startPortal } from "../test/support/portal";

export default async function globalSetup() {
  const portal = await startPortal({
    provider: process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite",
    // Every test makes its own accounts, all from this one address: more than a public portal allows an hour.
    env: { MAX_REGISTRATIONS_PER_IP: "500" },
  });
  process.env.PORTAL_URL = portal.url;
  return async () => portal.stop();
}
