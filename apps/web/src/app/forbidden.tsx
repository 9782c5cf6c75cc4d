import Link from "next/link";
import { useTranslations } from "next-intl";

export default function Forbidden() {
  const t = useTranslations("layout.forbidden");
  return (
    <div className="card narrow">
      <title>{t("title")}</title>
      <h1>{t("heading")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link href="/profile">{t("back")}</Link>
      </p>
    </div>
  );
}
