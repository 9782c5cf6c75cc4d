import { TRPCError } from "@trpc/server";
import type { Db, Prisma } from "@mastoc/db";

const LAST_ADMIN = "At least one active administrator must remain: promote another administrator first";

/**
 * Applies a change to a user inside a serializable transaction and refuses it if it would remove
 * the last active ADMIN, so two administrators demoting each other at once cannot both succeed.
 */
export async function changeKeepingAnAdmin<T>(
  db: Db,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  try {
    return await db.$transaction(
      async (tx) => {
        const activeAdmins = () => tx.user.count({ where: { role: "ADMIN", isActive: true } });
        const before = await activeAdmins();
        const result = await change(tx);
        if (before > 0 && (await activeAdmins()) === 0) {
          throw new TRPCError({ code: "CONFLICT", message: LAST_ADMIN });
        }
        return result;
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    if ((error as { code?: string }).code === "P2034") {
      throw new TRPCError({
        code: "CONFLICT",
        message: "Another change to administrators happened at the same time; try again",
      });
    }
    throw error;
  }
}
