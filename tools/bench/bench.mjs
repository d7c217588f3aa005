// ChatPlatform and Socket.IO side by side: see docs/benchmarks.md. Run through ./run.sh, which
// installs the pinned packages and raises the open-files limit first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { ChatPlatformStack, SocketIoStack, benchDir } from "./lib/stacks.mjs";
import { Context, scenarios } from "./lib/scenarios.mjs";
import { tables } from "./lib/report.mjs";

const ALL_SCENARIOS = ["memory", "direct", "room", "idle", "storm"];

const HELP = `Usage: tools/bench/run.sh [options]

Starts ChatPlatform (./run.sh) and a Socket.IO + Redis adapter peer, one after the other, runs
the scenarios against each with one load client, and prints one table per scenario.

  --quick                    a smoke run: small counts, a few seconds per stage (about 5 minutes)
  --systems LIST             chatplatform,socketio (default: both)
  --scenarios LIST           ${ALL_SCENARIOS.join(",")} (default: all, in this order)
  --rates LIST               direct: total offered msg/s (default 2000,5000,10000,40000)
  --users N                  direct and idle: chatting users, half on each gateway (default 200)
  --room-members N           room: members over the two gateways (default 1000)
  --room-senders N           room: members that send (default 4)
  --room-rates LIST          room: messages/s sent to the room (default 10,25,50,100)
  --memory-connections N     memory: idle connections on gateway 1 (default 10000)
  --memory-hold S            memory: seconds they are held before measuring (default 20)
  --idle N                   idle: idle connections on a third gateway (default 50000)
  --idle-rate R              idle: msg/s the users send meanwhile (default 2000)
  --storm N                  storm: clients on the gateway that is killed (default 10000)
  --storm-jitter MS          storm: each client waits 0..MS before reconnecting (default 1000)
  --storm-deadline S         storm: give up S seconds after the kill (default 20)
  --warmup S, --window S     per stage: seconds before measuring, seconds measured (3, 10)
  --drain S                  per stage: at most S seconds for deliveries after sending (5)
  --settle S                 before each scenario and stage, wait up to S seconds for the
                             servers' CPU to fall back to its at-rest level (60)
  --connect-deadline S       give up connecting a scenario's clients after S seconds (180)
  --body-bytes N             message body size in bytes, as JSON (default 100)
  --workers N                load client processes for traffic (default 2)
  --per-process N            connections one load client process holds at most (default 10000)
  --max-outstanding N        unanswered sends per sender before sends are skipped (default 1000)
  --socketio-client C        library: socket.io-client (default); raw: the same Socket.IO frames
                             written over ws directly, which costs the load client less
  --env KEY=VALUE            environment for ChatPlatform's services (repeatable)
  --variant NAME:K=V[,K=V]   also run ChatPlatform with these settings, as system chatplatform/NAME
                             (repeatable), e.g. --variant history-off:History__Enabled=false
  --out DIR                  logs and results.{txt,json} (default tools/bench/out)
  -h, --help
`;

function parseArgs(argv) {
  const o = {
    systems: ["chatplatform", "socketio"],
    scenarios: [...ALL_SCENARIOS],
    rates: [2000, 5000, 10000, 40000],
    users: 200,
    roomMembers: 1000,
    roomSenders: 4,
    roomRates: [10, 25, 50, 100],
    memoryConnections: 10000,
    memoryHold: 20,
    idle: 50000,
    idleRate: 2000,
    storm: 10000,
    stormJitter: 1000,
    stormDeadline: 20,
    warmup: 3,
    window: 10,
    drain: 5,
    settle: 60,
    bodyBytes: 100,
    workers: 2,
    perProcess: 10000,
    maxOutstanding: 1000,
    socketIoClient: "library",
    connectConcurrency: 200,
    connectDeadline: 180,
    sourceAddresses: 8,
    env: {},
    variants: [],
    out: path.join(benchDir, "out"),
    quick: false,
  };
  const quick = {
    rates: [500, 2000], users: 20, roomMembers: 100, roomSenders: 2, roomRates: [10, 50],
    memoryConnections: 500, memoryHold: 3, idle: 1000, idleRate: 500, storm: 500,
    warmup: 1, window: 3, drain: 2, settle: 20, connectDeadline: 60,
  };
  const set = {};
  const list = (v) => v.split(",").map((x) => x.trim()).filter(Boolean);
  const nums = (v) => list(v).map((x) => {
    const n = Number(x);
    if (!(n > 0)) throw new Error(`not a positive number: ${x}`);
    return n;
  });
  const positive = (v) => nums(v)[0];
  const keyValue = (v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new Error(`expected KEY=VALUE: ${v}`);
    return [v.slice(0, eq), v.slice(eq + 1)];
  };
  const options = {
    "--systems": (v) => (set.systems = list(v)),
    "--scenarios": (v) => (set.scenarios = list(v)),
    "--rates": (v) => (set.rates = nums(v)),
    "--users": (v) => (set.users = positive(v)),
    "--room-members": (v) => (set.roomMembers = positive(v)),
    "--room-senders": (v) => (set.roomSenders = positive(v)),
    "--room-rates": (v) => (set.roomRates = nums(v)),
    "--memory-connections": (v) => (set.memoryConnections = positive(v)),
    "--memory-hold": (v) => (set.memoryHold = positive(v)),
    "--idle": (v) => (set.idle = positive(v)),
    "--idle-rate": (v) => (set.idleRate = positive(v)),
    "--storm": (v) => (set.storm = positive(v)),
    "--storm-jitter": (v) => (set.stormJitter = Number(v)),
    "--storm-deadline": (v) => (set.stormDeadline = positive(v)),
    "--warmup": (v) => (set.warmup = Number(v)),
    "--window": (v) => (set.window = positive(v)),
    "--drain": (v) => (set.drain = Number(v)),
    "--settle": (v) => (set.settle = Number(v)),
    "--connect-deadline": (v) => (set.connectDeadline = positive(v)),
    "--body-bytes": (v) => (set.bodyBytes = positive(v)),
    "--workers": (v) => (set.workers = positive(v)),
    "--per-process": (v) => (set.perProcess = positive(v)),
    "--max-outstanding": (v) => (set.maxOutstanding = positive(v)),
    "--socketio-client": (v) => {
      if (!["library", "raw"].includes(v)) throw new Error("--socketio-client is library or raw");
      set.socketIoClient = v;
    },
    "--env": (v) => {
      const [k, val] = keyValue(v);
      o.env[k] = val;
    },
    "--variant": (v) => {
      const colon = v.indexOf(":");
      if (colon <= 0) throw new Error(`expected NAME:KEY=VALUE[,KEY=VALUE]: ${v}`);
      o.variants.push({ name: v.slice(0, colon), env: Object.fromEntries(list(v.slice(colon + 1)).map(keyValue)) });
    },
    "--out": (v) => (set.out = path.resolve(v)),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") {
      process.stdout.write(HELP);
      process.exit(0);
    } else if (a === "--quick") {
      o.quick = true;
    } else if (options[a]) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      options[a](argv[++i]);
    } else {
      throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  Object.assign(o, o.quick ? quick : {}, set);
  for (const s of o.systems) if (!["chatplatform", "socketio"].includes(s)) throw new Error(`unknown system ${s}`);
  for (const s of o.scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}`);
  if (o.bodyBytes < 40) throw new Error("--body-bytes must be at least 40 (the body carries ids and a time)");
  o.scenarios = ALL_SCENARIOS.filter((s) => o.scenarios.includes(s));
  return o;
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "?";
  }
}

function machine() {
  const limits = fs.readFileSync("/proc/self/limits", "utf8");
  const files = /Max open files\s+(\S+)\s+(\S+)/.exec(limits);
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "?",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    dotnet: run("dotnet", ["--version"]),
    node: process.version,
    redis: run("redis-server", ["--version"]).replace(/^Redis server v=(\S+).*$/, "$1"),
    rabbitmq: run("dpkg-query", ["-W", "-f=${Version}", "rabbitmq-server"]),
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    openFiles: files ? `${files[1]} (hard ${files[2]})` : "?",
  };
}

function header(m, o) {
  return [
    `ChatPlatform and Socket.IO side by side, ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}${o.quick ? " (--quick)" : ""}`,
    `machine: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, ${m.kernel}; .NET ${m.dotnet}, Node ${m.node}, Redis ${m.redis}, RabbitMQ ${m.rabbitmq}`,
    `load average before: ${m.loadAverage}; open files limit ${m.openFiles}`,
    `load client: ${o.workers} traffic processes, idle connections in processes of at most ${o.perProcess}; loopback, sources 127.0.0.2-${1 + o.sourceAddresses}; Socket.IO through ${o.socketIoClient === "raw" ? "its frames over ws (--socketio-client raw)" : "socket.io-client"}`,
    ...(m.note ? [m.note] : []),
    "",
  ].join("\n");
}

const ports = {
  chatplatform: { gateways: [18181, 18182], extraGateway: 18183, routers: [18191, 18192], presence: 18190, redis: 18180, amqp: 5783, epmd: 4393 },
  socketio: { servers: [18281, 18282], extraServer: 18283, redis: 18280 },
};

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e.message}`);
    process.exit(2);
  }
  fs.mkdirSync(o.out, { recursive: true });
  const started = Date.now();
  const log = (msg) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
  const m = machine();
  const runId = crypto.randomBytes(3).toString("hex");

  const systems = [];
  if (o.systems.includes("chatplatform")) {
    systems.push({ name: "chatplatform", make: () => new ChatPlatformStack({ name: "chatplatform", env: o.env, ports: ports.chatplatform, logDir: o.out }) });
    for (const v of o.variants) {
      systems.push({ name: `chatplatform/${v.name}`, make: () => new ChatPlatformStack({ name: `chatplatform-${v.name}`, env: { ...o.env, ...v.env }, ports: ports.chatplatform, logDir: o.out }) });
    }
  }
  if (o.systems.includes("socketio")) {
    systems.push({ name: "socketio", make: () => new SocketIoStack({ name: "socketio", ports: ports.socketio, logDir: o.out }) });
  }

  const needed = Math.max(o.perProcess, o.memoryConnections, o.idle, o.storm) + 1000;
  const softLimit = Number(/Max open files\s+(\d+)/.exec(fs.readFileSync("/proc/self/limits", "utf8"))?.[1] ?? 0);
  if (softLimit < needed) {
    m.note = `note: the open-files limit (${softLimit}) is below the ${needed} the largest scenario needs: a gateway or server process holds at most about that many connections`;
    log(m.note);
  }

  const results = {}; // scenario -> [{system, result}]
  let current = null;
  let interrupted = false;
  const finish = async (code) => {
    const text = header(m, o) + o.scenarios.filter((s) => results[s]).map((s) => tables[s](results[s], o)).join("\n");
    process.stdout.write(text + "\n");
    fs.writeFileSync(path.join(o.out, "results.txt"), text + "\n");
    fs.writeFileSync(
      path.join(o.out, "results.json"),
      JSON.stringify({ machine: m, options: o, results }, (k, v) => (ArrayBuffer.isView(v) ? undefined : v), 2),
    );
    log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min; results in ${path.relative(process.cwd(), o.out)}/results.{txt,json}`);
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, async () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      log(`${signal}: stopping ${current?.name ?? ""}, then printing what was measured`);
      await current?.stop().catch(() => {});
      await finish(130);
    });
  }

  for (const system of systems) {
    const stack = system.make();
    current = stack;
    log(`${system.name}: ${stack.describe()}`);
    try {
      await stack.start(log);
    } catch (e) {
      log(`${system.name} did not start: ${e.message}`);
      for (const s of o.scenarios) (results[s] ??= []).push({ system: system.name, result: { notes: [`did not start: ${e.message.split("\n")[0]}`] } });
      await stack.stop().catch(() => {});
      continue;
    }
    const ctx = new Context({ stack, opts: o, log: (msg) => log(`${system.name} ${msg}`), runId: `${runId}${systems.indexOf(system)}` });
    for (const name of o.scenarios) {
      if (interrupted) return;
      log(`${system.name}: ${name}`);
      await ctx.settle();
      let result;
      try {
        result = await scenarios[name](ctx);
      } catch (e) {
        log(`${system.name} ${name} failed: ${e.stack ?? e}`);
        result = { notes: [`failed: ${String(e.message ?? e).split("\n")[0]}`] };
      }
      (results[name] ??= []).push({ system: system.name, result });
    }
    log(`${system.name}: stopping`);
    await stack.stop();
    current = null;
  }
  await finish(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
