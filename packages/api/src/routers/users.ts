import { selfUserSelect, toSelfView } from "../selects";
import { protectedProcedure, router } from "../trpc";

export const usersRouter = router({
  me: protectedProcedure.query(async ({ ctx }) => {
    const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: selfUserSelect });
    return toSelfView(user);
  }),
});
