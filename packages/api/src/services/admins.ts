import { TRPCError } from "@trpc/server";
import { providerOf, type Db, type Prisma } from "@mastoc/db";

const LAST_ADMIN = "At least one active administrator must remain: promote another administrator first";

/**
 * Applies a change to a user in a transaction and refuses it if it would remove the last active
 * ADMIN. The active administrators' rows are locked first (PostgreSQL; SQLite runs one write
 * transaction at a time), so two administrators demoting each other at once are applied one after
 * the other and the second sees the first: both cannot succeed. Row locks are used rather than
 * SERIALIZABLE isolation because a serialization failure at COMMIT leaves the pooled connection
 * checked out with @prisma/adapter-pg 6.19.
 */
export async function changeKeepingAnAdmin<T>(
  db: Db,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      if (providerOf(db) === "postgresql") {
        await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'ADMIN' AND "isActive" = true ORDER BY id FOR UPDATE`;
      }
      const activeAdmins = () => tx.user.count({ where: { role: "ADMIN", isActive: true } });
      const before = await activeAdmins();
      const result = await change(tx);
      if (before > 0 && (await activeAdmins()) === 0) {
        throw new TRPCError({ code: "CONFLICT", message: LAST_ADMIN });
      }
      return result;
    },
    // Concurrent changes queue on the row locks, each holding a pooled connection meanwhile: give
    // them time to get a connection and to finish, rather than failing a busy moment.
    { maxWait: 10_000, timeout: 20_000 },
  );
}
