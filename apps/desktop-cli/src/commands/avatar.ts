import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { authed, clientHeaders } from "../client";
import { CliError, HttpError } from "../errors";
import { greenTag } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { t } from "../i18n";

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

export function registerAvatarCommands(program: Command): void {
  const avatar = program
    .command("avatar")
    .description(t("avatar.description"))
    .addHelpText(
      "after",
      examples("mastoc avatar set me.png", "mastoc avatar get <userId> avatar.webp", "mastoc avatar remove"),
    );
  avatar
    .command("set <file>")
    .description(t("avatar.set.description"))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc avatar set ~/me.png"))
    .action(async (file: string, _options: unknown, command: Command) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new CliError(t("avatar.set.unreadable", { file }));
      }
      const server = serverOf(command);
      const result = await authed(server, async (_api, auth) => {
        const form = new FormData();
        const type = MIME_BY_EXTENSION[file.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
        form.set("file", new Blob([new Uint8Array(bytes)], { type }), basename(file));
        const response = await fetch(`${server}/api/users/me/avatar`, {
          method: "POST",
          headers: clientHeaders(auth.access_token),
          body: form,
        });
        if (!response.ok) throw await failure(response);
        return (await response.json()) as { image: string };
      });
      output(command, result, () =>
        process.stdout.write(`${t.markup("avatar.set.done", { green: greenTag, url: `${server}${result.image}` })}\n`),
      );
    });
  avatar
    .command("get <userId> <out>")
    .description(t("avatar.get.description"))
    .action(async (userId: string, out: string, _options: unknown, command: Command) => {
      const server = serverOf(command);
      const response = await fetch(`${server}/api/users/${encodeURIComponent(userId)}/avatar`, {
        headers: clientHeaders(),
      });
      if (!response.ok) throw await failure(response);
      writeFileSync(out, Buffer.from(await response.arrayBuffer()));
      process.stdout.write(
        `${t("avatar.get.done", { type: response.headers.get("content-type") ?? "", file: out })}\n`,
      );
    });
  avatar
    .command("remove")
    .description(t("avatar.remove.description"))
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.users.deleteAvatar.mutate());
      process.stdout.write(`${t(result.removed ? "avatar.remove.done" : "avatar.remove.none")}\n`);
    });
}
