// The two systems under test, started and stopped on this machine, and the processes whose CPU
// and memory count for each.
//
// ChatPlatform: the repository's ./run.sh (Redis, RabbitMQ, presence, two routers, two gateways),
// on the benchmark's own ports. Scenarios that need one more gateway (idle, storm) start it
// here, as a copy of gateway-1's process (same command, folder and environment, another port
// and id), because run.sh stops the whole stack when one of its processes dies.
//
// Socket.IO: socketio-server.mjs, one process per port, and a Redis of its own.
import fs from "node:fs";
import net from "node:net";
import http from "node:http";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cmdline, comm, cwd, descendants, environ, findByCommAndEnv } from "./proc.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.resolve(here, "..");
export const repoRoot = path.resolve(benchDir, "../..");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function httpOk(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Sends one command to Redis and resolves with its raw RESP answer (enough for INFO and EVAL's integer). */
export function redisCommand(port, args) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error("Redis did not answer")));
    socket.on("connect", () => socket.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")));
    socket.on("data", (d) => {
      answer += d;
      const complete = answer.startsWith("$") ? answer.length >= answer.indexOf("\r\n") + 2 + Number(answer.slice(1, answer.indexOf("\r\n"))) : answer.includes("\r\n");
      if (complete) socket.end();
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** Redis's used memory in bytes, and how many messages the history streams hold. */
export async function redisHistory(port) {
  const info = await redisCommand(port, ["INFO", "memory"]);
  const usedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
  const count = await redisCommand(port, ["EVAL", "local n, cursor = 0, '0' repeat local r = redis.call('SCAN', cursor, 'MATCH', 'chat:history:log:*', 'COUNT', 1000) cursor = r[1] for _, k in ipairs(r[2]) do n = n + redis.call('XLEN', k) end until cursor == '0' return n", "0"]);
  return { usedMemory, storedMessages: Number(/^:(\d+)/.exec(count)?.[1] ?? NaN) };
}

function redisPing(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      answer += d;
      if (answer.includes("\r\n")) socket.end();
    });
    socket.on("close", () => resolve(answer.startsWith("+PONG")));
    socket.on("error", () => resolve(false));
  });
}

async function waitFor(what, test, timeoutMs, failed = () => null) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = failed();
    if (why) throw new Error(`${what}: ${why}`);
    if (await test()) return;
    await sleep(250);
  }
  throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
}

function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function stopChild(child, timeoutMs = 15000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const done = await Promise.race([exited(child).then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await exited(child);
  }
}

function tail(file, lines = 15) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Adds pids to a group list, keeping those seen before (their CPU counts until the end). */
function remember(groups, name, pids) {
  let group = groups.find((g) => g.name === name);
  if (!group) {
    group = { name, pids: [] };
    groups.push(group);
  }
  for (const pid of pids) if (!group.pids.includes(pid)) group.pids.push(pid);
}

export class ChatPlatformStack {
  /**
   * name: how the tables call it; env: extra environment for every service (a variant's
   * settings); ports: {gateways: [a, b], extraGateway, routers: [a, b], presence, redis, amqp, epmd}.
   */
  constructor({ name = "chatplatform", env = {}, ports, logDir }) {
    this.name = name;
    this.kind = "chatplatform";
    this.env = env;
    this.ports = ports;
    this.logDir = logDir;
    this.groups = [];
    this.extras = new Map(); // name -> {child, port, url}
  }

  get urls() {
    return this.ports.gateways.map((p) => `ws://127.0.0.1:${p}/ws`);
  }

  describe() {
    return `./run.sh: Redis, RabbitMQ, presence, 2 routers, 2 gateways (ports ${this.ports.gateways.join(", ")})`;
  }

  async start(log) {
    const p = this.ports;
    const env = {
      ...process.env,
      GATEWAY_PORTS: p.gateways.join(" "),
      ROUTER_PORTS: p.routers.join(" "),
      PRESENCE_PORT: String(p.presence),
      REDIS_PORT: String(p.redis),
      AMQP_PORT: String(p.amqp),
      EPMD_PORT: String(p.epmd),
      // The benchmark's senders go far past the per-connection rate limit (20 a second), and the
      // idle scenario holds more connections than a gateway allows by default (10,000).
      Gateway__RateLimit__FramesPerSecond: "1000000",
      Gateway__RateLimit__Burst: "1000000",
      Gateway__RateLimit__AbuseThreshold: "1000000",
      Gateway__MaxConnections: "1000000",
      ...this.env,
    };
    this.runLog = path.join(this.logDir, `${this.name}-run.sh.log`);
    const out = fs.openSync(this.runLog, "w");
    log(`starting ./run.sh (builds first; output in ${path.relative(process.cwd(), this.runLog)})`);
    this.runSh = spawn("bash", [path.join(repoRoot, "run.sh")], { cwd: repoRoot, env, stdio: ["ignore", out, out], detached: true });
    fs.closeSync(out);
    let why = null;
    this.runSh.once("exit", (code, signal) => {
      why = `./run.sh exited (${signal ?? code}) before the stack was running:\n${tail(this.runLog)}`;
    });
    await waitFor(
      "ChatPlatform",
      async () => fs.readFileSync(this.runLog, "utf8").includes("ChatPlatform is running"),
      20 * 60 * 1000,
      () => why,
    );
    this.runShEnv = env;
    this.discover();
    log(`processes: ${this.processGroups().map((g) => `${g.name} ${g.pids.join("+")}`).join(", ")}`);
  }

  /** Names run.sh's processes (and RabbitMQ's epmd, which detaches) for the CPU and memory tables. */
  discover() {
    for (const pid of descendants(this.runSh.pid)) {
      const args = cmdline(pid);
      const joined = args.join(" ");
      const name = comm(pid);
      const env = environ(pid);
      if (joined.includes("ChatPlatform.Gateway.dll")) remember(this.groups, env.Gateway__Id ?? "gateway", [pid]);
      else if (joined.includes("ChatPlatform.Router.dll")) remember(this.groups, env.Router__Id ?? "router", [pid]);
      else if (joined.includes("ChatPlatform.Presence.dll")) remember(this.groups, "presence", [pid]);
      else if (name === "redis-server") remember(this.groups, "redis", [pid]);
      else if (["beam.smp", "erl_child_setup", "inet_gethost", "epmd"].includes(name) || joined.includes("rabbitmq")) remember(this.groups, "rabbitmq", [pid]);
    }
    remember(this.groups, "rabbitmq", findByCommAndEnv("epmd", "ERL_EPMD_PORT", String(this.ports.epmd)));
    this.gatewayPid = (id) => this.groups.find((g) => g.name === id)?.pids[0];
  }

  /** [{name, pids}] of every server process of this system, including extra gateways. */
  processGroups() {
    const order = ["gateway-1", "gateway-2", "gateway-3", "router-1", "router-2", "presence", "redis", "rabbitmq"];
    return [...this.groups].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }

  /** Starts one more gateway like run.sh's gateway-1, on the extra port. Returns {name, url, pid}. */
  async addGateway(name = "gateway-3") {
    const model = this.gatewayPid("gateway-1");
    const args = cmdline(model);
    const env = environ(model);
    const port = this.ports.extraGateway;
    const urlsAt = args.indexOf("--urls");
    args[urlsAt + 1] = `http://127.0.0.1:${port}`;
    env.Gateway__Id = name;
    const logFile = path.join(this.logDir, `${this.name}-${name}.log`);
    const out = fs.openSync(logFile, "w");
    const child = spawn(args[0], args.slice(1), { cwd: cwd(model), env, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    let why = null;
    child.once("exit", (code, signal) => {
      why = `${name} exited (${signal ?? code}):\n${tail(logFile)}`;
    });
    await waitFor(name, () => httpOk(`http://127.0.0.1:${port}/readyz`), 60_000, () => why);
    remember(this.groups, name, [child.pid]);
    const extra = { name, child, port, pid: child.pid, url: `ws://127.0.0.1:${port}/ws` };
    this.extras.set(name, extra);
    return extra;
  }

  async removeGateway(name) {
    const extra = this.extras.get(name);
    if (!extra) return;
    await stopChild(extra.child, 20000);
    this.extras.delete(name);
    this.groups = this.groups.filter((g) => g.name !== name);
  }

  killGateway(name) {
    this.extras.get(name).child.kill("SIGKILL");
  }

  async stop() {
    for (const name of [...this.extras.keys()]) await this.removeGateway(name);
    if (!this.runSh) return;
    const leftovers = descendants(this.runSh.pid);
    if (this.runSh.exitCode === null && this.runSh.signalCode === null) {
      this.runSh.kill("SIGTERM");
      const done = await Promise.race([exited(this.runSh).then(() => true), sleep(60000).then(() => false)]);
      if (!done) this.runSh.kill("SIGKILL");
    }
    for (const pid of leftovers) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone, as it should be
      }
    }
  }
}

export class SocketIoStack {
  constructor({ name = "socketio", ports, logDir }) {
    this.name = name;
    this.kind = "socketio";
    this.ports = ports; // {servers: [a, b], extraServer, redis}
    this.logDir = logDir;
    this.groups = [];
    this.children = new Map(); // name -> child
    this.extras = new Map();
  }

  get urls() {
    return this.ports.servers.map((p) => `http://127.0.0.1:${p}`);
  }

  describe() {
    return `socketio-server.mjs x2 (@socket.io/redis-adapter) and a Redis of its own (ports ${this.ports.servers.join(", ")})`;
  }

  spawnLogged(name, command, args, env = {}) {
    const logFile = path.join(this.logDir, `${this.name}-${name}.log`);
    const out = fs.openSync(logFile, "w");
    const child = spawn(command, args, { cwd: benchDir, env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    child.logFile = logFile;
    child.why = null;
    child.once("exit", (code, signal) => {
      child.why = `${name} exited (${signal ?? code}):\n${tail(logFile)}`;
    });
    this.children.set(name, child);
    remember(this.groups, name, [child.pid]);
    return child;
  }

  async startServer(name, port) {
    const child = this.spawnLogged(name, process.execPath, [path.join(benchDir, "socketio-server.mjs")], {
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${this.ports.redis}`,
    });
    await waitFor(name, async () => fs.readFileSync(child.logFile, "utf8").includes("listening"), 30_000, () => child.why);
    return child;
  }

  async start(log) {
    log(`starting Redis on ${this.ports.redis} and ${this.ports.servers.length} Socket.IO servers`);
    const redis = this.spawnLogged("redis", "redis-server", ["--port", String(this.ports.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
    await waitFor("redis", () => redisPing(this.ports.redis), 30_000, () => redis.why);
    let n = 0;
    for (const port of this.ports.servers) await this.startServer(`server-${++n}`, port);
  }

  processGroups() {
    const order = ["server-1", "server-2", "server-3", "redis"];
    return [...this.groups].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }

  async addGateway(name = "server-3") {
    const port = this.ports.extraServer;
    const child = await this.startServer(name, port);
    const extra = { name, child, port, pid: child.pid, url: `http://127.0.0.1:${port}` };
    this.extras.set(name, extra);
    return extra;
  }

  async removeGateway(name) {
    const extra = this.extras.get(name);
    if (!extra) return;
    await stopChild(extra.child);
    this.extras.delete(name);
    this.children.delete(name);
    this.groups = this.groups.filter((g) => g.name !== name);
  }

  killGateway(name) {
    this.extras.get(name).child.kill("SIGKILL");
  }

  async stop() {
    for (const name of [...this.extras.keys()]) await this.removeGateway(name);
    const names = [...this.children.keys()].filter((n) => n !== "redis");
    await Promise.all(names.map((n) => stopChild(this.children.get(n))));
    await stopChild(this.children.get("redis"));
  }
}
