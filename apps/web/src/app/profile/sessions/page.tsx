import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { settingsMetadata } from "../sections";
import { Sessions } from "../sessions";

export const generateMetadata = settingsMetadata("sessions");

export default async function SessionsPage() {
  await requireUser("/profile/sessions");
  const t = await getTranslations("settings.sections");
  const sessions = await (await serverCaller()).auth.sessions();
  return (
    <section className="card" id="sessions" aria-labelledby="sessions-heading">
      <h1 id="sessions-heading">{t("sessions")}</h1>
      <Sessions sessions={sessions} />
    </section>
  );
}
