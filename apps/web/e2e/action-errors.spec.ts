import { tokensOf, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";
import { expect, test } from "./fixtures";
import { createAccount, PASSWORD, screenshot, signInThroughForm } from "./helpers";

const UNREACHABLE = "The server could not be reached. Check your connection and try again.";

test("a button whose call fails says why: a session revoked elsewhere, a climb deleted elsewhere, no network", async ({
  page,
  baseURL,
}, testInfo) => {
  const user = await createAccount(baseURL!);
  // A second CLI sign-in, recognisable in the list by its client name.
  const laptop = trpcClient(baseURL!, { headers: { "user-agent": "stale-laptop/1.0" } });
  await laptop.auth.login.mutate({ email: user.email, password: PASSWORD });
  const climb = await user.api.climbs.create.mutate({ name: `Gone ${user.username}`, grade: "6A" });
  const key = await user.api.apiKeys.create.mutate({ name: `offline ${user.username}` });

  await signInThroughForm(page, user.email, PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
  await page.goto("/profile/sessions");
  const sessions = page.getByRole("region", { name: "Sessions & devices" });
  const staleRow = sessions.getByRole("row", { name: /stale-laptop 1\.0/ });
  await expect(staleRow).toBeVisible();

  // Another client revokes that session while this page still lists it.
  const stale = (await user.api.auth.sessions.query()).find((session) => session.userAgent === "stale-laptop/1.0");
  await user.api.auth.revokeSession.mutate({ id: stale!.id });
  await staleRow.getByRole("button", { name: "Revoke" }).click();
  await expect(sessions.getByRole("alert")).toHaveText("No such active session");
  // The list is read again, so the stale row is gone while the message stays.
  await expect(staleRow).toHaveCount(0);
  await expect(sessions.getByRole("alert")).toHaveText("No such active session");
  await screenshot(page, testInfo, "revoke-session-failed");

  // Without a network, revoking a key says so; once back online the same button works.
  await page.goto("/profile/api-keys");
  const keys = page.getByRole("region", { name: "API keys" });
  await page.context().setOffline(true);
  await keys.getByRole("button", { name: `Revoke ${key.name}` }).click();
  await expect(keys.getByRole("alert")).toHaveText(UNREACHABLE);
  await page.context().setOffline(false);
  await keys.getByRole("button", { name: `Revoke ${key.name}` }).click();
  await expect(keys.getByRole("status")).toHaveText(`Key ${key.name} revoked.`);
  await expect(keys.getByRole("alert")).toHaveCount(0);
  await expect(keys.getByRole("row", { name: new RegExp(key.name) })).toContainText("Revoked");

  // A climb deleted from another client while its row is still on screen.
  await page.goto(`/climbs?query=${encodeURIComponent(climb.name)}`);
  const row = page.getByRole("row", { name: new RegExp(climb.name) });
  await user.api.climbs.delete.mutate({ id: climb.id });
  await row.getByRole("button", { name: `Delete ${climb.name}` }).click();
  await page
    .getByRole("dialog", { name: `Delete “${climb.name}”?` })
    .getByRole("button", { name: "Delete climb" })
    .click();
  await expect(row.getByRole("alert")).toHaveText("No such climb");
  await screenshot(page, testInfo, "delete-climb-failed");

  // Signing out needs the server too: offline, the button says so instead of hanging.
  const banner = page.getByRole("banner");
  await page.context().setOffline(true);
  await banner.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(banner.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(banner.getByRole("button", { name: "Sign out", exact: true })).toBeEnabled();
  await page.context().setOffline(false);
});

test("an admin action the server refuses (403) is shown in its row", async ({ page, baseURL }, testInfo) => {
  const moderator = await createAccount(baseURL!, "MODERATOR");
  const target = await createAccount(baseURL!);
  await signInThroughForm(page, moderator.email, PASSWORD);
  await page.goto(`/admin/users?query=${target.username}`);
  const row = page.getByRole("row", { name: new RegExp(target.username) });
  await expect(row.getByRole("button", { name: `Deactivate ${target.name}` })).toBeVisible();

  // The moderator is demoted while the page is open: the server refuses the action.
  // (By the bootstrap administrator: another administrator would break the "last one" tests.)
  const admin = tokensOf(
    await trpcClient(baseURL!).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  );
  await trpcClient(baseURL!, { token: admin.access_token }).admin.setRole.mutate({ id: moderator.id, role: "USER" });
  await row.getByRole("button", { name: `Deactivate ${target.name}` }).click();
  await expect(row.getByRole("alert")).toHaveText("You do not have permission to do this");
  await expect(row.getByRole("cell", { name: /^Active/ })).toBeVisible();
  await screenshot(page, testInfo, "admin-action-refused");
});
