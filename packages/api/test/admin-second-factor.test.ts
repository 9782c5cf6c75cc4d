// REQUIRE_ADMIN_2FA in the API: an administrator without two-factor authentication or a passkey
// is refused the powers only staff hold, keeps what every account may do, and gets everything back
// with either kind of second factor. Moderators and the setting's absence are unaffected.
import { describe, expect, it } from "vitest";
import { ADMIN_SECOND_FACTOR_REQUIRED } from "../src/trpc";
import { createUser, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();
const requiring = { config: { REQUIRE_ADMIN_2FA: true } };

describe("REQUIRE_ADMIN_2FA", () => {
  it("refuses an administrator without a second factor the administrator's powers, not the rest", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const { caller } = await signIn(t.db, admin.email, PASSWORD, requiring);
    const refused = await rejection(caller.admin.listUsers({}), "FORBIDDEN");
    expect(refused.message).toBe(ADMIN_SECOND_FACTOR_REQUIRED);
    await rejection(caller.admin.stats({ days: 30 }), "FORBIDDEN");
    // Nothing was changed by a refused call, and what every account may do still works.
    expect((await caller.auth.me()).id).toBe(admin.id);
    expect((await caller.climbs.create({ name: "Second-factor slab", grade: "6A" })).name).toBe("Second-factor slab");
    expect((await caller.auth.twoFactor.status()).enabled).toBe(false);
  });

  it("opens them with two-factor authentication, or with a passkey", async () => {
    const withTotp = await createUser(t.db, { role: "ADMIN" });
    // Signed in first (with 2FA on, signing in asks for a code), then 2FA turned on for the account.
    const totpCaller = (await signIn(t.db, withTotp.email, PASSWORD, requiring)).caller;
    await rejection(totpCaller.admin.listUsers({}), "FORBIDDEN");
    await t.db.user.update({ where: { id: withTotp.id }, data: { twoFactorEnabledAt: new Date() } });
    expect((await totpCaller.admin.listUsers({})).items.length).toBeGreaterThan(0);

    const withPasskey = await createUser(t.db, { role: "ADMIN" });
    const { caller } = await signIn(t.db, withPasskey.email, PASSWORD, requiring);
    await rejection(caller.admin.listUsers({}), "FORBIDDEN");
    await t.db.passkey.create({
      data: {
        userId: withPasskey.id,
        credentialId: `cred-${withPasskey.id}`,
        publicKey: new Uint8Array([1, 2, 3]),
        deviceType: "singleDevice",
        name: "Test key",
      },
    });
    // Decided on every call: the passkey opens the powers at once, in the same session.
    expect((await caller.admin.listUsers({})).items.length).toBeGreaterThan(0);
  });

  it("leaves moderators, and every administrator when the setting is off, as they were", async () => {
    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const moderatorCaller = (await signIn(t.db, moderator.email, PASSWORD, requiring)).caller;
    expect((await moderatorCaller.admin.listUsers({})).items.length).toBeGreaterThan(0);

    const admin = await createUser(t.db, { role: "ADMIN" });
    const { caller } = await signIn(t.db, admin.email, PASSWORD);
    expect((await caller.admin.listUsers({})).items.length).toBeGreaterThan(0);
  });
});
