import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/identity/caller";
import { ClearEndedSession } from "./clear-ended-session";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.login"))("title") };
}

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/profile";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNext(params.next);
  // An app signing in with OpenID Connect may ask for a fresh sign-in (prompt=login, max_age): the
  // form is shown even to the signed-in, and the new session replaces the one this browser held.
  const reauth = params.reauth === "1" && next.startsWith("/oidc/");
  const signedIn = await currentUser();
  if (signedIn && !reauth) redirect(next);
  const t = await getTranslations("auth.login");
  return (
    <div className="card narrow">
      <h1>{t("title")}</h1>
      {params.reason === "session-ended" && (
        <>
          <ClearEndedSession />
          <p className="alert error" role="alert">
            {t("sessionEnded")}
          </p>
        </>
      )}
      {reauth && (
        <p className="alert" role="status">
          {t("reauth")}
        </p>
      )}
      {params.registered && (
        <p className="alert ok" role="status">
          {t("registered")}
        </p>
      )}
      {params.reset && (
        <p className="alert ok" role="status">
          {t("reset")}
        </p>
      )}
      <LoginForm next={next} email={reauth ? signedIn?.email : undefined} />
      <p className="links">
        <Link href="/register">{t("createAccount")}</Link>
        <Link href="/forgot-password">{t("forgotPassword")}</Link>
      </p>
    </div>
  );
}
