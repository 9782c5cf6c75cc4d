// The portal's mail in tests: the shared SMTP catcher, and the links found in a mail.
import type { ReceivedMail } from "@mastoc/api/test/mail-catcher";

export { startMailCatcher, type MailCatcher, type ReceivedMail } from "@mastoc/api/test/mail-catcher";

/** The link to `page` (e.g. `verify-email`) in a mail. */
export function linkIn(mail: ReceivedMail, page: string): string {
  const link = new RegExp(`(https?://\\S+/${page}\\?token=\\S+)`).exec(mail.text)?.[1];
  if (!link) throw new Error(`no ${page} link in: ${mail.text}`);
  return link;
}

/** The reset link in a password reset mail. */
export const resetLinkIn = (mail: ReceivedMail) => linkIn(mail, "reset-password");
