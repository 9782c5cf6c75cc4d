import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { Clients } from "./clients";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.clients"))("title") };
}

export default async function ClientsPage() {
  await requireUser("/admin/clients", "oauthClients.manage");
  const t = await getTranslations("admin.clients");
  const clients = await (await serverCaller()).oauth.listClients();
  return (
    <section className="card" aria-labelledby="clients-heading">
      <h1 id="clients-heading">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <Clients clients={clients} />
    </section>
  );
}
