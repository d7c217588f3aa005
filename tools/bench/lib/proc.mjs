// Reading processes from /proc: CPU time (utime + stime), resident memory (VmRSS), the process
// tree. Linux only, like the rest of the benchmark.
import fs from "node:fs";
import { execFileSync } from "node:child_process";

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
} catch {
  // getconf missing: Linux has used 100 for decades.
}

function statFields(pid) {
  const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces; fields 3.. follow it.
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds the process has used (user + system, all its threads), or null once it is gone. */
export function cpuSeconds(pid) {
  try {
    const f = statFields(pid);
    return (Number(f[11]) + Number(f[12])) / ticksPerSecond; // utime, stime: fields 14 and 15
  } catch {
    return null;
  }
}

/** Resident set size in bytes (VmRSS), or null once the process is gone. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return null;
  }
}

export function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

export function environ(pid) {
  const env = {};
  try {
    for (const entry of fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
      const eq = entry.indexOf("=");
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } catch {
    // gone, or not ours to read
  }
  return env;
}

export function cwd(pid) {
  return fs.readlinkSync(`/proc/${pid}/cwd`);
}

export function comm(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

function allPids() {
  return fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Every live process below root (not root itself). */
export function descendants(root) {
  const children = new Map();
  for (const pid of allPids()) {
    try {
      const ppid = Number(statFields(pid)[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(pid);
    } catch {
      // exited meanwhile
    }
  }
  const found = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Processes whose command name is name and whose environment has key=value. */
export function findByCommAndEnv(name, key, value) {
  return allPids().filter((pid) => comm(pid) === name && environ(pid)[key] === value);
}

/**
 * A sample of named process groups: for each group, the CPU seconds and RSS summed over its
 * processes. A process that is gone keeps the CPU time it had when last seen, so a group's CPU
 * never goes backwards within one tracker.
 */
export class ProcessTracker {
  constructor() {
    this.lastCpu = new Map(); // pid -> seconds
  }

  /** groups: [{name, pids: [..]}] -> Map name -> {cpu, rss, alive} */
  sample(groups) {
    const out = new Map();
    for (const group of groups) {
      let cpu = 0;
      let rss = 0;
      let alive = 0;
      for (const pid of group.pids) {
        const c = cpuSeconds(pid);
        const r = rssBytes(pid);
        if (c !== null) this.lastCpu.set(pid, c);
        cpu += this.lastCpu.get(pid) ?? 0;
        if (r !== null) {
          rss += r;
          alive++;
        }
      }
      out.set(group.name, { cpu, rss, alive });
    }
    return out;
  }
}

/** The difference of two samples: Map name -> {cpu: seconds used between them, rss: at the end}. */
export function delta(before, after) {
  const out = new Map();
  for (const [name, end] of after) {
    const start = before.get(name);
    out.set(name, { cpu: Math.max(0, end.cpu - (start?.cpu ?? 0)), rss: end.rss, alive: end.alive });
  }
  return out;
}
