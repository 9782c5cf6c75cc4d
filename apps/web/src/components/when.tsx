import { describeClient } from "@mastoc/api/readable";
import { formatDateTime } from "@/lib/format";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday", "in 3 days": the time from `now` to `value`. */
export function relativeTime(value: Date, now: Date = new Date()): string {
  const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size || unit === "minute") return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/**
 * A moment as people read it ("3 hours ago"), with the exact UTC time on hover and for machines
 * (`datetime`). The server and the browser may render it a minute apart: the text is allowed to
 * differ after hydration.
 */
export function When({ value, empty = "—" }: { value: Date | string | null | undefined; empty?: string }) {
  if (!value) return <>{empty}</>;
  const date = new Date(value);
  const exact = `${formatDateTime(date)} UTC`;
  return (
    <time className="when" dateTime={date.toISOString()} title={exact} suppressHydrationWarning>
      {relativeTime(date)}
    </time>
  );
}

/** A client (user agent) in words, the raw string on hover. */
export function ClientName({ userAgent }: { userAgent: string | null | undefined }) {
  return <span title={userAgent || undefined}>{describeClient(userAgent)}</span>;
}
