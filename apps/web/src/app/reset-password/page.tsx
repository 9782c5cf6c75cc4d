import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ResetPasswordForm } from "./reset-password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.reset"))("title") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("auth.reset");
  return (
    <div className="card narrow">
      <h1>{t("title")}</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="alert error" role="alert">
          {t("incomplete")}
        </p>
      )}
      <p className="links">
        <Link href="/forgot-password">{t("newLink")}</Link>
        <Link href="/login">{t("backToSignIn")}</Link>
      </p>
    </div>
  );
}
