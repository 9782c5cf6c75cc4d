/** A date and time as "YYYY-MM-DD HH:MM" (UTC), or "—" when there is none. */
export function formatDateTime(value: Date | string | null | undefined): string {
  return value ? new Date(value).toISOString().replace("T", " ").slice(0, 16) : "—";
}

/** A count with its noun: "1 climb", "3 climbs", "0 users". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
