// Output for people (tables, colour when the terminal supports it) and for scripts (--json).

const colour = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
const paint = (code: number) => (text: string) => (colour() ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (value instanceof Date) return value.toISOString().replace("T", " ").slice(0, 16);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** A plain table: one header row, columns padded to their widest cell. */
export function printTable(rows: Record<string, unknown>[], columns: { key: string; label: string }[]): void {
  if (rows.length === 0) {
    process.stdout.write(dim("(none)") + "\n");
    return;
  }
  const cells = rows.map((row) => columns.map((column) => formatValue(row[column.key])));
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
export function printRecord(record: Record<string, unknown>, keys: { key: string; label: string }[]): void {
  const width = Math.max(...keys.map((entry) => entry.label.length));
  for (const { key, label } of keys)
    process.stdout.write(`${bold(label.padEnd(width))}  ${formatValue(record[key])}\n`);
}
