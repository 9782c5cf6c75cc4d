import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ConnectedApps } from "../connected-apps";
import { settingsMetadata } from "../sections";

export const generateMetadata = settingsMetadata("connectedApps");

export default async function ConnectedAppsPage() {
  await requireUser("/profile/connected-apps");
  const t = await getTranslations("settings.connectedApps");
  const apps = await (await serverCaller()).oauth.connectedApps();
  return (
    <section className="card" aria-labelledby="connected-apps-heading">
      <h1 id="connected-apps-heading">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <ConnectedApps apps={apps} />
    </section>
  );
}
