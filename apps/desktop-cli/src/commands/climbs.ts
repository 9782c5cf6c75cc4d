import type { Command } from "commander";
import { authed } from "../client";
import { CliError } from "../errors";
import { climbId } from "../ids";
import { dim, printRecord, printTable } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";

type Climb = {
  id: string;
  name: string;
  grade: string;
  description: string | null;
  createdBy: { username: string } | null;
  updatedBy: { username: string } | null;
};

const human = (climb: Climb) => ({
  ...climb,
  creator: climb.createdBy?.username ?? "(deleted user)",
  editor: climb.updatedBy?.username ?? "(deleted user)",
});

const climbFields = [
  { key: "id", label: "ID" },
  { key: "name", label: "Name" },
  { key: "grade", label: "Grade" },
  { key: "description", label: "Description" },
  { key: "creator", label: "Created by" },
  { key: "createdAt", label: "Created" },
  { key: "editor", label: "Last changed by" },
  { key: "updatedAt", label: "Changed" },
];

export function registerClimbCommands(program: Command): void {
  const climbs = program
    .command("climbs")
    .description("climbs (who created and changed each)")
    .addHelpText(
      "after",
      examples(
        "mastoc climbs create --name Karma --grade 8A",
        "mastoc climbs list --grade 8A",
        "mastoc climbs update cmx9f2 --grade 7C+   # any unique start of the ID, 6 characters at least",
        "mastoc climbs delete cmx9f2",
      ),
    );
  climbs
    .command("list")
    .description("list climbs, newest first")
    .option("--creator <userId>", "climbs created by this user")
    .option("--grade <grade>", "exact grade, e.g. 6A+ or V4")
    .option("-q, --query <text>", "search name and description")
    .option("--page <n>", "page number", intOption, 1)
    .option("--page-size <n>", "rows per page", intOption, 20)
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc climbs list --grade 7A\n  $ mastoc climbs list --json | jq '.items[].name'",
    )
    .action(
      async (
        options: { creator?: string; grade?: string; query?: string; page: number; pageSize: number },
        command: Command,
      ) => {
        const result = await authed(serverOf(command), (api) =>
          api.climbs.list.query({
            creatorId: options.creator,
            grade: options.grade,
            query: options.query,
            page: options.page,
            pageSize: options.pageSize,
          }),
        );
        output(command, result, () => {
          printTable(result.items.map(human), [
            { key: "id", label: "ID" },
            { key: "name", label: "Name" },
            { key: "grade", label: "Grade" },
            { key: "creator", label: "Created by" },
            { key: "editor", label: "Last changed by" },
            { key: "updatedAt", label: "Changed" },
          ]);
          process.stdout.write(dim(`page ${result.page} of ${result.pageCount}, ${result.total} climb(s)\n`));
        });
      },
    );
  climbs
    .command("show <id>")
    .description("show a climb")
    .addOption(jsonOption())
    .action(async (given: string, _options: unknown, command: Command) => {
      const climb = await authed(serverOf(command), async (api) =>
        api.climbs.byId.query({ id: await climbId(api, given) }),
      );
      output(command, climb, () => printRecord(human(climb), climbFields));
    });
  climbs
    .command("create")
    .description("create a climb")
    .requiredOption("--name <name>", "name")
    .requiredOption("--grade <grade>", "Fontainebleau (6A, 7B+), V scale (V0–V17) or French sport (6a+)")
    .option("--description <text>", "description")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExample:\n  $ mastoc climbs create --name 'La Marie-Rose' --grade 6A --description 'Bleau classic'",
    )
    .action(async (options: { name: string; grade: string; description?: string }, command: Command) => {
      const { name, grade, description } = options;
      const climb = await authed(serverOf(command), (api) => api.climbs.create.mutate({ name, grade, description }));
      output(command, climb, () => printRecord(human(climb), climbFields));
    });
  climbs
    .command("update <id>")
    .description("change a climb (its creator, moderators and administrators)")
    .option("--name <name>", "name")
    .option("--grade <grade>", "grade")
    .option("--description <text>", "description")
    .addOption(jsonOption())
    .action(
      async (given: string, options: { name?: string; grade?: string; description?: string }, command: Command) => {
        const changes = Object.fromEntries(
          Object.entries(options).filter(([key, value]) => key !== "json" && value !== undefined),
        );
        if (Object.keys(changes).length === 0)
          throw new CliError("Nothing to update: pass --name, --grade or --description.", 2);
        const climb = await authed(serverOf(command), async (api) =>
          api.climbs.update.mutate({ id: await climbId(api, given), ...changes }),
        );
        output(command, climb, () => printRecord(human(climb), climbFields));
      },
    );
  climbs
    .command("delete <id>")
    .description("delete a climb (its creator, moderators and administrators); asks first unless --yes")
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const climb = await authed(server, async (api) => api.climbs.byId.query({ id: await climbId(api, given) }));
      await confirmAction(options, "delete", `the climb "${climb.name}" (${climb.grade}, ${climb.id})`);
      await authed(server, (api) => api.climbs.delete.mutate({ id: climb.id }));
      process.stdout.write(`Climb "${climb.name}" (${climb.id}) deleted.\n`);
    });
}
