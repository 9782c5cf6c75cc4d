import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { DeleteAccount } from "../delete-account";
import { settingsMetadata } from "../sections";

export const generateMetadata = settingsMetadata("delete");

export default async function DeleteAccountPage() {
  await requireUser("/profile/delete");
  const t = await getTranslations("settings.sections");
  const caller = await serverCaller();
  const [twoFactor, passkeys] = await Promise.all([caller.auth.twoFactor.status(), caller.passkeys.list()]);
  return (
    <section className="card" aria-labelledby="delete-heading">
      <h1 id="delete-heading">{t("delete")}</h1>
      <DeleteAccount twoFactor={twoFactor.enabled} passkeys={passkeys.length > 0} />
    </section>
  );
}
