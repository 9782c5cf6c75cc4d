import type { Metadata } from "next";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("layout.notFound"))("title") };
}

export default function NotFound() {
  const t = useTranslations("layout.notFound");
  return (
    <div className="card narrow">
      <h1>{t("heading")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link href="/">{t("back")}</Link>
      </p>
    </div>
  );
}
