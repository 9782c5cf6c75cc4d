// Short IDs, as git takes short hashes: any unique prefix of at least 6 characters stands for the
// whole ID. Climbs and users are looked up on the server (climbs.byIdPrefix,
// admin.usersByIdPrefix, both reading one range of the primary key); one's own sessions and API
// keys are few and matched here.
import type { Api } from "./client";
import { CliError, EXIT } from "./errors";
import { t } from "./i18n";

export const MIN_PREFIX = 6;
/** A whole ID (cuid): used as given, without a lookup. */
const WHOLE_ID = /^c[a-z0-9]{24}$/;

type Candidate = { id: string; label: string };

/**
 * The whole ID that `given` stands for. Too short or ambiguous: exit 2, listing the candidates
 * when ambiguous; no match: exit 1.
 */
/** What an ID names, as the catalog's `ids` messages say it. */
export type IdKind = "climb" | "user" | "session" | "apiKey";

export async function resolveId(
  kind: IdKind,
  given: string,
  candidates: (prefix: string) => Promise<Candidate[]>,
): Promise<string> {
  const prefix = given.trim().toLowerCase();
  if (WHOLE_ID.test(prefix)) return prefix;
  if (prefix.length < MIN_PREFIX) {
    throw new CliError(t("ids.tooShort", { kind, given, min: MIN_PREFIX }), EXIT.usage);
  }
  const matches = /^[a-z0-9]+$/.test(prefix) ? await candidates(prefix) : [];
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new CliError(t("ids.none", { kind, given }));
  const width = Math.max(...matches.map((match) => match.id.length));
  const lines = matches.map((match) => `  ${match.id.padEnd(width)}  ${match.label}`);
  throw new CliError([t("ids.ambiguous", { kind, given }), ...lines, t("ids.moreCharacters")].join("\n"), EXIT.usage);
}

/** Matches a prefix against a list already fetched (one's own sessions or keys). */
export const amongOwn =
  <T extends { id: string }>(rows: () => Promise<T[]>, label: (row: T) => string) =>
  async (prefix: string): Promise<Candidate[]> =>
    (await rows()).filter((row) => row.id.startsWith(prefix)).map((row) => ({ id: row.id, label: label(row) }));

export const climbId = (api: Api, given: string) =>
  resolveId("climb", given, async (prefix) =>
    (await api.climbs.byIdPrefix.query({ prefix })).map((climb) => ({
      id: climb.id,
      label: `${climb.name} (${climb.grade})`,
    })),
  );

export const userId = (api: Api, given: string) =>
  resolveId("user", given, async (prefix) =>
    (await api.admin.usersByIdPrefix.query({ prefix })).map((user) => ({
      id: user.id,
      label: `${user.email} (${user.username})`,
    })),
  );
