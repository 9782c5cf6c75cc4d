import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { listUsersInput } from "@mastoc/api/schemas";
import { authed, type Api } from "../client";
import { CliError } from "../errors";
import { bold, dim, printRecord, printTable, sparkline } from "../output";
import { intOption, jsonOption, output, serverOf } from "../program";
import { ask } from "../prompt";

/** Roles are taken in any case (`moderator`), as the choices that --help lists. */
function parseRole(value: string): RoleName {
  const role = roles.find((name) => name === value.toUpperCase());
  if (!role) throw new InvalidArgumentError(`Allowed choices are ${roles.join(", ")}.`);
  return role;
}

/** `users list --sort/--order` take the API's own choices and defaults. */
const { sort, order } = listUsersInput.shape;

const userColumns = [
  { key: "id", label: "ID" },
  { key: "email", label: "Email" },
  { key: "username", label: "Username" },
  { key: "name", label: "Name" },
  { key: "role", label: "Role" },
  { key: "isActive", label: "Active" },
  { key: "lockedUntil", label: "Locked until" },
  { key: "lastLoginAt", label: "Last sign-in" },
];

export function registerAdminCommands(program: Command): void {
  const users = program
    .command("users")
    .description("manage users (moderators: read and (de)activate; administrators: everything)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc users list --query ada\n  $ mastoc users role <id> MODERATOR\n  $ mastoc users deactivate <id>\n  $ mastoc users delete <id> --yes",
    );
  users
    .command("list")
    .description("list and search users")
    .option("-q, --query <text>", "search email, username and name")
    .addOption(new Option("--role <role>", "only users with this role").choices(roles).argParser(parseRole))
    .addOption(new Option("--active <yes|no>", "only active (yes) or deactivated (no) accounts").choices(["yes", "no"]))
    .addOption(
      new Option("--sort <field>", "sort by this field").choices(sort.unwrap().options).default(sort.parse(undefined)),
    )
    .addOption(
      new Option("--order <order>", "sort order").choices(order.unwrap().options).default(order.parse(undefined)),
    )
    .option("--page <n>", "page number", intOption, 1)
    .option("--page-size <n>", "rows per page", intOption, 20)
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc users list --query ada\n  $ mastoc users list --role ADMIN --json\n  $ mastoc users list --sort lastLoginAt --order asc",
    )
    .action(
      async (
        options: {
          query?: string;
          role?: RoleName;
          active?: "yes" | "no";
          sort: ReturnType<typeof sort.parse>;
          order: ReturnType<typeof order.parse>;
          page: number;
          pageSize: number;
        },
        command: Command,
      ) => {
        const result = await authed(serverOf(command), (api) =>
          api.admin.listUsers.query({
            query: options.query,
            role: options.role,
            active: options.active === undefined ? undefined : options.active === "yes",
            sort: options.sort,
            order: options.order,
            page: options.page,
            pageSize: options.pageSize,
          }),
        );
        output(command, result, () => {
          printTable(result.items, userColumns);
          process.stdout.write(dim(`page ${result.page} of ${result.pageCount}, ${result.total} user(s)\n`));
        });
      },
    );
  users
    .command("show <id>")
    .description("show a user's details")
    .addOption(jsonOption())
    .action(async (id: string, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), (api) => api.admin.getUser.query({ id }));
      output(command, user, () =>
        printRecord(user, [
          ...userColumns,
          { key: "emailVerified", label: "Email verified" },
          { key: "failedLoginCount", label: "Failed sign-ins" },
          { key: "activeSessions", label: "Active sessions" },
          { key: "createdAt", label: "Created" },
        ]),
      );
    });

  const userAction = (
    name: string,
    description: string,
    run: (api: Api, id: string) => Promise<unknown>,
    done: string,
  ) =>
    users
      .command(`${name} <id>`)
      .description(description)
      .addOption(jsonOption())
      .action(async (id: string, _options: unknown, command: Command) => {
        const result = await authed(serverOf(command), (api) => run(api, id));
        output(command, result, () => process.stdout.write(`${done.replace("{id}", id)}\n`));
      });
  userAction(
    "activate",
    "reactivate an account",
    (api, id) => api.admin.activate.mutate({ id }),
    "User {id} reactivated.",
  );
  userAction(
    "deactivate",
    "deactivate an account (its sessions end at once)",
    (api, id) => api.admin.deactivate.mutate({ id }),
    "User {id} deactivated.",
  );
  userAction(
    "unlock",
    "lift a sign-in lock (administrators)",
    (api, id) => api.admin.unlock.mutate({ id }),
    "User {id} unlocked.",
  );
  userAction(
    "reset-2fa",
    "turn off a user's two-factor authentication, e.g. after a lost phone (administrators)",
    (api, id) => api.admin.resetTwoFactor.mutate({ id }),
    "Two-factor authentication of user {id} turned off; their sessions were signed out.",
  );

  users
    .command("role")
    .description("change a user's role (administrators)")
    .argument("<id>", "the user's ID")
    .addArgument(new Argument("<role>", "the new role").choices(roles).argParser(parseRole))
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc users role cmx123 MODERATOR")
    .action(async (id: string, role: RoleName, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), (api) => api.admin.setRole.mutate({ id, role }));
      output(command, user, () => process.stdout.write(`${user.email} is now ${user.role}.\n`));
    });
  users
    .command("delete <id>")
    .description("delete a user (administrators); asks for confirmation unless --yes")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      if (!options.yes) {
        if (!process.stdin.isTTY) throw new CliError("Refusing to delete without confirmation: pass --yes.", 2);
        const answer = await ask(`Delete user ${id} and all their data? Type "delete" to confirm: `);
        if (answer.trim() !== "delete") throw new CliError("Not deleted.");
      }
      await authed(serverOf(command), (api) => api.admin.deleteUser.mutate({ id }));
      process.stdout.write(`User ${id} deleted.\n`);
    });

  const admin = program
    .command("admin")
    .description("the service at a glance (administrators; moderators: the climbs side)");
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

  const audit = program
    .command("audit")
    .description("the audit log (administrators: all; moderators: climbs)")
    .addHelpText("after", "\nExample:\n  $ mastoc audit list --action auth.login --limit 20");
  audit
    .command("list")
    .description("list audit entries, newest first")
    .option("--actor <userId>", "entries by this user")
    .option("--action <prefix>", "actions starting with this (e.g. climb., auth.login)")
    .option("--target-type <type>", "user, climb, session, apiKey")
    .option("--target-id <id>", "entries about this object")
    .option("--ip <address>", "entries from this client address")
    .option("--limit <n>", "how many entries", intOption, 50)
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc audit list --action climb. --limit 20")
    .action(
      async (
        options: {
          actor?: string;
          action?: string;
          targetType?: string;
          targetId?: string;
          ip?: string;
          limit: number;
        },
        command: Command,
      ) => {
        const result = await authed(serverOf(command), (api) =>
          api.audit.list.query({
            actorId: options.actor,
            action: options.action,
            targetType: options.targetType,
            targetId: options.targetId,
            ip: options.ip,
            limit: options.limit,
          }),
        );
        output(command, result, () =>
          printTable(
            result.items.map((entry) => ({ ...entry, changes: entry.changes ? JSON.stringify(entry.changes) : null })),
            [
              { key: "createdAt", label: "Time" },
              { key: "action", label: "Action" },
              { key: "actorEmail", label: "Actor" },
              { key: "targetType", label: "Target" },
              { key: "targetId", label: "Target ID" },
              { key: "ip", label: "IP" },
              { key: "changes", label: "Changes" },
            ],
          ),
        );
      },
    );
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
      { key: "lastAt", label: "Last (UTC)" },
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
