import type { Command } from "commander";
import { authed } from "../client";
import { CliError } from "../errors";
import { climbId } from "../ids";
import { dim, printRecord, printTable } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";
import { t } from "../i18n";

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
  creator: climb.createdBy?.username ?? t("output.deletedUser"),
  editor: climb.updatedBy?.username ?? t("output.deletedUser"),
});

const field = (key: "id" | "name" | "grade" | "description" | "creator" | "createdAt" | "editor" | "updatedAt") => ({
  key,
  label: t(`climbs.fields.${key}`),
});

const climbFields = (
  ["id", "name", "grade", "description", "creator", "createdAt", "editor", "updatedAt"] as const
).map(field);

export function registerClimbCommands(program: Command): void {
  const climbs = program
    .command("climbs")
    .description(t("climbs.description"))
    .addHelpText(
      "after",
      examples(
        "mastoc climbs create --name Karma --grade 8A",
        "mastoc climbs list --grade 8A",
        `mastoc climbs update cmx9f2 --grade 7C+   # ${t("climbs.exampleId")}`,
        "mastoc climbs delete cmx9f2",
      ),
    );
  climbs
    .command("list")
    .description(t("climbs.list.description"))
    .option("--creator <userId>", t("climbs.list.creator"))
    .option("--grade <grade>", t("climbs.list.grade"))
    .option("-q, --query <text>", t("climbs.list.query"))
    .option("--page <n>", t("climbs.list.page"), intOption, 1)
    .option("--page-size <n>", t("climbs.list.pageSize"), intOption, 20)
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc climbs list --grade 7A", "mastoc climbs list --json | jq '.items[].name'"))
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
          printTable(
            result.items.map(human),
            (["id", "name", "grade", "creator", "editor", "updatedAt"] as const).map(field),
          );
          const { page, pageCount, total } = result;
          process.stdout.write(dim(t("climbs.list.footer", { page, pageCount, total })) + "\n");
        });
      },
    );
  climbs
    .command("show <id>")
    .description(t("climbs.show.description"))
    .addOption(jsonOption())
    .action(async (given: string, _options: unknown, command: Command) => {
      const climb = await authed(serverOf(command), async (api) =>
        api.climbs.byId.query({ id: await climbId(api, given) }),
      );
      output(command, climb, () => printRecord(human(climb), climbFields));
    });
  climbs
    .command("create")
    .description(t("climbs.create.description"))
    .requiredOption("--name <name>", t("climbs.create.name"))
    .requiredOption("--grade <grade>", t("climbs.create.grade"))
    .option("--description <text>", t("climbs.create.descriptionOption"))
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        `mastoc climbs create --name 'La Marie-Rose' --grade 6A --description '${t("climbs.create.exampleDescription")}'`,
      ),
    )
    .action(async (options: { name: string; grade: string; description?: string }, command: Command) => {
      const { name, grade, description } = options;
      const climb = await authed(serverOf(command), (api) => api.climbs.create.mutate({ name, grade, description }));
      output(command, climb, () => printRecord(human(climb), climbFields));
    });
  climbs
    .command("update <id>")
    .description(t("climbs.update.description"))
    .option("--name <name>", t("climbs.create.name"))
    .option("--grade <grade>", t("climbs.update.grade"))
    .option("--description <text>", t("climbs.create.descriptionOption"))
    .addOption(jsonOption())
    .action(
      async (given: string, options: { name?: string; grade?: string; description?: string }, command: Command) => {
        const changes = Object.fromEntries(
          Object.entries(options).filter(([key, value]) => key !== "json" && value !== undefined),
        );
        if (Object.keys(changes).length === 0) throw new CliError(t("climbs.update.nothing"), 2);
        const climb = await authed(serverOf(command), async (api) =>
          api.climbs.update.mutate({ id: await climbId(api, given), ...changes }),
        );
        output(command, climb, () => printRecord(human(climb), climbFields));
      },
    );
  climbs
    .command("delete <id>")
    .description(t("climbs.delete.description"))
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const climb = await authed(server, async (api) => api.climbs.byId.query({ id: await climbId(api, given) }));
      const { name, grade, id } = climb;
      await confirmAction(options, "delete", t("climbs.delete.what", { name, grade, id }));
      await authed(server, (api) => api.climbs.delete.mutate({ id: climb.id }));
      process.stdout.write(`${t("climbs.delete.done", { name, id })}\n`);
    });
}
