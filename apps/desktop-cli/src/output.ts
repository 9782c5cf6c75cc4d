// Output for people (tables, colour when the terminal supports it) and for scripts (--json).
import { styleText } from "node:util";
import { locale, t } from "./i18n";

/** One format: node 20 does not check the stream for a list of formats. */
type Style = Exclude<Parameters<typeof styleText>[0], unknown[]>;

/**
 * Styles text written to `stream`; node leaves it plain when that stream is not a terminal, or
 * when NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb say so (FORCE_COLOR forces colour).
 */
const style =
  (format: Style, stream: NodeJS.WriteStream = process.stdout) =>
  (text: string) =>
    styleText(format, text, { stream });
export const bold = style("bold");
export const dim = style("dim");
export const green = style("green");
/** For errors, which go to stderr. */
export const red = style("red", process.stderr);

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

let utc = false;

/** Shows times in UTC (`--utc`) instead of the local time zone. */
export function useUtc(value: boolean): void {
  utc = value;
}

const two = (value: number) => String(value).padStart(2, "0");

/**
 * The local time zone's short name at `date` (CET, CEST, EDT), from the names Node knows; where
 * it has none, the offset (GMT+9). A zone that is UTC says UTC.
 */
function zoneName(date: Date): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || /^(Etc\/)?(UTC|UCT|Zulu|Universal|GMT|Unknown)$/.test(zone)) return "UTC";
  let fallback = "";
  for (const names of ["en-US", "en-GB"]) {
    const name = new Intl.DateTimeFormat(names, { timeZoneName: "short" })
      .formatToParts(date)
      .find((part) => part.type === "timeZoneName")?.value;
    if (!name) continue;
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || zone;
}

/**
 * A time to the minute, in the local time zone with its name (or in UTC with `--utc`): in English
 * as 2026-12-05 13:27 CET, in other languages as Intl writes it there (5 déc. 2026, 13:27 CET).
 */
export function formatTime(date: Date): string {
  if (locale !== "en") {
    const when = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      timeStyle: "short",
      ...(utc ? { timeZone: "UTC" } : {}),
    }).format(date);
    return `${when} ${utc ? "UTC" : zoneName(date)}`;
  }
  if (utc) return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `${day} ${two(date.getHours())}:${two(date.getMinutes())} ${zoneName(date)}`;
}

/**
 * A UTC calendar day given as YYYY-MM-DD: as it is in English, otherwise as Intl writes a date in
 * the CLI's language (5 déc. 2026).
 */
export function formatDay(day: string): string {
  if (locale === "en") return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (value instanceof Date) return formatTime(value);
  if (typeof value === "boolean") return value ? t("prompt.yes") : t("prompt.no");
  return String(value);
}

/** A column or a line of a record; `format` overrides how its value reads. */
export type Field = { key: string; label: string; format?: (value: unknown) => string };

/** For a time that marks a state (email verified at …): "no" when unset, else "yes, <time>". */
export const sinceField = (value: unknown) =>
  value instanceof Date ? t("output.yesSince", { time: formatTime(value) }) : t("prompt.no");

const cell = (field: Field, value: unknown) => (field.format ? field.format(value) : formatValue(value));

/** A plain table: one header row, columns padded to their widest cell. */
export function printTable(rows: Record<string, unknown>[], columns: Field[]): void {
  if (rows.length === 0) {
    process.stdout.write(dim(t("output.none")) + "\n");
    return;
  }
  const cells = rows.map((row) => columns.map((column) => cell(column, row[column.key])));
  const widths = columns.map((column, index) =>
    Math.max(column.label.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index]!))
      .join("  ")
      .trimEnd();
  process.stdout.write(bold(line(columns.map((column) => column.label))) + "\n");
  for (const row of cells) process.stdout.write(line(row) + "\n");
}

/** Key/value lines for one record. */
export function printRecord(record: Record<string, unknown>, keys: Field[]): void {
  const width = Math.max(...keys.map((entry) => entry.label.length));
  for (const field of keys)
    process.stdout.write(`${bold(field.label.padEnd(width))}  ${cell(field, record[field.key])}\n`);
}

const BLOCKS = "▁▂▃▄▅▆▇█";

/**
 * A terminal sparkline of daily counts, at most `width` characters: longer series are summed into
 * equal runs of days. A run with nothing is the lowest block; the busiest is the highest.
 */
export function sparkline(values: number[], width = 60): string {
  const run = Math.max(1, Math.ceil(values.length / width));
  const buckets: number[] = [];
  for (let index = 0; index < values.length; index += run) {
    buckets.push(values.slice(index, index + run).reduce((sum, value) => sum + value, 0));
  }
  const peak = Math.max(0, ...buckets);
  return buckets
    .map((value) => (value === 0 || peak === 0 ? BLOCKS[0] : BLOCKS[Math.max(1, Math.ceil((value / peak) * 7))]))
    .join("");
}

/** The `<green>` tag of a catalog message (use-intl's markup hands a tag its chunks). */
export const greenTag = (chunks: string | string[]) => green([chunks].flat().join(""));

/** The `<bold>` tag of a catalog message. */
export const boldTag = (chunks: string | string[]) => bold([chunks].flat().join(""));
