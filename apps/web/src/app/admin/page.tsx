import type { Metadata } from "next";
import { useFormatter, useTranslations } from "next-intl";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import type { RouterOutputs } from "@mastoc/api";
import { DailyChart } from "@/components/daily-chart";
import { TableScroll } from "@/components/listing";
import { EXACT_TIME } from "@/lib/format";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.dashboard"))("title") };
}

const PERIODS = [7, 30, 90, 365] as const;

type UnitKey =
  "signIns" | "failedSignIns" | "lockouts" | "registrations" | "passwordResets" | "created" | "updated" | "deleted";

type Tile = { label: string; value: string; href: string; note?: string };

function Tiles({ label, tiles }: { label: string; tiles: Tile[] }) {
  return (
    <ul className="tiles" aria-label={label}>
      {tiles.map((tile) => (
        <li key={tile.label}>
          <Link href={tile.href} className="tile">
            <span className="tile-value">{tile.value}</span>
            <span className="tile-label">{tile.label}</span>
            {tile.note && <span className="tile-note muted">{tile.note}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** One chart per daily series: `key` names the series, `href` the matching audit entries. */
function Charts<Day extends { date: string }>({
  series,
  charts,
}: {
  series: Day[];
  charts: { key: Exclude<keyof Day, "date"> & UnitKey; title: string; href: string }[];
}) {
  const units = useTranslations("admin.units");
  return (
    <div className="charts">
      {charts.map((chart) => (
        <DailyChart
          key={chart.key}
          id={chart.key}
          title={chart.title}
          count={(count) => units(chart.key as UnitKey, { count })}
          points={series.map((day) => ({ date: day.date, value: Number(day[chart.key]) }))}
          href={chart.href}
        />
      ))}
    </div>
  );
}

const auditLink = (filters: Record<string, string>) => `/admin/audit?${new URLSearchParams(filters)}`;

function SecuritySection({ stats }: { stats: RouterOutputs["admin"]["stats"] }) {
  const t = useTranslations("admin.dashboard");
  const format = useFormatter();
  const { totals } = stats;
  const from = stats.from.toISOString().slice(0, 10);
  const percent = format.number(totals.secondFactorShare, { style: "percent", maximumFractionDigits: 0 });
  return (
    <section className="card wide" aria-labelledby="security-heading">
      <h2 id="security-heading">{t("security")}</h2>
      <Tiles
        label={t("accountTotals")}
        tiles={[
          { label: t("users"), value: format.number(totals.users), href: "/admin/users" },
          {
            label: t("activeIn", { days: stats.days }),
            value: format.number(totals.activeUsers),
            href: "/admin/users?sort=lastLoginAt",
          },
          {
            label: t("activeSessions"),
            value: format.number(totals.activeSessions),
            href: auditLink({ action: "auth.login.success" }),
          },
          { label: t("lockedNow"), value: format.number(totals.lockedAccounts), href: "/admin/users?security=locked" },
          { label: t("deactivated"), value: format.number(totals.deactivatedUsers), href: "/admin/users?active=no" },
          {
            label: t("unverified"),
            value: format.number(totals.unverifiedEmails),
            href: "/admin/users?security=unverified",
          },
          {
            label: t("secondFactor"),
            value: percent,
            note: t("secondFactorNote", {
              with: totals.withSecondFactor,
              users: totals.users,
              twoFactor: totals.withTwoFactor,
              passkey: totals.withPasskey,
            }),
            href: "/admin/users?security=secondFactor",
          },
        ]}
      />
      <Charts
        series={stats.series}
        charts={[
          {
            key: "signIns",
            title: t("signIns"),
            href: auditLink({ action: "auth.login.success", from }),
          },
          {
            key: "failedSignIns",
            title: t("failedSignIns"),
            href: auditLink({ action: "auth.login.failure", from }),
          },
          { key: "lockouts", title: t("lockouts"), href: auditLink({ action: "auth.lockout", from }) },
          {
            key: "registrations",
            title: t("registrations"),
            href: auditLink({ action: "user.register", from }),
          },
          {
            key: "passwordResets",
            title: t("passwordResets"),
            href: auditLink({ action: "auth.password_reset.confirm", from }),
          },
        ]}
      />
      <h3 id="top-addresses-heading">{t("topAddresses")}</h3>
      {stats.topFailedAddresses.length > 0 ? (
        <TableScroll label={t("topAddressesLabel")}>
          <table aria-labelledby="top-addresses-heading">
            <thead>
              <tr>
                <th scope="col">{t("address")}</th>
                <th scope="col">{t("failures")}</th>
                <th scope="col">{t("last")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.topFailedAddresses.map((entry) => (
                <tr key={entry.ip}>
                  <td>
                    <Link
                      href={auditLink({
                        action: "auth.",
                        ip: entry.ip,
                        from: new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10),
                      })}
                    >
                      {entry.ip}
                    </Link>
                  </td>
                  <td>{format.number(entry.failures)}</td>
                  <td className="when">
                    <time dateTime={entry.lastAt.toISOString()}>{format.dateTime(entry.lastAt, EXACT_TIME)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="muted">{t("noFailures")}</p>
      )}
    </section>
  );
}

function ClimbsSection({ stats }: { stats: RouterOutputs["climbs"]["stats"] }) {
  const t = useTranslations("admin.dashboard");
  const format = useFormatter();
  const from = stats.from.toISOString().slice(0, 10);
  const climbAudit = (action: string) => auditLink({ targetType: "climb", action, from });
  return (
    <section className="card wide" aria-labelledby="climbs-heading">
      <h2 id="climbs-heading">{t("climbs")}</h2>
      <Tiles
        label={t("catalogueTotals")}
        tiles={[
          { label: t("climbCount"), value: format.number(stats.totals.climbs), href: "/climbs" },
          {
            label: t("addedIn", { days: stats.days }),
            value: format.number(stats.totals.created),
            href: climbAudit("climb.create"),
          },
          {
            label: t("editedIn", { days: stats.days }),
            value: format.number(stats.totals.updated),
            href: climbAudit("climb.update"),
          },
          {
            label: t("deletedIn", { days: stats.days }),
            value: format.number(stats.totals.deleted),
            href: climbAudit("climb.delete"),
          },
        ]}
      />
      <Charts
        series={stats.series}
        charts={[
          { key: "created", title: t("climbsAdded"), href: climbAudit("climb.create") },
          { key: "updated", title: t("climbsEdited"), href: climbAudit("climb.update") },
          { key: "deleted", title: t("climbsDeleted"), href: climbAudit("climb.delete") },
        ]}
      />
    </section>
  );
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const viewer = await requireUser("/admin", "stats.climbs");
  const requested = Number((await searchParams).days);
  const days = PERIODS.find((period) => period === requested) ?? 30;
  const caller = await serverCaller();
  const security = viewer.permissions["stats.security"];
  const [securityStats, climbStats] = await Promise.all([
    security ? caller.admin.stats({ days }) : null,
    caller.climbs.stats({ days }),
  ]);
  const t = await getTranslations("admin.dashboard");
  return (
    <>
      <div className="card wide">
        <h1>{t("title")}</h1>
        <p className="muted">
          {t("utcDays")}
          {security ? "" : ` ${t("moderatorView")}`}
        </p>
        <nav aria-label={t("period")} className="periods">
          {PERIODS.map((period) => (
            <Link key={period} href={`/admin?days=${period}`} aria-current={period === days ? "page" : undefined}>
              {t("days", { count: period })}
            </Link>
          ))}
        </nav>
      </div>
      {securityStats && <SecuritySection stats={securityStats} />}
      <ClimbsSection stats={climbStats} />
    </>
  );
}
