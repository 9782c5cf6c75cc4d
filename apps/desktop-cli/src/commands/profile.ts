import type { Command } from "commander";
import { authed } from "../client";
import { CliError } from "../errors";
import { printRecord, sinceField, type Field } from "../output";
import { jsonOption, output, serverOf } from "../program";

export const selfFields: Field[] = [
  { key: "id", label: "ID" },
  { key: "email", label: "Email" },
  { key: "username", label: "Username" },
  { key: "name", label: "Name" },
  { key: "firstName", label: "First name" },
  { key: "lastName", label: "Last name" },
  { key: "role", label: "Role" },
  { key: "isActive", label: "Active" },
  { key: "emailVerified", label: "Email verified", format: sinceField },
  { key: "image", label: "Avatar" },
  { key: "createdAt", label: "Created" },
  { key: "lastLoginAt", label: "Last sign-in" },
];

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command("profile")
    .description("your profile")
    .addHelpText("after", "\nExamples:\n  $ mastoc profile show\n  $ mastoc profile update --name 'Ada Crimp'");
  profile
    .command("show")
    .description("show your profile")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const me = await authed(serverOf(command), (api) => api.users.me.query());
      output(command, me, () => printRecord(me, selfFields));
    });
  profile
    .command("update")
    .description("change your display name, username, first or last name")
    .option("--name <name>", "display name (empty string to clear)")
    .option("--username <username>", "3–32 of a-z 0-9 _ . -")
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc profile update --name 'Ada Crimp' --first-name Ada")
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
        if (Object.keys(changes).length === 0)
          throw new CliError("Nothing to update: pass --name, --username, --first-name or --last-name.", 2);
        const me = await authed(serverOf(command), (api) => api.users.updateMe.mutate(changes));
        output(command, me, () => printRecord(me, selfFields));
      },
    );
}
