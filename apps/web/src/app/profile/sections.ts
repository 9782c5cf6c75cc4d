/** The settings sections, in menu order: each is its own page under /profile. */
export const settingsSections = [
  { href: "/profile", title: "Account", anchors: ["profile-heading", "avatar-heading", "email-heading"] },
  {
    href: "/profile/security",
    title: "Security",
    anchors: ["password-heading", "two-factor-heading", "passkeys-heading"],
  },
  { href: "/profile/sessions", title: "Sessions & devices", anchors: ["sessions"] },
  { href: "/profile/security-activity", title: "Security activity", anchors: ["security-activity"] },
  { href: "/profile/api-keys", title: "API keys", anchors: ["keys-heading", "api-keys"] },
  { href: "/profile/delete", title: "Delete account", anchors: ["delete-heading", "delete"] },
] as const;

/** A page's `<title>`: "Security · Settings · mastoc accounts". */
export const settingsTitle = (section: string) => `${section} · Settings · mastoc accounts`;
