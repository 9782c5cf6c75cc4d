import { useMessages, useTranslations } from "next-intl";

/**
 * An audit action in the reader's language: "Account locked after failed sign-ins", "Compte
 * verrouillé après des échecs de connexion". The code stays the data (filters, exports, hover);
 * catalog keys cannot hold dots, so `auth.login.success` is `auth_login_success` there. A code this
 * build does not know reads as `fallback`, else as itself.
 */
export function useAuditAction() {
  const t = useTranslations("admin.actions");
  const known = useMessages().admin.actions;
  return (action: string, fallback?: string) => {
    const key = action.replaceAll(".", "_");
    // Checked at run time (own keys only: "toString" is no action): actions are data, not a fixed
    // union of the catalog's keys.
    return Object.hasOwn(known, key) ? t(key as never) : (fallback ?? action);
  };
}
