import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ApiKeys } from "../api-keys";
import { settingsTitle } from "../sections";

export const metadata = { title: settingsTitle("API keys") };

export default async function ApiKeysPage() {
  await requireUser("/profile/api-keys");
  const keys = await (await serverCaller()).apiKeys.list();
  return (
    <section className="card" aria-labelledby="keys-heading">
      <h1 id="keys-heading">API keys</h1>
      <ApiKeys keys={keys} />
    </section>
  );
}
