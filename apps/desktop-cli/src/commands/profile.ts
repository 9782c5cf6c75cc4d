import type { Command } from "commander";
import { authed } from "../client";
import { CliError } from "../errors";
import { printRecord, sinceField, type Field } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { t } from "../i18n";

/** A line of a user's record, labelled from the catalog's `fields`. */
export const userField = (
  key:
    | "id"
    | "email"
    | "username"
    | "name"
    | "firstName"
    | "lastName"
    | "role"
    | "isActive"
    | "emailVerified"
    | "image"
    | "createdAt"
    | "lastLoginAt",
): Field => ({ key, label: t(`fields.${key}`), ...(key === "emailVerified" ? { format: sinceField } : {}) });

export const selfFields: Field[] = (
  [
    "id",
    "email",
    "username",
    "name",
    "firstName",
    "lastName",
    "role",
    "isActive",
    "emailVerified",
    "image",
    "createdAt",
    "lastLoginAt",
  ] as const
).map(userField);

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command("profile")
    .description(t("profile.description"))
    .addHelpText("after", examples("mastoc profile show", "mastoc profile update --name 'Ada Crimp'"));
  profile
    .command("show")
    .description(t("profile.show"))
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const me = await authed(serverOf(command), (api) => api.users.me.query());
      output(command, me, () => printRecord(me, selfFields));
    });
  profile
    .command("update")
    .description(t("profile.update.description"))
    .option("--name <name>", t("profile.update.name"))
    .option("--username <username>", t("profile.update.username"))
    .option("--first-name <name>", t("profile.update.firstName"))
    .option("--last-name <name>", t("profile.update.lastName"))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc profile update --name 'Ada Crimp' --first-name Ada"))
    .action(
      async (
        options: { name?: string; username?: string; firstName?: string; lastName?: string },
        command: Command,
      ) => {
        const changes = Object.fromEntries(
          Object.entries({
            name: options.name,
            username: options.username,
            firstName: options.firstName,
            lastName: options.lastName,
          }).filter(([, value]) => value !== undefined),
        );
        if (Object.keys(changes).length === 0) throw new CliError(t("profile.update.nothing"), 2);
        const me = await authed(serverOf(command), (api) => api.users.updateMe.mutate(changes));
        output(command, me, () => printRecord(me, selfFields));
      },
    );
}
