import { adminRouter } from "./routers/admin";
import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { climbsRouter } from "./routers/climbs";
import { oauthRouter } from "./routers/oauth";
import { passkeysRouter } from "./routers/passkeys";
import { usersRouter } from "./routers/users";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  admin: adminRouter,
  climbs: climbsRouter,
  apiKeys: apiKeysRouter,
  passkeys: passkeysRouter,
  audit: auditRouter,
  oauth: oauthRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a context from `createContext`. */
export const createCaller = createCallerFactory(appRouter);
