// The administrators' user list: filters, a search by any substring of email, username or name
// (case and accents ignored), sorting and pages, at a cost that does not grow with the accounts.
//
// The search is served by an index on both databases (see the `scale` migrations): on PostgreSQL
// trigram GIN indexes over `mastoc_fold(column)` (accents removed, lower case: foldForSearch); on
// SQLite the FTS5 table "UserSearch" (trigram tokenizer, case and diacritics folded) over User's
// rows, kept by triggers. A query shorter than three characters has no trigram; on SQLite it, and a
// query matching very many accounts, is matched row by row with the same fold (the connection's
// `mastoc_fold` function) in the list's order, which finds a page after a few rows.
//
// The total is exact up to EXACT_TOTAL_LIMIT matches; beyond, it is an estimate (`totalEstimated`),
// so that a broad filter never costs a count of the whole table. An unfiltered list's total is the
// exact count kept in UserTotals. On PostgreSQL a search the planner expects to match far more than
// the limit is not counted at all (its estimate is good: 95,981 for 99,985 names at a million).
import { foldForSearch, Prisma, providerOf, type Db } from "@mastoc/db";
import type { z } from "zod";
import type { listUsersInput } from "../schemas";

type ListUsersInput = z.infer<typeof listUsersInput>;

/** Up to this many matches the total is counted exactly. */
export const EXACT_TOTAL_LIMIT = 10_000;
/**
 * On PostgreSQL, a search the planner expects to match more than this many accounts is not
 * counted at all: its estimate is the total. Twice the exact limit, so that an estimate somewhat
 * too high still leaves a small total exact. Counting even up to the limit rechecks every match
 * read from the trigram index against the folded columns: about 100 ms for 10,000 matches.
 */
const TRUSTED_ESTIMATE = 2 * EXACT_TOTAL_LIMIT;
/** How many of the newest accounts an estimate on SQLite is drawn from. */
const SAMPLE_SIZE = 5_000;

const likeEscaped = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An FTS5 phrase: the query as one string of characters (trigrams), quotes doubled. */
const phrase = (query: string) => `"${query.replace(/"/g, '""')}"`;

/**
 * How SQLite serves a search: through the index ("indexed": its matches are read once and looked
 * up), or by testing rows in the list's order with the same fold ("scan": for a query matching
 * many accounts, where the page is found after a few rows, and for queries too short for trigrams).
 */
type SqliteMode = "indexed" | "scan";

/** The search condition on `u` (an alias of "User"). */
function searchCondition(db: Db, query: string, mode: SqliteMode): Prisma.Sql {
  if (providerOf(db) === "postgresql") {
    const folded = Prisma.sql`"mastoc_fold"(${`%${likeEscaped(query)}%`})`;
    return Prisma.sql`("mastoc_fold"(u."email") LIKE ${folded} OR "mastoc_fold"(u."username") LIKE ${folded}
      OR "mastoc_fold"(u."name") LIKE ${folded})`;
  }
  if (mode === "indexed") {
    return Prisma.sql`u."rowid" IN (SELECT "rowid" FROM "UserSearch" WHERE "UserSearch" MATCH ${phrase(query)})`;
  }
  const pattern = `%${likeEscaped(foldForSearch(query))}%`;
  return Prisma.sql`("mastoc_fold"(u."email") LIKE ${pattern} ESCAPE '\\'
    OR "mastoc_fold"(u."username") LIKE ${pattern} ESCAPE '\\' OR "mastoc_fold"(u."name") LIKE ${pattern} ESCAPE '\\')`;
}

function filterConditions(db: Db, input: ListUsersInput, now: Date): Prisma.Sql[] {
  const postgres = providerOf(db) === "postgresql";
  const bool = (value: boolean) => Prisma.raw(postgres ? String(value) : value ? "1" : "0");
  const conditions: Prisma.Sql[] = [];
  if (input.role) {
    conditions.push(
      postgres ? Prisma.sql`u."role" = CAST(${input.role} AS "Role")` : Prisma.sql`u."role" = ${input.role}`,
    );
  }
  if (input.active !== undefined) conditions.push(Prisma.sql`u."isActive" = ${bool(input.active)}`);
  if (input.locked !== undefined) {
    conditions.push(
      input.locked
        ? Prisma.sql`u."lockedUntil" > ${now}`
        : Prisma.sql`(u."lockedUntil" IS NULL OR u."lockedUntil" <= ${now})`,
    );
  }
  if (input.verified !== undefined) {
    conditions.push(input.verified ? Prisma.sql`u."emailVerified" IS NOT NULL` : Prisma.sql`u."emailVerified" IS NULL`);
  }
  if (input.secondFactor !== undefined) {
    const passkey = Prisma.sql`EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u."id")`;
    conditions.push(
      input.secondFactor
        ? Prisma.sql`(u."twoFactorEnabledAt" IS NOT NULL OR ${passkey})`
        : Prisma.sql`(u."twoFactorEnabledAt" IS NULL AND NOT ${passkey})`,
    );
  }
  return conditions;
}

const whereOf = (conditions: Prisma.Sql[]) =>
  conditions.length > 0 ? Prisma.join(conditions, " AND ") : Prisma.sql`1 = 1`;

const count = (value: number | bigint | null | undefined) => Number(value ?? 0);

/** Two significant digits: an estimate does not pretend to more. */
function rounded(value: number): number {
  if (value < 100) return Math.round(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

async function matchesUpTo(db: Db, where: Prisma.Sql, limit: number): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "User" u WHERE ${where} LIMIT ${limit}) AS "matches"`;
  return count(row?.n);
}

/**
 * On SQLite, whether the search alone matches more than EXACT_TOTAL_LIMIT accounts (read from the
 * index, stopping there), or is too short for the index. (PostgreSQL's planner decides for itself.)
 */
async function isDense(db: Db, query: string): Promise<boolean> {
  if ([...query].length < 3) return true;
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS "n" FROM (SELECT "rowid" FROM "UserSearch" WHERE "UserSearch" MATCH ${phrase(query)}
      LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS "matches"`;
  return count(row?.n) > EXACT_TOTAL_LIMIT;
}

async function estimate(db: Db, where: Prisma.Sql): Promise<number> {
  if (providerOf(db) === "postgresql") {
    // The planner's own estimate of the rows the filter keeps (from the table's statistics).
    const [row] = await db.$queryRaw<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]>`
      EXPLAIN (FORMAT JSON) SELECT 1 FROM "User" u WHERE ${where}`;
    return row?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0;
  }
  // The share of matches among the newest accounts, times the number of accounts.
  const [row] = await db.$queryRaw<{ sampled: number | bigint; matched: number | bigint | null; users: number }[]>`
    SELECT COUNT(*) AS "sampled", SUM(CASE WHEN ${where} THEN 1 ELSE 0 END) AS "matched",
      (SELECT "users" FROM "UserTotals" WHERE "id" = 1) AS "users"
    FROM "User" u WHERE u."rowid" > (SELECT MAX("rowid") FROM "User") - ${SAMPLE_SIZE}`;
  const sampled = count(row?.sampled);
  return sampled === 0 ? 0 : (count(row?.matched) / sampled) * count(row?.users);
}

/**
 * The ids of one page of the list, in order, and the total: exact when at most EXACT_TOTAL_LIMIT
 * accounts match, else an estimate (never below the limit), rounded to two significant digits.
 */
export async function searchUsers(
  db: Db,
  input: ListUsersInput,
  now = new Date(),
): Promise<{ ids: string[]; total: number; totalEstimated: boolean }> {
  const filters = filterConditions(db, input, now);
  const query = input.query?.trim();
  let where = whereOf(filters);
  let total: number | null = null;
  let totalEstimated = false;
  if (query && providerOf(db) === "postgresql") {
    where = whereOf([...filters, searchCondition(db, query, "indexed")]);
    const expected = await estimate(db, where);
    if (expected > TRUSTED_ESTIMATE) {
      total = rounded(expected);
      totalEstimated = true;
    }
  } else if (query) {
    const dense = await isDense(db, query);
    where = whereOf([...filters, searchCondition(db, query, dense ? "scan" : "indexed")]);
    if (dense && filters.length === 0 && [...query].length >= 3) {
      // More matches than the exact limit: only an estimate is worth its cost.
      total = Math.max(EXACT_TOTAL_LIMIT + 1, rounded(await estimate(db, where)));
      totalEstimated = true;
    } else if (dense && [...query].length >= 3) {
      // With other filters, the index's matches (many) are read once and filtered.
      const indexed = whereOf([...filters, searchCondition(db, query, "indexed")]);
      total = await matchesUpTo(db, indexed, EXACT_TOTAL_LIMIT + 1);
      if (total > EXACT_TOTAL_LIMIT) {
        total = Math.max(EXACT_TOTAL_LIMIT + 1, rounded(await estimate(db, where)));
        totalEstimated = true;
      }
    }
  } else if (filters.length === 0) {
    const [row] = await db.$queryRaw<{ users: number | bigint }[]>`SELECT "users" FROM "UserTotals" WHERE "id" = 1`;
    total = count(row?.users);
  }
  if (total === null) {
    total = await matchesUpTo(db, where, EXACT_TOTAL_LIMIT + 1);
    if (total > EXACT_TOTAL_LIMIT) {
      total = Math.max(EXACT_TOTAL_LIMIT + 1, rounded(await estimate(db, where)));
      totalEstimated = true;
    }
  }
  const sort = Prisma.raw(`u."${input.sort}" ${input.order === "asc" ? "ASC" : "DESC"}`);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u."id" FROM "User" u WHERE ${where}
    ORDER BY ${sort}, u."id" ASC
    LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`;
  return { ids: rows.map((row) => row.id), total, totalEstimated };
}
