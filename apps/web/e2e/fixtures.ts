import { test as base, expect } from "@playwright/test";
import { startPortal, type Portal } from "../test/support/portal";

/** Every browser test runs against the portal started by global-setup.ts. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.PORTAL_URL;
    if (!url) throw new Error("PORTAL_URL is not set: the global setup did not start the portal");
    await use(url);
  },
});

/**
 * Tests that need a relying party on a domain name (passkeys; "Sign in with mastoc" in Chromium):
 * a portal of the worker's own whose APP_URL is http://localhost:<port>, used as the base URL.
 */
export const localhostTest = base.extend<Record<never, never>, { localhostPortal: Portal }>({
  localhostPortal: [
    async ({}, use) => {
      const portal = await startPortal({ publicHost: "localhost" });
      await use(portal);
      await portal.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ localhostPortal }, use) => use(localhostPortal.publicUrl),
});

export { expect };
