import { describeClient, type ClientWords } from "@mastoc/api/readable";
import { useFormatter, useTranslations } from "next-intl";
import { EXACT_TIME } from "@/lib/format";

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** The unit a time from now reads best in ("5 minutes ago", "yesterday"), or null under 45 seconds. */
function unitOf(value: Date, now: Date): Intl.RelativeTimeFormatUnit | null {
  const seconds = Math.abs(value.getTime() - now.getTime()) / 1000;
  if (seconds < 45) return null;
  return steps.find(([, size]) => seconds >= size)?.[0] ?? "minute";
}

/**
 * A moment as people read it ("3 hours ago", "il y a 3 heures"), with the exact time in the
 * reader's time zone on hover and ISO 8601 UTC for machines (`datetime`). The server and the
 * browser may render it a minute apart: the text is allowed to differ after hydration.
 */
export function When({ value, empty }: { value: Date | string | null | undefined; empty?: string }) {
  const format = useFormatter();
  const t = useTranslations("layout.ui");
  if (!value) return <>{empty ?? t("none")}</>;
  const date = new Date(value);
  const now = new Date();
  const unit = unitOf(date, now);
  return (
    <time
      className="when"
      dateTime={date.toISOString()}
      title={format.dateTime(date, EXACT_TIME)}
      suppressHydrationWarning
    >
      {unit ? format.relativeTime(date, { now, unit }) : t("justNow")}
    </time>
  );
}

/** Clients (user agents) in words in the reader's language: `describe(userAgent)`. */
export function useDescribeClient() {
  const t = useTranslations("common.client");
  const words: ClientWords = { unknown: t("unknown"), on: (client, platform) => t("on", { client, platform }) };
  return (userAgent: string | null | undefined) => describeClient(userAgent, words);
}

/** A client (user agent) in words, the raw string on hover. */
export function ClientName({ userAgent }: { userAgent: string | null | undefined }) {
  const describe = useDescribeClient();
  return <span title={userAgent || undefined}>{describe(userAgent)}</span>;
}
