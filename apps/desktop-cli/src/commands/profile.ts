import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { authed, createApi } from "../client";
import { CliError, HttpError } from "../errors";
import { green, printRecord } from "../output";
import { jsonOption, output, serverOf } from "../program";
import { ask, readStdin } from "../prompt";

export const selfFields = [
  { key: "id", label: "ID" },
  { key: "email", label: "Email" },
  { key: "username", label: "Username" },
  { key: "name", label: "Name" },
  { key: "firstName", label: "First name" },
  { key: "lastName", label: "Last name" },
  { key: "role", label: "Role" },
  { key: "isActive", label: "Active" },
  { key: "emailVerified", label: "Email verified" },
  { key: "image", label: "Avatar" },
  { key: "createdAt", label: "Created" },
  { key: "lastLoginAt", label: "Last sign-in" },
];

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
};

async function failure(response: Response): Promise<HttpError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    // Every error outside tRPC is an RFC 9457 problem: its `detail` says what went wrong.
    message = ((await response.json()) as { detail?: string }).detail ?? message;
  } catch {
    // not JSON
  }
  return new HttpError(response.status, message);
}

/** Two secrets from standard input, one per line (for scripts). */
async function twoLines(): Promise<[string, string]> {
  const [first = "", second = ""] = (await readStdin()).split(/\r?\n/);
  if (!first || !second)
    throw new CliError("Expected two lines on standard input: the current password, then the new one.", 2);
  return [first, second];
}

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

  const avatar = program
    .command("avatar")
    .description("your avatar")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc avatar set me.png\n  $ mastoc avatar get <userId> avatar.webp\n  $ mastoc avatar remove",
    );
  avatar
    .command("set <file>")
    .description("upload a PNG, JPEG, WebP or GIF (max 2 MB) as your avatar")
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc avatar set ~/me.png")
    .action(async (file: string, _options: unknown, command: Command) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new CliError(`Cannot read ${file}`);
      }
      const server = serverOf(command);
      const result = await authed(server, async (_api, auth) => {
        const form = new FormData();
        const type = MIME_BY_EXTENSION[file.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
        form.set("file", new Blob([new Uint8Array(bytes)], { type }), basename(file));
        const response = await fetch(`${server}/api/users/me/avatar`, {
          method: "POST",
          headers: { authorization: `Bearer ${auth.access_token}` },
          body: form,
        });
        if (!response.ok) throw await failure(response);
        return (await response.json()) as { image: string };
      });
      output(command, result, () => process.stdout.write(`${green("Avatar updated")}: ${server}${result.image}\n`));
    });
  avatar
    .command("get <userId> <out>")
    .description("download a user's avatar to a file")
    .action(async (userId: string, out: string, _options: unknown, command: Command) => {
      const server = serverOf(command);
      const response = await fetch(`${server}/api/users/${encodeURIComponent(userId)}/avatar`);
      if (!response.ok) throw await failure(response);
      writeFileSync(out, Buffer.from(await response.arrayBuffer()));
      process.stdout.write(`Saved ${response.headers.get("content-type")} to ${out}\n`);
    });
  avatar
    .command("remove")
    .description("remove your avatar")
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.users.deleteAvatar.mutate());
      process.stdout.write(result.removed ? "Avatar removed.\n" : "You had no avatar.\n");
    });

  const password = program
    .command("password")
    .description("change or reset your password")
    .addHelpText(
      "after",
      '\nExamples:\n  $ mastoc password change\n  $ printf \'%s\\n%s\\n\' "$OLD" "$NEW" | mastoc password change --stdin\n  $ mastoc password reset-request ada@example.com\n  $ mastoc password reset-confirm <token>',
    );
  password
    .command("change")
    .description("change your password (your other sessions are signed out)")
    .option("--stdin", "read the current and the new password from standard input, one per line")
    .action(async (options: { stdin?: boolean }, command: Command) => {
      const [currentPassword, newPassword] = options.stdin
        ? await twoLines()
        : [await ask("Current password: ", true), await ask("New password: ", true)];
      const result = await authed(serverOf(command), (api) =>
        api.auth.changePassword.mutate({ currentPassword, newPassword }),
      );
      process.stdout.write(
        `${green("Password changed")}; ${result.otherSessionsRevoked} other session(s) signed out.\n`,
      );
    });
  password
    .command("reset-request <email>")
    .description("ask for a password reset link by email")
    .action(async (email: string, _options: unknown, command: Command) => {
      const result = await createApi(serverOf(command)).auth.requestPasswordReset.mutate({ email });
      process.stdout.write(`${result.message}\n`);
    });
  password
    .command("reset-confirm <token>")
    .description("set a new password with the token from the reset link")
    .option("--password-stdin", "read the new password from standard input")
    .action(async (token: string, options: { passwordStdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const newPassword = options.passwordStdin ? await readStdin() : await ask("New password: ", true);
      await createApi(server).auth.confirmPasswordReset.mutate({ token, password: newPassword });
      process.stdout.write(`${green("Password reset")}. Every session of that account was signed out.\n`);
    });
}
