import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm } from "./helpers";

test("an administrator registers a confidential client, sees its secret once, edits and deletes it", async ({
  page,
  baseURL,
}, testInfo) => {
  const admin = await createAccount(baseURL!, "ADMIN");
  await signInThroughForm(page, admin.email, PASSWORD);
  await page.getByRole("link", { name: "OAuth clients" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("OAuth clients");
  await expect(page.getByRole("table", { name: "Registered clients" })).toContainText("mastoc-cli");

  const form = page.getByRole("form", { name: "Register a client" });
  await form.getByLabel("Name").fill("Route Setter");
  await form.getByLabel("Type").selectOption("confidential");
  await form.getByLabel("Redirect URIs").fill("http://localhost/cb");
  await form.getByRole("button", { name: "Register client" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("may use http only on a loopback address");

  await form.getByLabel("Redirect URIs").fill("https://routes.example/callback");
  await form.getByRole("button", { name: "Register client" }).click();
  await expect(page.getByTestId("client-secret")).toHaveText(/^mcs_/);
  await expect(page.getByRole("table", { name: "Registered clients" })).toContainText(
    "https://routes.example/callback",
  );
  await expectAccessible(page);
  await screenshot(page, testInfo, "oauth-clients");

  await page.getByRole("button", { name: "Edit Route Setter" }).click();
  const edit = page.getByRole("form", { name: "Edit Route Setter" });
  await edit.getByLabel("Name").fill("Route Setter 2");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Route Setter 2 was saved." })).toBeVisible();

  await page.getByRole("button", { name: "Delete Route Setter 2" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Route Setter 2 was deleted." })).toBeVisible();
  await expect(page.getByRole("table", { name: "Registered clients" })).not.toContainText("Route Setter 2");
});
