import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { listUsersInput } from "@mastoc/api/schemas";
import { authed, type Api } from "../client";
import { CliError } from "../errors";
import { dim, printRecord, printTable } from "../output";
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
    .option("--limit <n>", "how many entries", intOption, 50)
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc audit list --action climb. --limit 20")
    .action(
      async (
        options: { actor?: string; action?: string; targetType?: string; targetId?: string; limit: number },
        command: Command,
      ) => {
        const result = await authed(serverOf(command), (api) =>
          api.audit.list.query({
            actorId: options.actor,
            action: options.action,
            targetType: options.targetType,
            targetId: options.targetId,
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
