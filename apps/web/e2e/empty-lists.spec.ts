import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm, uniqueName } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });

test("empty lists say why they are empty and what to do next", async ({ page, baseURL }, testInfo) => {
  const moderator = await createAccount(baseURL!, "MODERATOR");
  // One climb, so that the lists are empty because of the filters, not because there is nothing.
  await moderator.api.climbs.create.mutate({ name: `Listed ${moderator.username}`, grade: "5+" });
  await signInThroughForm(page, moderator.email, PASSWORD);
  const nothing = uniqueName("nothing");

  // No API keys yet: the section says how to make one, and no empty table is shown.
  await page.goto("/profile/api-keys");
  const keys = page.getByRole("region", { name: "API keys" });
  await expect(keys).toContainText("No API keys yet.");
  await expect(keys.getByRole("table")).toHaveCount(0);
  await expectAccessible(page);

  // Filters that match nothing offer to clear them; clearing brings the list back.
  await page.goto(`/climbs?query=${nothing}`);
  await expect(page.getByText("No climbs match these filters.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByText(/climb\(s\)/)).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, testInfo, "climbs-no-match");
  await page.getByRole("link", { name: "add the climb you were looking for" }).click();
  await expect(page).toHaveURL(/#new-climb$/);
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/climbs$/);
  await expect(page.getByLabel("Search")).toHaveValue("");

  await page.goto(`/climbs?page=999`);
  await expect(page.getByText("Page 999 is past the end of the list.")).toBeVisible();
  await page.getByRole("link", { name: "Go to the first page" }).click();
  await expect(page.getByRole("region", { name: "Climb list" })).toBeVisible();

  await page.goto(`/admin/users?query=${nothing}`);
  await expect(page.getByText("No users match these filters.")).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "users-no-match");
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page.getByRole("region", { name: "User list" })).toContainText(moderator.email);

  await page.goto(`/admin/audit?targetId=${nothing}`);
  await expect(page.getByText("No entries match these filters.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page.getByRole("region", { name: "Audit log entries" })).toBeVisible();
});
