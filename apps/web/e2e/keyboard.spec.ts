import { expect, test } from "./fixtures";
import { createAccount, PASSWORD } from "./helpers";

test("signing in and creating a climb work with the keyboard alone", async ({ page, baseURL }) => {
  const user = await createAccount(baseURL!);
  await page.goto("/login");
  // The skip link comes first, then the header links, then the form.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.getByLabel("Email").focus();
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/profile$/);

  await page.goto("/climbs");
  const create = page.getByRole("region", { name: "New climb" });
  await create.getByLabel("Name").focus();
  await page.keyboard.type(`Keyboard ${user.username}`);
  await page.keyboard.press("Tab");
  await expect(create.getByLabel("Grade")).toBeFocused();
  await page.keyboard.type("5+");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Typed without a mouse");
  await page.keyboard.press("Tab");
  await expect(create.getByRole("button", { name: "Create climb" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("row", { name: new RegExp(`Keyboard ${user.username}`) })).toContainText("5+");
});
