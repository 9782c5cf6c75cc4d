import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { VerifyEmailForm } from "./verify-email-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.verify"))("title") };
}

/**
 * The page of verification and email-change links. The link is used by a button press, not by
 * opening the page, so mail scanners that fetch links cannot spend it.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("auth.verify");
  return (
    <div className="card narrow">
      <h1>{t("title")}</h1>
      {token ? (
        <VerifyEmailForm token={token} />
      ) : (
        <p className="alert error" role="alert">
          {t("incomplete")}
        </p>
      )}
      <p className="links">
        <Link href="/profile">{t("profile")}</Link>
        <Link href="/login">{t("signIn")}</Link>
      </p>
    </div>
  );
}
