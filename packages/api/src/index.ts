// The public surface of @mastoc/api: the router and its types, the context, and the few services
// the web app needs (NextAuth's authorize, startup).
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type Context, type CreateContextOptions, type HeaderReader } from "./context";
export { getConfig, loadConfig, localSecret, ConfigError, type Config } from "./config";
export { completeSecondFactor, signIn, type SignInResult } from "./services/sign-in";
export { INVALID_MFA, MFA_REQUIRED } from "./services/two-factor";
export { PASSKEY_REFUSED, signInWithPasskey } from "./services/passkeys";
export { revokeSession, type RequestMeta } from "./services/sessions";
export { receiveAvatar, sendAvatar } from "./http/avatar";
export { bootstrapAdmin } from "./services/bootstrap";
export {
  closePasswordWorkers,
  passwordQueueDepth,
  passwordWorkersUp,
  warmUpPasswordWorkers,
} from "./services/passwords";
export {
  databaseOutage,
  DATABASE_RETRY_AFTER_SECONDS,
  INVALID_CREDENTIALS,
  mapDatabaseError,
  retryAfterOf,
  said,
  textOf,
  type Text,
} from "./errors";
export {
  apiObserver,
  setApiObserver,
  type ApiObserver,
  type DatabaseErrorKind,
  type ObservedAudit,
  type RequestTrace,
} from "./observability";
export { MAX_BATCH_SIZE } from "./limits";
export { createRestHandler, requestLocale } from "./rest/handler";
export { fail, HttpProblem, INTERNAL_PROBLEM, problemOf, sendProblem, type Problem } from "./http/problem";
export { openAuditExport } from "./routers/audit";
export { sendAuditExport } from "./services/audit-query";
export { openApiDocument } from "./rest/openapi";
export { REST_PREFIX } from "./rest/routes";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export * as oidcStore from "./services/oidc-store";
export { cookieKeys, keySetVersion, rotateSigningKeys, signingKeys, SIGNING_ALG } from "./services/oidc-keys";
export {
  CLI_CLIENT_ID,
  clientView,
  ensureCliClient,
  findClient,
  hasConsent,
  OIDC_SCOPES,
  openOidcSession,
  recordConsent,
} from "./services/oauth-clients";
export { createSession, resolveSession, sessionSignedInAt } from "./services/sessions";
export { countEvent } from "./services/rate-limit";
export { recordAudit } from "./services/audit";
