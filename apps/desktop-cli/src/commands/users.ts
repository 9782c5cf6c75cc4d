import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { listUsersInput } from "@mastoc/api/schemas";
import { authed, type Api } from "../client";
import { userId } from "../ids";
import { dim, printRecord, printTable, sinceField, type Field } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";
import { t } from "../i18n";

/** Roles are taken in any case (`moderator`), as the choices that --help lists. */
function parseRole(value: string): RoleName {
  const role = roles.find((name) => name === value.toUpperCase());
  if (!role) throw new InvalidArgumentError(t("commander.allowedChoices", { values: roles.join(", ") }));
  return role;
}

/** `users list --sort/--order` take the API's own choices and defaults. */
const { sort, order } = listUsersInput.shape;

type UserField =
  | "id"
  | "email"
  | "username"
  | "name"
  | "role"
  | "isActive"
  | "lockedUntil"
  | "lastLoginAt"
  | "emailVerified"
  | "failedLoginCount"
  | "activeSessions"
  | "createdAt";

const userField = (key: UserField): Field => ({
  key,
  label: t(`users.fields.${key}`),
  ...(key === "emailVerified" ? { format: sinceField } : {}),
});

const userColumns = (
  ["id", "email", "username", "name", "role", "isActive", "lockedUntil", "lastLoginAt"] as const
).map(userField);

export function registerUserCommands(program: Command): void {
  const users = program
    .command("users")
    .description(t("users.description"))
    .addHelpText(
      "after",
      examples(
        "mastoc users list --query ada",
        `mastoc users role cmx12a MODERATOR   # ${t("users.exampleId")}`,
        "mastoc users deactivate cmx12a",
        "mastoc users delete cmx12a --yes",
      ),
    );
  users
    .command("list")
    .description(t("users.list.description"))
    .option("-q, --query <text>", t("users.list.query"))
    .addOption(new Option("--role <role>", t("users.list.role")).choices(roles).argParser(parseRole))
    .addOption(new Option("--active <yes|no>", t("users.list.active")).choices(["yes", "no"]))
    .addOption(
      new Option("--sort <field>", t("users.list.sort")).choices(sort.unwrap().options).default(sort.parse(undefined)),
    )
    .addOption(
      new Option("--order <order>", t("users.list.order"))
        .choices(order.unwrap().options)
        .default(order.parse(undefined)),
    )
    .option("--page <n>", t("users.list.page"), intOption, 1)
    .option("--page-size <n>", t("users.list.pageSize"), intOption, 20)
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        "mastoc users list --query ada",
        "mastoc users list --role ADMIN --json",
        "mastoc users list --sort lastLoginAt --order asc",
      ),
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
          const { page, pageCount, total } = result;
          process.stdout.write(dim(t("users.list.footer", { page, pageCount, total })) + "\n");
        });
      },
    );
  users
    .command("show <id>")
    .description(t("users.show.description"))
    .addOption(jsonOption())
    .action(async (given: string, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), async (api) =>
        api.admin.getUser.query({ id: await userId(api, given) }),
      );
      output(command, user, () =>
        printRecord(user, [
          ...userColumns,
          ...(["emailVerified", "failedLoginCount", "activeSessions", "createdAt"] as const).map(userField),
        ]),
      );
    });

  const userAction = (
    name: string,
    description: string,
    run: (api: Api, id: string) => Promise<unknown>,
    done: (id: string) => string,
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
        output(command, result, () => process.stdout.write(`${done(id)}\n`));
      });
  userAction(
    "activate",
    t("users.activate.description"),
    (api, id) => api.admin.activate.mutate({ id }),
    (id) => t("users.activate.done", { id }),
  );
  userAction(
    "deactivate",
    t("users.deactivate.description"),
    (api, id) => api.admin.deactivate.mutate({ id }),
    (id) => t("users.deactivate.done", { id }),
  );
  userAction(
    "unlock",
    t("users.unlock.description"),
    (api, id) => api.admin.unlock.mutate({ id }),
    (id) => t("users.unlock.done", { id }),
  );
  userAction(
    "reset-2fa",
    t("users.resetTwoFactor.description"),
    (api, id) => api.admin.resetTwoFactor.mutate({ id }),
    (id) => t("users.resetTwoFactor.done", { id }),
  );

  users
    .command("role")
    .description(t("users.role.description"))
    .argument("<id>", t("users.role.id"))
    .addArgument(new Argument("<role>", t("users.role.role")).choices(roles).argParser(parseRole))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc users role cmx123 MODERATOR"))
    .action(async (given: string, role: RoleName, _options: unknown, command: Command) => {
      const user = await authed(serverOf(command), async (api) =>
        api.admin.setRole.mutate({ id: await userId(api, given), role }),
      );
      output(command, user, () =>
        process.stdout.write(`${t("users.role.done", { email: user.email, role: user.role })}\n`),
      );
    });
  users
    .command("delete <id>")
    .description(t("users.delete.description"))
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const user = await authed(server, async (api) => api.admin.getUser.query({ id: await userId(api, given) }));
      await confirmAction(
        options,
        "delete",
        t("users.delete.what", { username: user.username, email: user.email, id: user.id }),
        user.username,
      );
      await authed(server, (api) => api.admin.deleteUser.mutate({ id: user.id }));
      process.stdout.write(`${t("users.delete.done", { username: user.username, id: user.id })}\n`);
    });
}
