import { authRouter } from "./routers/auth";
import { usersRouter } from "./routers/users";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a context from `createContext`. */
export const createCaller = createCallerFactory(appRouter);
