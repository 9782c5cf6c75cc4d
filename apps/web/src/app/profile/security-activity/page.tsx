import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { settingsTitle } from "../sections";
import { SecurityActivity } from "../security-activity";

export const metadata = { title: settingsTitle("Security activity") };

export default async function SecurityActivityPage() {
  await requireUser("/profile/security-activity");
  const events = await (await serverCaller()).users.securityActivity();
  return (
    <section className="card" id="security-activity" aria-labelledby="security-activity-heading">
      <h1 id="security-activity-heading">Security activity</h1>
      <SecurityActivity events={events} />
    </section>
  );
}
