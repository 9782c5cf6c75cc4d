import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

/** The settings sections, in menu order: each is its own page under /profile. */
export const settingsSections = [
  { href: "/profile", key: "account", anchors: ["profile-heading", "avatar-heading", "email-heading"] },
  {
    href: "/profile/security",
    key: "security",
    anchors: ["password-heading", "two-factor-heading", "passkeys-heading"],
  },
  { href: "/profile/sessions", key: "sessions", anchors: ["sessions"] },
  { href: "/profile/security-activity", key: "activity", anchors: ["security-activity"] },
  { href: "/profile/api-keys", key: "apiKeys", anchors: ["keys-heading", "api-keys"] },
  { href: "/profile/connected-apps", key: "connectedApps", anchors: ["connected-apps-heading"] },
  { href: "/profile/delete", key: "delete", anchors: ["delete-heading", "delete"] },
] as const;

export type SettingsSection = (typeof settingsSections)[number]["key"];

/** A settings page's `<title>`, in the reader's language: "Security · Settings · mastoc accounts". */
export function settingsMetadata(section: SettingsSection) {
  return async (): Promise<Metadata> => {
    const t = await getTranslations("settings");
    return { title: t("titleOf", { section: t(`sections.${section}`) }) };
  };
}
