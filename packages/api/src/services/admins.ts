import { apiError, said } from "../errors";
import { providerOf, type Db, type Prisma } from "@mastoc/db";

const LAST_ADMIN = said("permission.lastAdmin");

/**
 * Applies a change to a user in a transaction and refuses it if it would remove the last active
 * ADMIN. Such changes are serialised (PostgreSQL: a transaction-level advisory lock; SQLite runs
 * one write transaction at a time), so two administrators demoting each other at once are applied
 * one after the other and the second sees the first: both cannot succeed. Row locks on the
 * administrators' rows deadlocked under load (concurrent updates of a row outside the locked set),
 * and a SERIALIZABLE failure at COMMIT leaves the pooled connection checked out with
 * @prisma/adapter-pg 6.19.
 */
export async function changeKeepingAnAdmin<T>(
  db: Db,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      if (providerOf(db) === "postgresql") {
        // One lock for every change that could remove an administrator (released at commit or
        // rollback): such changes run one at a time, and a single lock cannot deadlock.
        await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(727275)`;
      }
      const activeAdmins = () => tx.user.count({ where: { role: "ADMIN", isActive: true } });
      const before = await activeAdmins();
      const result = await change(tx);
      if (before > 0 && (await activeAdmins()) === 0) {
        throw apiError("CONFLICT", LAST_ADMIN);
      }
      return result;
    },
    // Concurrent changes queue on the row locks, each holding a pooled connection meanwhile: give
    // them time to get a connection and to finish, rather than failing a busy moment.
    { maxWait: 10_000, timeout: 20_000 },
  );
}
