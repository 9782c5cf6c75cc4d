import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { listUsersInput } from "@mastoc/api/schemas";
import { authed, type Api } from "../client";
import { userId } from "../ids";
import { dim, printRecord, printTable, sinceField } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";

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

export function registerUserCommands(program: Command): void {
  const users = program
    .command("users")
    .description("manage users (moderators: read and (de)activate; administrators: everything)")
    .addHelpText(
      "after",
      examples(
        "mastoc users list --query ada",
        "mastoc users role cmx12a MODERATOR   # any unique start of the ID, 6 characters at least",
        "mastoc users deactivate cmx12a",
        "mastoc users delete cmx12a --yes",
      ),
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
    .action(async (given: string, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), async (api) =>
        api.admin.getUser.query({ id: await userId(api, given) }),
      );
      output(command, user, () =>
        printRecord(user, [
          ...userColumns,
          { key: "emailVerified", label: "Email verified", format: sinceField },
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
      .action(async (given: string, _options: unknown, command: Command) => {
        const { id, result } = await authed(serverOf(command), async (api) => {
          const id = await userId(api, given);
          return { id, result: await run(api, id) };
        });
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
    .action(async (given: string, role: RoleName, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), async (api) =>
        api.admin.setRole.mutate({ id: await userId(api, given), role }),
      );
      output(command, user, () => process.stdout.write(`${user.email} is now ${user.role}.\n`));
    });
  users
    .command("delete <id>")
    .description("delete a user (administrators); asks you to type their username unless --yes")
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const user = await authed(server, async (api) => api.admin.getUser.query({ id: await userId(api, given) }));
      await confirmAction(
        options,
        "delete",
        `the user ${user.username} (${user.email}, ${user.id}) and all their data`,
        user.username,
      );
      await authed(server, (api) => api.admin.deleteUser.mutate({ id: user.id }));
      process.stdout.write(`User ${user.username} (${user.id}) deleted.\n`);
    });
}
