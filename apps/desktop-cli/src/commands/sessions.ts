import type { Command } from "commander";
import { authed } from "../client";
import { amongOwn, resolveId } from "../ids";
import { formatTime, printTable } from "../output";
import { examples, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";
import { t } from "../i18n";

type Session = { id: string; kind: string; userAgent: string | null; ip: string | null; lastUsedAt: Date | null };

const describeSession = (session: Session) =>
  t("sessions.what", {
    kind: session.kind,
    id: session.id,
    client: session.userAgent ?? t("sessions.unknownClient"),
    address: session.ip ?? t("sessions.unknownAddress"),
    lastUsed: session.lastUsedAt ? formatTime(session.lastUsedAt) : "none",
  });

export function registerSessionCommands(program: Command): void {
  const sessions = program
    .command("sessions")
    .description(t("sessions.description"))
    .addHelpText(
      "after",
      examples(
        "mastoc sessions list",
        `mastoc sessions revoke 4fj2k9   # ${t("sessions.exampleId")}`,
        "mastoc sessions revoke-all",
      ),
    );
  sessions
    .command("list")
    .description(t("sessions.list.description"))
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const rows = await authed(serverOf(command), (api) => api.auth.sessions.query());
      output(command, rows, () =>
        printTable(
          rows.map((row) => ({ ...row, current: row.current ? "*" : "" })),
          [
            { key: "current", label: "" },
            ...(["id", "kind", "userAgent", "ip", "createdAt", "lastUsedAt"] as const).map((key) => ({
              key,
              label: t(`sessions.fields.${key}`),
            })),
          ],
        ),
      );
    });
  sessions
    .command("revoke <id>")
    .description(t("sessions.revoke.description"))
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const session = await authed(server, async (api) => {
        const rows = await api.auth.sessions.query();
        const id = await resolveId(
          "session",
          given,
          amongOwn(async () => rows, describeSession),
        );
        return rows.find((row) => row.id === id)!;
      });
      await confirmAction(options, "signOut", describeSession(session));
      await authed(server, (api) => api.auth.revokeSession.mutate({ id: session.id }));
      process.stdout.write(`${t("sessions.revoke.done", { id: session.id })}\n`);
    });
  sessions
    .command("revoke-all")
    .description(t("sessions.revokeAll.description"))
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.auth.logoutAll.mutate());
      process.stdout.write(`${t("sessions.revokeAll.done", { count: result.revoked })}\n`);
    });
}
