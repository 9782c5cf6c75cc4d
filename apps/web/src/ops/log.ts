// The portal's log: pino, one JSON object per line on stdout (what log shippers read), or coloured
// readable lines when stdout is a terminal. LOG_LEVEL chooses how much (default info). Whatever
// else in the process writes through `console` (Next.js, the mailer, startup) goes through the
// same logger, so every line on stdout is in the same format.
import { format } from "node:util";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LEVELS)[number];

/** `LOG_LEVEL`, in any case; unset means info. Anything else is refused at start, naming the variable. */
export function logLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = env.LOG_LEVEL?.trim().toLowerCase();
  if (!value) return "info";
  if ((LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(", ")} (got "${env.LOG_LEVEL}").`);
}

/** The longest a log line waits in the buffer. */
const FLUSH_MS = 200;

const shared = globalThis as unknown as { mastocLogger?: Logger; mastocLogDestination?: pino.DestinationStream };

/** The process's logger (made on first use). */
export function logger(): Logger {
  if (!shared.mastocLogger) {
    const level = logLevel();
    // Written asynchronously and gathered into writes of up to 4 KB: a request never waits for
    // stdout, and a busy server makes one system call per few dozen lines instead of one per line.
    // What is gathered is written within FLUSH_MS however quiet the server is, and `flushLogs()`
    // empties it before the process exits.
    const destination = process.stdout.isTTY
      ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", sync: true })
      : pino.destination({ dest: 1, sync: false, minLength: 4096 });
    if (!process.stdout.isTTY) {
      const boom = destination as unknown as { flush: () => void };
      setInterval(() => {
        try {
          boom.flush();
        } catch {
          // Closing or closed (the process is exiting): flushLogs() has the last word.
        }
      }, FLUSH_MS).unref();
    }
    shared.mastocLogDestination = destination;
    shared.mastocLogger = pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    );
  }
  return shared.mastocLogger;
}

/** Writes out what the logger still holds (before the process exits). */
export function flushLogs(): void {
  const destination = shared.mastocLogDestination as { flushSync?: () => void } | undefined;
  try {
    destination?.flushSync?.();
  } catch {
    // Nothing was pending, or stdout is gone: there is nowhere left to write.
  }
}

/**
 * Sends `console.*` through the logger: Next.js, the mailer and library warnings then log in the
 * same format and at a level LOG_LEVEL governs. Errors keep their stack under `err`.
 */
export function captureConsole(log: Logger = logger()): void {
  const route = (level: "debug" | "info" | "warn" | "error") => {
    return (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const message = format(...args.map((arg) => (error && arg === error ? error.message : arg)));
      if (error) log[level]({ err: error }, message);
      else log[level](message);
    };
  };
  console.debug = route("debug");
  console.log = route("info");
  console.info = route("info");
  console.warn = route("warn");
  console.error = route("error");
}
