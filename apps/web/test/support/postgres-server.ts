// A PostgreSQL server of the test's own (initdb + pg_ctl on a free port, its socket in a folder
// under /tmp), for tests that stop, restart or freeze the database under a running portal. The
// shared server other tests use is never touched. The binaries run as the `postgres` user, which
// initdb requires when the tests run as root.
import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./portal";

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

export type PostgresServer = {
  port: number;
  /** A connection URL for `database` (the server's `postgres` database by default). */
  url: (database?: string) => string;
  start: () => Promise<void>;
  /** Fast shutdown: open connections are terminated, new ones refused. */
  stop: () => Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the postmaster: connections hang instead of failing. */
  freeze: (frozen: boolean) => void;
  /** Runs SQL through psql as the superuser. */
  sql: (statement: string, database?: string) => Promise<string>;
  destroy: () => Promise<void>;
};

async function asPostgres(command: string, args: string[]): Promise<string> {
  const [file, argv] = userInfo().uid === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const { stdout } = await run(file, argv, { env: { ...process.env, LC_ALL: "C" } });
  return stdout;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), "mastoc-pg-"));
  const data = join(root, "data");
  if (userInfo().uid === 0) chownSync(root, Number(await asId("-u")), Number(await asId("-g")));
  const port = await freePort();
  await asPostgres(join(POSTGRES_BIN, "initdb"), [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const pgCtl = (...args: string[]) => asPostgres(join(POSTGRES_BIN, "pg_ctl"), ["-D", data, ...args]);
  const server: PostgresServer = {
    port,
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start: async () => {
      await pgCtl("-o", options, "-l", join(root, "log"), "-w", "-t", "60", "start");
    },
    stop: async () => {
      await pgCtl("-m", "fast", "-w", "-t", "60", "stop");
    },
    freeze: (frozen) => {
      const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n", 1)[0]);
      process.kill(pid, frozen ? "SIGSTOP" : "SIGCONT");
    },
    sql: (statement, database = "postgres") =>
      asPostgres("psql", [
        "-h",
        root,
        "-p",
        String(port),
        "-U",
        "postgres",
        "-d",
        database,
        "-v",
        "ON_ERROR_STOP=1",
        "-Atc",
        statement,
      ]),
    destroy: async () => {
      await pgCtl("-m", "immediate", "-w", "stop").catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function asId(flag: "-u" | "-g"): Promise<string> {
  const { stdout } = await run("id", [flag, "postgres"]);
  return stdout.trim();
}
