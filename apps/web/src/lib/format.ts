import type { DateTimeFormatOptions } from "next-intl";

/**
 * An exact moment for people, in the reader's language and time zone, with the zone's name:
 * "5 Dec 2026, 14:03 GMT+1", "5 déc. 2026, 14:03 UTC−5". Machines get ISO 8601 UTC instead.
 */
export const EXACT_TIME: DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

/** A day, for daily series: "5 Dec", "5 déc.". The series' days are UTC days. */
export const SHORT_DAY: DateTimeFormatOptions = { month: "short", day: "numeric", timeZone: "UTC" };

/** A day in full, for summaries: "5 December 2026", "5 décembre 2026" (a UTC day). */
export const LONG_DAY: DateTimeFormatOptions = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
