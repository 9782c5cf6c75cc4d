import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { zxcvbn, zxcvbnOptions } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import { fieldError } from "../errors";
import { apiObserver } from "../observability";

// One pool per process, kept on globalThis: the server bundle and Next's chunks each carry a copy of
// this module, and both must hash on the same threads.
const shared = globalThis as unknown as {
  mastocPasswordWorkers?: Piscina;
  mastocDummyHash?: { cost: number; hash: Promise<string> };
};

function workers(): Piscina {
  shared.mastocPasswordWorkers ??= new Piscina({
    filename: fileURLToPath(new URL("./password-worker.mjs", import.meta.url)),
    maxThreads: availableParallelism(),
    minThreads: 1,
    idleTimeout: 60_000,
  });
  return shared.mastocPasswordWorkers;
}

/** Runs a task of password-worker.mjs and reports how long it waited for a thread. */
async function runTask<T>(name: "hash" | "verify", task: object): Promise<T> {
  const queuedAt = performance.timeOrigin + performance.now();
  const { value, startedAt } = (await workers().run(task, { name })) as { value: T; startedAt: number };
  apiObserver()?.passwordTask?.(Math.max(0, startedAt - queuedAt) / 1000);
  return value;
}

/** A bcrypt hash at `cost` (the configuration's BCRYPT_COST). */
export async function hashPassword(password: string, cost: number): Promise<string> {
  return runTask<string>("hash", { password, cost });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return runTask<boolean>("verify", { password, hash });
}

/** Password tasks waiting for a thread of the pool (0 before the pool starts). */
export function passwordQueueDepth(): number {
  return shared.mastocPasswordWorkers?.queueSize ?? 0;
}

/** Whether the pool has at least one live thread. */
export function passwordWorkersUp(): boolean {
  return (shared.mastocPasswordWorkers?.threads.length ?? 0) > 0;
}

/**
 * Compares against a hash of a random password at the configured cost, so that signing in with an
 * unknown email costs the same time as a wrong password (no account enumeration by timing).
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<false> {
  await verifyPassword(password, await dummyPasswordHash(cost));
  return false;
}

function dummyPasswordHash(cost: number): Promise<string> {
  if (shared.mastocDummyHash?.cost !== cost) {
    shared.mastocDummyHash = { cost, hash: hashPassword(randomBytes(18).toString("base64url"), cost) };
  }
  return shared.mastocDummyHash.hash;
}

/** Starts the worker pool and prepares the dummy hash, so the first sign-in is as fast as the next. */
export async function warmUpPasswordWorkers(cost: number): Promise<void> {
  await dummyPasswordHash(cost);
}

export async function closePasswordWorkers(): Promise<void> {
  const current = shared.mastocPasswordWorkers;
  shared.mastocPasswordWorkers = undefined;
  shared.mastocDummyHash = undefined;
  await current?.destroy();
}

let zxcvbnReady = false;
function estimator() {
  if (!zxcvbnReady) {
    zxcvbnOptions.setOptions({
      translations: zxcvbnEn.translations,
      graphs: zxcvbnCommon.adjacencyGraphs,
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    });
    zxcvbnReady = true;
  }
  return zxcvbn;
}

/** Score (0–4) a password must reach: 3 resists an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

export type PasswordStrength = {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  warning: string | null;
  suggestions: string[];
};

function personalInputs(personal: { email?: string | null; username?: string | null }): string[] {
  const inputs: string[] = [];
  const email = personal.email?.trim().toLowerCase();
  if (email) inputs.push(email, email.split("@")[0] ?? "");
  const username = personal.username?.trim().toLowerCase();
  if (username) inputs.push(username);
  return inputs.filter((value) => value.length >= 3);
}

/** Offline strength estimate with zxcvbn-ts and its common-password dictionaries. */
export function passwordStrength(
  password: string,
  personal: { email?: string | null; username?: string | null } = {},
): PasswordStrength {
  const inputs = personalInputs(personal);
  const lower = password.toLowerCase();
  if (inputs.some((input) => lower.includes(input))) {
    return {
      score: 0,
      acceptable: false,
      warning: "The password contains your email or username.",
      suggestions: ["Choose a password that has nothing to do with your account name."],
    };
  }
  const result = estimator()(password, inputs);
  return {
    score: result.score,
    acceptable: result.score >= MIN_PASSWORD_SCORE,
    warning: result.feedback.warning || null,
    suggestions: result.feedback.suggestions,
  };
}

/**
 * The policy beyond length (which the shared zod schema checks): not the email or username, and
 * strong enough. Throws a BAD_REQUEST naming `field` with a hint.
 */
export function assertPasswordPolicy(
  password: string,
  personal: { email?: string | null; username?: string | null },
  field = "password",
): void {
  const strength = passwordStrength(password, personal);
  if (strength.acceptable) return;
  const hint = [strength.warning, strength.suggestions[0]].filter(Boolean).join(" ");
  throw fieldError(field, `Password is too weak.${hint ? ` ${hint}` : " Add more words or characters."}`);
}
