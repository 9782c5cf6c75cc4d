import Link from "next/link";
import type { RouterOutputs } from "@mastoc/api";
import { DailyChart } from "@/components/daily-chart";
import { TableScroll } from "@/components/listing";
import { formatDateTime } from "@/lib/format";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";

export const metadata = { title: "Dashboard · mastoc accounts" };

const PERIODS = [7, 30, 90, 365] as const;

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
  charts: { key: Exclude<keyof Day, "date"> & string; title: string; unit: string; href: string }[];
}) {
  return (
    <div className="charts">
      {charts.map((chart) => (
        <DailyChart
          key={chart.key}
          id={chart.key}
          title={chart.title}
          unit={chart.unit}
          points={series.map((day) => ({ date: day.date, value: Number(day[chart.key]) }))}
          href={chart.href}
        />
      ))}
    </div>
  );
}

const auditLink = (filters: Record<string, string>) => `/admin/audit?${new URLSearchParams(filters)}`;

function SecuritySection({ stats }: { stats: RouterOutputs["admin"]["stats"] }) {
  const { totals } = stats;
  const from = stats.from.toISOString().slice(0, 10);
  const percent = `${Math.round(totals.secondFactorShare * 100)} %`;
  return (
    <section className="card wide" aria-labelledby="security-heading">
      <h2 id="security-heading">Accounts and security</h2>
      <Tiles
        label="Account totals"
        tiles={[
          { label: "Users", value: String(totals.users), href: "/admin/users" },
          {
            label: `Active in ${stats.days} days`,
            value: String(totals.activeUsers),
            href: "/admin/users?sort=lastLoginAt",
          },
          {
            label: "Active sessions",
            value: String(totals.activeSessions),
            href: auditLink({ action: "auth.login.success" }),
          },
          { label: "Locked now", value: String(totals.lockedAccounts), href: "/admin/users?security=locked" },
          { label: "Deactivated", value: String(totals.deactivatedUsers), href: "/admin/users?active=no" },
          {
            label: "Unverified emails",
            value: String(totals.unverifiedEmails),
            href: "/admin/users?security=unverified",
          },
          {
            label: "With 2FA or a passkey",
            value: percent,
            note: `${totals.withSecondFactor} of ${totals.users} (2FA ${totals.withTwoFactor}, passkey ${totals.withPasskey})`,
            href: "/admin/users?security=secondFactor",
          },
        ]}
      />
      <Charts
        series={stats.series}
        charts={[
          {
            key: "signIns",
            title: "Sign-ins",
            unit: "sign-in",
            href: auditLink({ action: "auth.login.success", from }),
          },
          {
            key: "failedSignIns",
            title: "Failed sign-ins",
            unit: "failure",
            href: auditLink({ action: "auth.login.failure", from }),
          },
          { key: "lockouts", title: "Lockouts", unit: "lockout", href: auditLink({ action: "auth.lockout", from }) },
          {
            key: "registrations",
            title: "Registrations",
            unit: "registration",
            href: auditLink({ action: "user.register", from }),
          },
          {
            key: "passwordResets",
            title: "Password resets",
            unit: "reset",
            href: auditLink({ action: "auth.password_reset.confirm", from }),
          },
        ]}
      />
      <h3 id="top-addresses-heading">Addresses with the most failed sign-ins (last 24 hours)</h3>
      {stats.topFailedAddresses.length > 0 ? (
        <TableScroll label="Addresses with the most failed sign-ins">
          <table aria-labelledby="top-addresses-heading">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Failed sign-ins</th>
                <th scope="col">Last (UTC)</th>
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
                  <td>{entry.failures}</td>
                  <td className="when">{formatDateTime(entry.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="muted">No failed sign-in in the last 24 hours.</p>
      )}
    </section>
  );
}

function ClimbsSection({ stats }: { stats: RouterOutputs["climbs"]["stats"] }) {
  const from = stats.from.toISOString().slice(0, 10);
  const climbAudit = (action: string) => auditLink({ targetType: "climb", action, from });
  return (
    <section className="card wide" aria-labelledby="climbs-heading">
      <h2 id="climbs-heading">Climbs</h2>
      <Tiles
        label="Catalogue totals"
        tiles={[
          { label: "Climbs", value: String(stats.totals.climbs), href: "/climbs" },
          {
            label: `Added in ${stats.days} days`,
            value: String(stats.totals.created),
            href: climbAudit("climb.create"),
          },
          {
            label: `Edited in ${stats.days} days`,
            value: String(stats.totals.updated),
            href: climbAudit("climb.update"),
          },
          {
            label: `Deleted in ${stats.days} days`,
            value: String(stats.totals.deleted),
            href: climbAudit("climb.delete"),
          },
        ]}
      />
      <Charts
        series={stats.series}
        charts={[
          { key: "created", title: "Climbs added", unit: "climb", href: climbAudit("climb.create") },
          { key: "updated", title: "Climbs edited", unit: "edit", href: climbAudit("climb.update") },
          { key: "deleted", title: "Climbs deleted", unit: "deletion", href: climbAudit("climb.delete") },
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
  return (
    <>
      <div className="card wide">
        <h1>Dashboard</h1>
        <p className="muted">
          Days are UTC days, today included.{" "}
          {security ? "" : "As a moderator you see the climbs side: account figures are for administrators."}
        </p>
        <nav aria-label="Period" className="periods">
          {PERIODS.map((period) => (
            <Link key={period} href={`/admin?days=${period}`} aria-current={period === days ? "page" : undefined}>
              {period} days
            </Link>
          ))}
        </nav>
      </div>
      {securityStats && <SecuritySection stats={securityStats} />}
      <ClimbsSection stats={climbStats} />
    </>
  );
}
