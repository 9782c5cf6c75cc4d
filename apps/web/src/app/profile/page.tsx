import { getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { When } from "@/components/when";
import { requireUser } from "@/identity/require-user";
import { AvatarForm } from "./avatar-form";
import { ChangeEmailForm } from "./change-email-form";
import { PreferencesForm } from "./preferences-form";
import { ProfileForm } from "./profile-form";
import { settingsMetadata } from "./sections";
import { Avatar } from "@/components/avatar";

export const generateMetadata = settingsMetadata("account");

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("/profile");
  const { welcome } = await searchParams;
  const [t, roles, locale, timeZone] = await Promise.all([
    getTranslations("settings.account"),
    getTranslations("layout.roles"),
    getLocale(),
    getTimeZone(),
  ]);
  return (
    <>
      {welcome && (
        <p className="alert ok" role="status">
          {t("welcome", { name: user.name ?? user.username })}
        </p>
      )}
      <div className="card account-card">
        <Avatar user={user} />
        <div>
          <h1>{user.name ?? user.username}</h1>
          <dl className="facts">
            <dt>{t("email")}</dt>
            <dd>
              {user.email} <span className="badge">{user.emailVerified ? t("verified") : t("notVerified")}</span>
            </dd>
            <dt>{t("role")}</dt>
            <dd>
              <span className="badge">{roles(user.role)}</span>
            </dd>
            <dt>{t("memberSince")}</dt>
            <dd>
              <When value={user.createdAt} />
            </dd>
            <dt>{t("lastSignIn")}</dt>
            <dd>
              <When value={user.lastLoginAt} />
            </dd>
          </dl>
        </div>
      </div>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t("profile")}</h2>
        <ProfileForm
          user={{ name: user.name, username: user.username, firstName: user.firstName, lastName: user.lastName }}
        />
      </section>
      <section className="card" aria-labelledby="preferences-heading">
        <h2 id="preferences-heading">{t("preferences")}</h2>
        <PreferencesForm locale={locale} timeZone={user.timeZone ?? timeZone} />
      </section>
      <section className="card" aria-labelledby="avatar-heading">
        <h2 id="avatar-heading">{t("avatar")}</h2>
        <AvatarForm image={user.image} />
      </section>
      <section className="card" aria-labelledby="email-heading">
        <h2 id="email-heading">{t("emailAddress")}</h2>
        <ChangeEmailForm email={user.email} verified={user.emailVerified !== null} />
      </section>
    </>
  );
}
