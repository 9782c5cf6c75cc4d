import type { Command } from "commander";
import { authed, type Api } from "../client";
import { bold, dim, printRecord, printTable, sparkline } from "../output";
import { examples, intOption, jsonOption, output, serverOf } from "../program";

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command("admin")
    .description("the service at a glance (administrators; moderators: the climbs side)")
    .addHelpText("after", examples("mastoc admin stats", "mastoc admin stats --days 7 --json"));
  admin
    .command("stats")
    .description("totals and daily series: sign-ins, failures, lockouts, registrations, resets, climbs")
    .option("--days <n>", "the period, in UTC days up to today (1–365)", intOption, 30)
    .addOption(jsonOption())
    .addHelpText("after", "\nExamples:\n  $ mastoc admin stats\n  $ mastoc admin stats --days 7 --json")
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
    const figures = total === 0 ? "none" : `total ${total}, peak ${peak} on ${peakDay}`;
    process.stdout.write(`${bold(label.padEnd(width))}  ${sparkline(values)}  ${dim(figures)}\n`);
  }
}

function printStats({ security, climbs }: Stats): void {
  const first = climbs.series[0]?.date;
  const last = climbs.series.at(-1)?.date;
  process.stdout.write(`Last ${climbs.days} days, ${first} to ${last} (UTC days)\n\n`);
  if (security) {
    const { totals } = security;
    process.stdout.write(bold("Accounts and security") + "\n");
    printRecord({ ...totals, secondFactorShare: `${Math.round(totals.secondFactorShare * 100)} %` }, [
      { key: "users", label: "Users" },
      { key: "activeUsers", label: `Active in ${security.days} days` },
      { key: "activeSessions", label: "Active sessions" },
      { key: "lockedAccounts", label: "Locked now" },
      { key: "deactivatedUsers", label: "Deactivated" },
      { key: "unverifiedEmails", label: "Unverified emails" },
      { key: "withTwoFactor", label: "With 2FA" },
      { key: "withPasskey", label: "With a passkey" },
      { key: "secondFactorShare", label: "With 2FA or a passkey" },
    ]);
    process.stdout.write("\n");
    printSeries(security.series, [
      ["signIns", "Sign-ins"],
      ["failedSignIns", "Failed sign-ins"],
      ["lockouts", "Lockouts"],
      ["registrations", "Registrations"],
      ["passwordResets", "Password resets"],
    ]);
    process.stdout.write("\n" + bold("Most failed sign-ins by address, last 24 hours") + "\n");
    printTable(security.topFailedAddresses, [
      { key: "ip", label: "Address" },
      { key: "failures", label: "Failures" },
      { key: "lastAt", label: "Last" },
    ]);
    process.stdout.write("\n");
  }
  process.stdout.write(bold("Climbs") + "\n");
  printRecord(climbs.totals, [
    { key: "climbs", label: "Climbs" },
    { key: "created", label: "Added" },
    { key: "updated", label: "Edited" },
    { key: "deleted", label: "Deleted" },
  ]);
  process.stdout.write("\n");
  printSeries(climbs.series, [
    ["created", "Added"],
    ["updated", "Edited"],
    ["deleted", "Deleted"],
  ]);
}
