import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ApiKeys } from "../api-keys";
import { settingsMetadata } from "../sections";

export const generateMetadata = settingsMetadata("apiKeys");

export default async function ApiKeysPage() {
  await requireUser("/profile/api-keys");
  const t = await getTranslations("settings.sections");
  const keys = await (await serverCaller()).apiKeys.list();
  return (
    <section className="card" aria-labelledby="keys-heading">
      <h1 id="keys-heading">{t("apiKeys")}</h1>
      <ApiKeys keys={keys} />
    </section>
  );
}
