import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { settingsMetadata } from "../sections";
import { SecurityActivity } from "../security-activity";

export const generateMetadata = settingsMetadata("activity");

export default async function SecurityActivityPage() {
  await requireUser("/profile/security-activity");
  const t = await getTranslations("settings.sections");
  const events = await (await serverCaller()).users.securityActivity();
  return (
    <section className="card" id="security-activity" aria-labelledby="security-activity-heading">
      <h1 id="security-activity-heading">{t("activity")}</h1>
      <SecurityActivity events={events} />
    </section>
  );
}
