import { test as base } from "@playwright/test";
import { startMailCatcher, type MailCatcher } from "../test/support/smtp";
import { startPortal, type Portal } from "../test/support/portal";

/**
 * For flows that need the mail the portal sends: a portal of the worker's own, wired to a real
 * SMTP server living in this test process, and used as the tests' base URL.
 */
export const mailedTest = base.extend<Record<never, never>, { mailed: { portal: Portal; mail: MailCatcher } }>({
  mailed: [
    async ({}, use) => {
      const mail = await startMailCatcher();
      const portal = await startPortal({ env: { SMTP_URL: mail.url } });
      await use({ portal, mail });
      await portal.stop();
      await mail.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ mailed }, use) => use(mailed.portal.url),
});
