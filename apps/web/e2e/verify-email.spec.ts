import { linkIn, type MailCatcher, type ReceivedMail } from "../test/support/smtp";
import { trpcClient } from "../test/support/clients";
import { expect } from "./fixtures";
import { mailedTest } from "./mailed";
import { expectAccessible, PASSWORD, screenshot, signInThroughForm, uniqueName } from "./helpers";

const test = mailedTest;

/** The mails to `to` matching `subject` in the order they arrived, once there are `count`. */
async function mailsTo(mail: MailCatcher, to: string, subject: RegExp, count = 1): Promise<ReceivedMail[]> {
  const matching = () => mail.messages.filter((message) => message.to.includes(to) && subject.test(message.subject));
  await expect.poll(() => matching().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return matching();
}

/** The path of the verification page link in a mail (the portal's own origin, whatever the mail says). */
const verifyPath = (mail: ReceivedMail) => linkIn(mail, "verify-email").replace(/^https?:\/\/[^/]+/, "");

test("verify the address from the banner's link, then change it from the profile", async ({
  page,
  mailed,
}, testInfo) => {
  // Two mails round trips and four pages: longer than the default budget on a busy machine.
  test.setTimeout(120_000);
  const name = uniqueName("verify");
  const email = `${name}@example.com`;
  await trpcClient(mailed.portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  await signInThroughForm(page, email, PASSWORD);

  const banner = page.getByRole("complementary", { name: "Email verification" });
  await expect(banner).toContainText(`open the link we sent to ${email}`);
  await banner.getByRole("button", { name: "Send a new link" }).click();
  await expect(banner.getByRole("status")).toHaveText(`A new link is on its way to ${email}.`);
  await screenshot(page, testInfo, "verify-banner");
  const [first, latest] = await mailsTo(mailed.mail, email, /Verify your mastoc email address/, 2);

  // The older link was voided by the resend.
  await page.goto(verifyPath(first!));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText("has already been used or has expired");

  await page.goto(verifyPath(latest!));
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.locator("main").getByRole("status")).toHaveText(`${email} is verified. Thank you!`);
  await page.goto("/profile");
  await expect(page.getByRole("complementary", { name: "Email verification" })).toHaveCount(0);
  await expect(page.locator("dl.facts")).toContainText("verified");

  const newEmail = `${uniqueName("moved")}@example.com`;
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Email address" }) });
  await section.getByLabel("New email address").fill(newEmail);
  await section.getByLabel("Password").fill("Wrong-Password-99");
  await section.getByRole("button", { name: "Change email address" }).click();
  await expect(section.getByText("The password is not correct")).toBeVisible();
  await section.getByLabel("Password").fill(PASSWORD);
  await section.getByRole("button", { name: "Change email address" }).click();
  await expect(section.getByRole("status")).toContainText(`We sent a confirmation link to ${newEmail}`);
  await expectAccessible(page);
  await screenshot(page, testInfo, "change-email");
  const [notice] = await mailsTo(mailed.mail, email, /A change of your mastoc email address was requested/);
  expect(notice!.text).toContain(newEmail);

  const [confirmation] = await mailsTo(mailed.mail, newEmail, /Confirm your new mastoc email address/);
  await page.goto(verifyPath(confirmation!));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.locator("main").getByRole("status")).toHaveText(`${newEmail} is verified. Thank you!`);
  await page.goto("/profile");
  await expect(page.locator("dl.facts")).toContainText(newEmail);
});
