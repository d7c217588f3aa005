// The load client's worker processes, and calls into them (lib/loadworker.mjs).
//
// Workers are processes rather than threads: a process may hold only `ulimit -n` sockets
// (20,000 on some machines, and a user cannot raise it), and the idle scenario holds 50,000.
import path from "node:path";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const workerPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "loadworker.mjs");

export class LoadWorker {
  constructor(name) {
    this.name = name;
    this.seq = 0;
    this.waiting = new Map();
    this.child = fork(workerPath, [], {
      serialization: "advanced",
      execArgv: ["--max-old-space-size=8192"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.pid = this.child.pid;
    this.child.on("message", (m) => {
      const w = this.waiting.get(m.re);
      this.waiting.delete(m.re);
      if (w) m.ok ? w.resolve(m.result) : w.reject(new Error(`${this.name}: ${m.error}`));
    });
    this.child.on("exit", (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${this.name} exited (${signal ?? code})`));
      this.waiting.clear();
      this.exited = true;
    });
  }

  call(cmd, payload = {}) {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ ...payload, cmd, seq });
    });
  }

  stop() {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once("exit", resolve);
      this.child.kill("SIGKILL");
    });
  }
}

/** Starts n workers for one system; each knows the system and the body size. */
export async function startWorkers(n, system, { bodyBytes, socketIoClient }, prefix = "load") {
  const workers = Array.from({ length: n }, (_, i) => new LoadWorker(`${prefix}-${i + 1}`));
  await Promise.all(workers.map((w) => w.call("init", { system, bodyBytes, socketIoClient })));
  return workers;
}

export async function stopWorkers(workers) {
  await Promise.all(workers.map((w) => w.stop()));
}
