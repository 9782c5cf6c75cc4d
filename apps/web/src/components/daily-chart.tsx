// A bar chart of one daily series, rendered on the server as SVG: no script, nothing loaded from
// elsewhere. One series per chart, named in its caption, so nothing depends on telling colours
// apart; each bar carries its day and count as a tooltip, the image a summary for screen readers,
// and the figures are also given as a table.
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { LONG_DAY, SHORT_DAY } from "@/lib/format";

type Point = { date: string; value: number };

const WIDTH = 320;
const HEIGHT = 120;
const LEFT = 30;
const BOTTOM = 18;
const TOP = 8;

/** A round upper bound for the axis: 1, 2, 5 × 10ⁿ at or above the largest value. */
function axisMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((step) => step >= value)!;
}

export function DailyChart({
  id,
  title,
  count,
  points,
  href,
}: {
  id: string;
  title: string;
  /** A count with its noun, in the reader's language ("3 sign-ins"), for the summary. */
  count: (value: number) => string;
  points: Point[];
  /** Where the chart's title leads (the matching audit entries). */
  href?: string;
}) {
  const t = useTranslations("admin.chart");
  const format = useFormatter();
  const day = (date: string, options = SHORT_DAY) => format.dateTime(new Date(`${date}T00:00:00Z`), options);
  const total = points.reduce((sum, point) => sum + point.value, 0);
  const peak = points.reduce<Point | null>((best, point) => (!best || point.value > best.value ? point : best), null);
  const top = axisMax(peak?.value ?? 0);
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(points.length, 1);
  const bar = Math.max(slot * 0.7, 1);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const summary =
    total === 0
      ? t("none", { title, days: points.length })
      : t("summary", {
          title,
          total: count(total),
          days: points.length,
          peak: peak!.value,
          date: day(peak!.date, LONG_DAY),
        });
  const first = points[0]?.date;
  const last = points.at(-1)?.date;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        {href ? <Link href={href}>{title}</Link> : title} <span className="muted">· {count(total)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} data-series={id}>
        <line className="axis" x1={LEFT} x2={WIDTH} y1={y(0)} y2={y(0)} />
        <line className="grid" x1={LEFT} x2={WIDTH} y1={y(top)} y2={y(top)} />
        <text className="tick" x={LEFT - 4} y={y(top) + 4} textAnchor="end">
          {top}
        </text>
        <text className="tick" x={LEFT - 4} y={y(0)} textAnchor="end">
          0
        </text>
        {points.map((point, index) => (
          <rect
            key={point.date}
            className="bar"
            x={LEFT + index * slot + (slot - bar) / 2}
            y={y(point.value)}
            width={bar}
            height={y(0) - y(point.value)}
          >
            <title>{t("point", { date: day(point.date), count: count(point.value) })}</title>
          </rect>
        ))}
        {first && (
          <text className="tick" x={LEFT} y={HEIGHT - 4} textAnchor="start">
            {day(first)}
          </text>
        )}
        {last && last !== first && (
          <text className="tick" x={WIDTH} y={HEIGHT - 4} textAnchor="end">
            {day(last)}
          </text>
        )}
      </svg>
      <details>
        <summary>{t("figures")}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("day")}</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.date}>
                <td>{day(point.date, LONG_DAY)}</td>
                <td>{point.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
