/** A date and time as "YYYY-MM-DD HH:MM" (UTC), or "—" when there is none. */
export function formatDateTime(value: Date | string | null | undefined): string {
  return value ? new Date(value).toISOString().replace("T", " ").slice(0, 16) : "—";
}
