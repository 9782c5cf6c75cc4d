import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ChangePasswordForm } from "../change-password-form";
import { Passkeys } from "../passkeys";
import { settingsTitle } from "../sections";
import { TwoFactor } from "../two-factor";

export const metadata = { title: settingsTitle("Security") };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const user = await requireUser("/profile/security");
  const { reason } = await searchParams;
  const caller = await serverCaller();
  const [twoFactor, passkeys] = await Promise.all([caller.auth.twoFactor.status(), caller.passkeys.list()]);
  return (
    <>
      <h1>Security</h1>
      {reason === "admin-second-factor" && (
        <p role="alert" className="alert error">
          This server requires administrators to use two-factor authentication or a passkey. Set one up below; the
          administration pages open as soon as you have one.
        </p>
      )}
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ChangePasswordForm email={user.email} username={user.username} />
      </section>
      <section className="card" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor authentication</h2>
        <TwoFactor status={twoFactor} />
      </section>
      <section className="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        <Passkeys passkeys={passkeys} />
      </section>
    </>
  );
}
