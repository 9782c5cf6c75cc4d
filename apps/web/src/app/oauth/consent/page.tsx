import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";

const SCOPES = ["openid", "profile", "email", "offline_access"] as const;
const isScope = (scope: string): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope);

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("oidc.consent"))("title") };
}

/**
 * The consent page of the OpenID provider: which client asks, for what, and who is signed in. Its
 * buttons post to the provider's interaction (same origin; the interaction's own cookie is needed).
 */
export default async function ConsentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const uid = typeof params.uid === "string" ? params.uid : "";
  const user = await requireUser(`/oauth/consent?uid=${encodeURIComponent(uid)}`);
  const t = await getTranslations("oidc");
  let interaction;
  try {
    interaction = await (await serverCaller()).oauth.interaction({ uid });
  } catch (error) {
    if (!(error instanceof TRPCError) || (error.code !== "NOT_FOUND" && error.code !== "BAD_REQUEST")) throw error;
    return (
      <div className="card narrow">
        <h1>{t("consent.title")}</h1>
        <p className="alert error" role="alert">
          {t("expired")}
        </p>
      </div>
    );
  }
  const base = `/oidc/interaction/${encodeURIComponent(interaction.uid)}`;
  return (
    <div className="card narrow">
      <h1>{t("consent.title")}</h1>
      <p>{t("consent.asks", { client: interaction.clientName })}</p>
      <ul aria-label={t("consent.scopesLabel")}>
        {interaction.scopes.filter(isScope).map((scope) => (
          <li key={scope}>{t(`scopes.${scope}`)}</li>
        ))}
      </ul>
      <p className="muted">{t("consent.signedInAs", { email: user.email })}</p>
      <div className="actions">
        <form method="post" action={`${base}/confirm`}>
          <button type="submit" className="primary">
            {t("consent.allow")}
          </button>
        </form>
        <form method="post" action={`${base}/abort`}>
          <button type="submit">{t("consent.deny")}</button>
        </form>
      </div>
    </div>
  );
}
