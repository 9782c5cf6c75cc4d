import type { Command } from "commander";
import { authed, type Api } from "../client";
import { bold, dim, formatDay, greenTag, printRecord, printTable, sparkline } from "../output";
import { examples, intOption, jsonOption, output, serverOf } from "../program";
import { t } from "../i18n";

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command("admin")
    .description(t("admin.description"))
    .addHelpText("after", examples("mastoc admin stats", "mastoc admin stats --days 7 --json"));
  admin
    .command("stats")
    .description(t("admin.stats.description"))
    .option("--days <n>", t("admin.stats.days"), intOption, 30)
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc admin stats", "mastoc admin stats --days 7 --json"))
    .action(async (options: { days: number }, command: Command) => {
      const result = await authed(serverOf(command), async (api) => {
        const me = await api.auth.me.query();
        const [security, climbs] = await Promise.all([
          me.permissions["stats.security"] ? api.admin.stats.query({ days: options.days }) : null,
          api.climbs.stats.query({ days: options.days }),
        ]);
        return { security, climbs };
      });
      output(command, result.security ? result : { climbs: result.climbs }, () => printStats(result));
    });
  const oidc = admin.command("oidc").description(t("admin.oidc.description"));
  oidc
    .command("rotate-keys")
    .description(t("admin.oidc.rotateKeys.description"))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc admin oidc rotate-keys"))
    .action(async (_options: unknown, command: Command) => {
      const rotation = await authed(serverOf(command), (api) => api.oauth.rotateKeys.mutate());
      output(command, rotation, () => {
        process.stdout.write(`${t.markup("admin.oidc.rotateKeys.done", { green: greenTag, kid: rotation.kid })}\n`);
        if (rotation.retiring.length > 0) {
          process.stdout.write(`${t("admin.oidc.rotateKeys.retiring", { kids: rotation.retiring.join(", ") })}\n`);
        }
      });
    });
}

type Stats = {
  security: Awaited<ReturnType<Api["admin"]["stats"]["query"]>> | null;
  climbs: Awaited<ReturnType<Api["climbs"]["stats"]["query"]>>;
};

function printSeries<Day extends { date: string }>(series: Day[], rows: [keyof Day & string, string][]) {
  const width = Math.max(...rows.map(([, label]) => label.length));
  for (const [key, label] of rows) {
    const values = series.map((day) => Number(day[key]));
    const total = values.reduce((sum, value) => sum + value, 0);
    const peak = Math.max(0, ...values);
    const peakDay = series[values.indexOf(peak)]?.date;
    const figures =
      total === 0 ? t("admin.stats.none") : t("admin.stats.figures", { total, peak, day: formatDay(peakDay ?? "") });
    process.stdout.write(`${bold(label.padEnd(width))}  ${sparkline(values)}  ${dim(figures)}\n`);
  }
}

function printStats({ security, climbs }: Stats): void {
  const first = climbs.series[0]?.date;
  const last = climbs.series.at(-1)?.date;
  const period = { days: climbs.days, first: formatDay(first ?? ""), last: formatDay(last ?? "") };
  process.stdout.write(`${t("admin.stats.period", period)}\n\n`);
  if (security) {
    const { totals } = security;
    process.stdout.write(bold(t("admin.stats.security")) + "\n");
    const percent = Math.round(totals.secondFactorShare * 100);
    printRecord({ ...totals, secondFactorShare: t("admin.stats.share", { percent }) }, [
      { key: "users", label: t("admin.stats.users") },
      { key: "activeUsers", label: t("admin.stats.activeUsers", { days: security.days }) },
      ...(
        [
          "activeSessions",
          "lockedAccounts",
          "deactivatedUsers",
          "unverifiedEmails",
          "withTwoFactor",
          "withPasskey",
          "secondFactorShare",
        ] as const
      ).map((key) => ({ key, label: t(`admin.stats.${key}`) })),
    ]);
    process.stdout.write("\n");
    printSeries(
      security.series,
      (["signIns", "failedSignIns", "lockouts", "registrations", "passwordResets"] as const).map((key) => [
        key,
        t(`admin.stats.${key}`),
      ]),
    );
    process.stdout.write("\n" + bold(t("admin.stats.topFailed")) + "\n");
    printTable(security.topFailedAddresses, [
      { key: "ip", label: t("admin.stats.address") },
      { key: "failures", label: t("admin.stats.failures") },
      { key: "lastAt", label: t("admin.stats.last") },
    ]);
    process.stdout.write("\n");
  }
  process.stdout.write(bold(t("admin.stats.climbs")) + "\n");
  printRecord(
    climbs.totals,
    (["climbs", "created", "updated", "deleted"] as const).map((key) => ({ key, label: t(`admin.stats.${key}`) })),
  );
  process.stdout.write("\n");
  printSeries(
    climbs.series,
    (["created", "updated", "deleted"] as const).map((key) => [key, t(`admin.stats.${key}`)]),
  );
}
