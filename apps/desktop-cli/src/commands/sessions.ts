import type { Command } from "commander";
import { authed } from "../client";
import { amongOwn, resolveId } from "../ids";
import { formatTime, printTable } from "../output";
import { examples, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";

type Session = { id: string; kind: string; userAgent: string | null; ip: string | null; lastUsedAt: Date | null };

const describeSession = (session: Session) =>
  `${session.kind} session ${session.id} (${session.userAgent ?? "unknown client"}, ${session.ip ?? "unknown address"}` +
  `${session.lastUsedAt ? `, last used ${formatTime(session.lastUsedAt)}` : ""})`;

export function registerSessionCommands(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("your active sessions")
    .addHelpText(
      "after",
      examples(
        "mastoc sessions list",
        "mastoc sessions revoke 4fj2k9   # any unique start of the ID",
        "mastoc sessions revoke-all",
      ),
    );
  sessions
    .command("list")
    .description("list your active sessions (web and CLI)")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const rows = await authed(serverOf(command), (api) => api.auth.sessions.query());
      output(command, rows, () =>
        printTable(
          rows.map((row) => ({ ...row, current: row.current ? "*" : "" })),
          [
            { key: "current", label: "" },
            { key: "id", label: "ID" },
            { key: "kind", label: "Kind" },
            { key: "userAgent", label: "Client" },
            { key: "ip", label: "IP" },
            { key: "createdAt", label: "Created" },
            { key: "lastUsedAt", label: "Last used" },
          ],
        ),
      );
    });
  sessions
    .command("revoke <id>")
    .description("sign out one session (the ID or any unique start of it, 6 characters at least)")
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
      process.stdout.write(`Session ${session.id} signed out.\n`);
    });
  sessions
    .command("revoke-all")
    .description("sign out everywhere, this CLI included")
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.auth.logoutAll.mutate());
      process.stdout.write(`${result.revoked} session(s) signed out. Run \`mastoc login\` to sign in again.\n`);
    });
}
