import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { settingsTitle } from "../sections";
import { Sessions } from "../sessions";

export const metadata = { title: settingsTitle("Sessions & devices") };

export default async function SessionsPage() {
  await requireUser("/profile/sessions");
  const sessions = await (await serverCaller()).auth.sessions();
  return (
    <section className="card" id="sessions" aria-labelledby="sessions-heading">
      <h1 id="sessions-heading">Sessions &amp; devices</h1>
      <Sessions sessions={sessions} />
    </section>
  );
}
