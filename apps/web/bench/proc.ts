// Running processes, read from Linux's /proc: the resident set (VmRSS) of a process and of every
// process it started, however deep; and binding a process to CPUs.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** VmRSS of a process in bytes, or null once it has exited. */
export function rssBytes(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ")".
    const parent = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    return parent ? Number(parent) : null;
  } catch {
    return null;
  }
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** `root` and all of its descendants that are running now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (rssBytes(pid) === null) continue;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export type RssPeak = {
  /** Highest total VmRSS seen, in bytes (for a tree: the sum over its processes at one instant). */
  peak: number;
  /** The processes at that instant (one for a single process). */
  processes: { pid: number; command: string; rss: number }[];
  samples: number;
};

/**
 * Samples the VmRSS of a process (or, with `tree`, of it and all its descendants) every
 * `intervalMs` until `stop()` is called, and keeps the peak.
 */
export function sampleRss(pid: number, options: { tree?: boolean; intervalMs?: number } = {}) {
  const result: RssPeak = { peak: 0, processes: [], samples: 0 };
  const sample = () => {
    const pids = options.tree ? processTree(pid) : [pid];
    const sizes = pids.map((id) => ({ pid: id, rss: rssBytes(id) ?? 0 }));
    const total = sizes.reduce((sum, entry) => sum + entry.rss, 0);
    result.samples += 1;
    if (total > result.peak) {
      result.peak = total;
      result.processes = sizes.map((entry) => ({ ...entry, command: commandOf(entry.pid) }));
    }
  };
  sample();
  const timer = setInterval(sample, options.intervalMs ?? 100);
  return {
    stop(): RssPeak {
      clearInterval(timer);
      sample();
      return result;
    },
  };
}

/**
 * Binds every thread of a process to the CPUs of `cpus` ("0", "1", "0-1") with taskset. False when
 * it could not (no taskset, or a machine that refuses): the caller measures unpinned then.
 */
export function pinToCpus(pid: number, cpus: string): boolean {
  try {
    execFileSync("taskset", ["--all-tasks", "--pid", "--cpu-list", cpus, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
