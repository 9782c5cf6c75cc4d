import { test as base, expect } from "@playwright/test";

/** Every browser test runs against the portal started by global-setup.ts. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.PORTAL_URL;
    if (!url) throw new Error("PORTAL_URL is not set: the global setup did not start the portal");
    await use(url);
  },
});

export { expect };
