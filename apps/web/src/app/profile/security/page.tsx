import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ChangePasswordForm } from "../change-password-form";
import { Passkeys } from "../passkeys";
import { settingsMetadata } from "../sections";
import { TwoFactor } from "../two-factor";

export const generateMetadata = settingsMetadata("security");

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const user = await requireUser("/profile/security");
  const { reason } = await searchParams;
  const caller = await serverCaller();
  const t = await getTranslations("settings");
  const [twoFactor, passkeys] = await Promise.all([caller.auth.twoFactor.status(), caller.passkeys.list()]);
  return (
    <>
      <h1>{t("sections.security")}</h1>
      {reason === "admin-second-factor" && (
        <p role="alert" className="alert error">
          {t("security.adminSecondFactor")}
        </p>
      )}
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">{t("security.password")}</h2>
        <ChangePasswordForm email={user.email} username={user.username} />
      </section>
      <section className="card" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">{t("security.twoFactor")}</h2>
        <TwoFactor status={twoFactor} />
      </section>
      <section className="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">{t("security.passkeys")}</h2>
        <Passkeys passkeys={passkeys} />
      </section>
    </>
  );
}
