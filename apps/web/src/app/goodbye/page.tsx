import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.goodbye"))("title") };
}

/** Where the browser lands after deleting its account (signed out by then). */
export default async function GoodbyePage() {
  const t = await getTranslations("auth.goodbye");
  return (
    <div className="card narrow">
      <h1>{t("heading")}</h1>
      <p>{t("text")}</p>
      <p>
        {t.rich("next", {
          register: (chunks) => <Link href="/register">{chunks}</Link>,
          login: (chunks) => <Link href="/login">{chunks}</Link>,
        })}
      </p>
    </div>
  );
}
