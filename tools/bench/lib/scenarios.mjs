// The scenarios. Each takes a context (the running stack, the options, the process tracker) and
// returns a plain result object; report.mjs turns results into tables. A scenario that cannot
// finish (a stack that refuses connections, a deadline) returns what it measured, with a note.
import { ProcessTracker, delta } from "./proc.mjs";
import { startWorkers, stopWorkers } from "./pool.mjs";
import { merged, percentile, sumCodes } from "./format.mjs";
import { redisHistory } from "./stacks.mjs";

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntilUs = (t) => sleep(Math.max(0, (t - nowUs()) / 1000));

let stageCounter = 0;
let sourceCounter = 0;

/** The next loopback source address: 127.0.0.2 .. 127.0.0.(1+n), so ports do not run out. */
function sourceAddress(opts) {
  return `127.0.0.${2 + (sourceCounter++ % opts.sourceAddresses)}`;
}

export class Context {
  constructor({ stack, opts, log, runId }) {
    this.stack = stack;
    this.opts = opts;
    this.log = log;
    this.runId = runId;
    this.tracker = new ProcessTracker();
    this.loadPids = [process.pid];
  }

  /** Server groups of the system under test, and the load client as one more group. */
  groups() {
    const each = this.loadPids.map((pid) => ({ name: `load/${pid}`, pids: [pid] }));
    return [...this.stack.processGroups(), { name: "load client", pids: this.loadPids }, ...each];
  }

  sample() {
    return this.tracker.sample(this.groups());
  }

  /**
   * Waits until the system under test is back at rest: its processes together used less than
   * their at-rest CPU (the quietest second of the first three, plus 0.1 of a core) over the
   * last second, or maxSeconds passed. A scenario or stage that starts while the last one's
   * backlog or a mass disconnect is still being worked off would be charged for it.
   */
  async settle(maxSeconds = this.opts.settle) {
    const serverCpu = (a, b) => {
      let sum = 0;
      for (const [name, v] of b) if (!name.startsWith("load")) sum += v.cpu - (a.get(name)?.cpu ?? 0);
      return sum;
    };
    const started = Date.now();
    let prev = this.sample();
    if (this.restCores === undefined) {
      let quietest = Infinity;
      for (let i = 0; i < 3; i++) {
        await sleep(1000);
        const cur = this.sample();
        quietest = Math.min(quietest, serverCpu(prev, cur));
        prev = cur;
      }
      this.restCores = quietest;
      this.log(`at rest the servers use ${(quietest * 100).toFixed(0)}% of a core`);
      return;
    }
    let used = Infinity;
    while (Date.now() - started < maxSeconds * 1000) {
      await sleep(1000);
      const cur = this.sample();
      used = serverCpu(prev, cur);
      prev = cur;
      if (used <= this.restCores + 0.1) break;
    }
    const waited = (Date.now() - started) / 1000;
    if (used > this.restCores + 0.1) this.log(`still busy (${(used * 100).toFixed(0)}% of a core) after ${waited.toFixed(0)} s; going on`);
    else if (waited > 5) this.log(`back at rest after ${waited.toFixed(0)} s`);
  }

  async workers(n, prefix = "load") {
    const workers = await startWorkers(n, this.stack.kind, this.opts, prefix);
    for (const w of workers) this.loadPids.push(w.pid);
    return workers;
  }

  async dropWorkers(workers) {
    await Promise.allSettled(workers.map((w) => w.call("close", { hard: true })));
    await stopWorkers(workers);
  }

  user(kind, i) {
    return `b${this.runId}-${kind}-${i}`;
  }
}

/** Connection specs spread round-robin over workers; returns per worker [{user, url, local}]. */
function spread(ctx, count, workers, userOf, urlOf) {
  const lists = workers.map(() => []);
  const where = []; // i -> {w, idx}
  for (let i = 0; i < count; i++) {
    const w = i % workers.length;
    where.push({ w, idx: lists[w].length });
    lists[w].push({ user: userOf(i), url: urlOf(i), local: sourceAddress(ctx.opts) });
  }
  return { lists, where };
}

async function connectLists(workers, lists, { concurrency = 64, timeoutMs = 10_000, retries = 2, deadlineMs = 120_000 } = {}) {
  const started = Date.now();
  const parts = await Promise.all(
    workers.map((w, i) => w.call("connect", { conns: lists[i], concurrency, timeoutMs, retries, deadlineMs })),
  );
  const connectMs = merged(parts.map((p) => Uint32Array.from(p.connectMs.filter((v) => !Number.isNaN(v)).map(Math.round))));
  return {
    connected: parts.reduce((s, p) => s + p.connected, 0),
    seconds: (Date.now() - started) / 1000,
    errors: sumCodes(parts.map((p) => p.errors)),
    p50: percentile(connectMs, 50),
    p99: percentile(connectMs, 99),
  };
}

function cpuTable(before, after, deliveries, seconds) {
  const d = delta(before, after);
  const processes = [];
  let total = 0;
  let load = null;
  let busiest = 0;
  for (const [name, v] of d) {
    if (name === "load client") {
      load = { cpuSeconds: v.cpu, cores: v.cpu / seconds, rss: v.rss };
      continue;
    }
    if (name.startsWith("load/")) {
      busiest = Math.max(busiest, v.cpu / seconds);
      continue;
    }
    total += v.cpu;
    processes.push({ name, cpuSeconds: v.cpu, usPerMessage: deliveries > 0 ? (v.cpu / deliveries) * 1e6 : NaN, rss: v.rss, alive: v.alive });
  }
  if (load) load.busiestProcessCores = busiest;
  return { processes, cpuSeconds: total, usPerMessage: deliveries > 0 ? (total / deliveries) * 1e6 : NaN, load };
}

function countBetween(buckets, fromUs, toUs) {
  const a = Math.max(0, Math.floor(fromUs / 10_000));
  const b = Math.min(buckets.length, Math.ceil(toUs / 10_000));
  let n = 0;
  for (let i = a; i < b; i++) n += buckets[i];
  return n;
}

function sumBuckets(parts, key) {
  const out = new Uint32Array(Math.max(...parts.map((p) => p[key].length)));
  for (const p of parts) for (let i = 0; i < p[key].length; i++) out[i] += p[key][i];
  return out;
}

const popcount = (x) => {
  let n = 0;
  while (x) {
    n += x & 1;
    x >>= 1;
  }
  return n;
};

/**
 * One stage at one offered rate: warm-up, the measured window, then a drain until every answered
 * send's deliveries came (or the drain time is up).
 * senders: per worker [{conn, gs, targets, rate}].
 */
async function runStage(ctx, workers, { label, mode, room, senders, senderCount, roomRecipients = 0 }) {
  const o = ctx.opts;
  await ctx.settle();
  ctx.log(label);
  const id = ++stageCounter;
  const t0 = nowUs() + 300_000;
  const winStart = t0 + o.warmup * 1e6;
  const winEnd = winStart + o.window * 1e6;
  const sending = Promise.all(
    workers.map((w, i) =>
      w.call("stage", {
        id, mode, room, t0, winStart, winEnd, end: winEnd,
        tailUs: (o.drain + 10) * 1e6,
        senders: senders[i], senderCount, roomRecipients,
        maxOutstanding: o.maxOutstanding,
      }),
    ),
  );
  await sleepUntilUs(winStart);
  const before = ctx.sample();
  const measuredFrom = nowUs();
  await sleepUntilUs(winEnd);
  const after = ctx.sample();
  const measuredTo = nowUs();
  await sending;

  const drainDeadline = Date.now() + o.drain * 1000;
  let drained = false;
  while (Date.now() < drainDeadline) {
    const p = await Promise.all(workers.map((w) => w.call("progress")));
    const sum = (k) => p.reduce((s, x) => s + (x[k] ?? 0), 0);
    const due = mode === "direct" ? sum("acked") : sum("expected");
    if (sum("outstanding") === 0 && sum("received") >= due) {
      drained = true;
      break;
    }
    await sleep(100);
  }
  const parts = await Promise.all(workers.map((w) => w.call("collect")));

  const seconds = (measuredTo - measuredFrom) / 1e6;
  const recv = sumBuckets(parts, "recvBuckets");
  const sent = sumBuckets(parts, "sendBuckets");
  const deliveredInWindow = countBetween(recv, measuredFrom - t0, measuredTo - t0);
  const sentInWindow = countBetween(sent, measuredFrom - t0, measuredTo - t0);
  const latency = merged(parts.map((p) => p.latency));
  const ackLatency = merged(parts.map((p) => p.ackLatency));
  const lag = merged(parts.map((p) => p.lag));
  const total = (k) => parts.reduce((s, p) => s + p[k], 0);

  let lost;
  if (mode === "direct") {
    const received = new Map();
    for (const p of parts) {
      for (const [gs, bits] of p.recvBits) {
        const have = received.get(gs);
        if (!have) received.set(gs, Uint8Array.from(bits));
        else {
          const grown = have.length >= bits.length ? have : Uint8Array.from({ length: bits.length }, (_, i) => have[i] ?? 0);
          for (let i = 0; i < bits.length; i++) grown[i] |= bits[i];
          received.set(gs, grown);
        }
      }
    }
    lost = 0;
    for (const p of parts) {
      for (const [gs, acked] of p.ackBits) {
        const got = received.get(gs);
        for (let i = 0; i < acked.length; i++) lost += popcount(acked[i] & ~(got?.[i] ?? 0));
      }
    }
  } else {
    lost = Math.max(0, total("expected") - total("received"));
  }

  return {
    sent: total("sent"),
    sentPerSecond: sentInWindow / seconds,
    skipped: total("skipped"),
    acked: total("acked"),
    expected: total("expected"),
    refused: sumCodes(parts.map((p) => p.refused)),
    unanswered: total("unanswered"),
    received: total("received"),
    deliveredPerSecond: deliveredInWindow / seconds,
    deliveredInWindow,
    lost,
    drained,
    duplicates: total("duplicates"),
    reordered: total("reordered"),
    late: total("late"),
    disconnects: total("disconnects"),
    latencyMs: { count: latency.length, p50: percentile(latency, 50) / 1000, p99: percentile(latency, 99) / 1000, max: percentile(latency, 100) / 1000 },
    ackMs: { p50: percentile(ackLatency, 50) / 1000, p99: percentile(ackLatency, 99) / 1000 },
    sendLagMs: { p99: percentile(lag, 99) / 1000, max: percentile(lag, 100) / 1000 },
    windowSeconds: seconds,
    cpu: cpuTable(before, after, deliveredInWindow, seconds),
  };
}

// ---------------------------------------------------------------------------------------------

/** Users on the two gateways, each sending to the users on the other one, round-robin. */
async function chatUsers(ctx, workers, kind, count) {
  const urls = ctx.stack.urls;
  const { lists, where } = spread(ctx, count, workers, (i) => ctx.user(kind, i), (i) => urls[i % 2]);
  const connect = await connectLists(workers, lists, { concurrency: 32 });
  return { connect, where };
}

function directSenders(ctx, workers, kind, count, where, rate) {
  const senders = workers.map(() => []);
  for (let i = 0; i < count; i++) {
    const others = [];
    for (let j = 0; j < count; j++) if (j % 2 !== i % 2) others.push(ctx.user(kind, j));
    const shift = (i >> 1) % Math.max(1, others.length);
    const targets = [...others.slice(shift), ...others.slice(0, shift)];
    senders[where[i].w].push({ conn: where[i].idx, gs: i, targets, rate: rate / count });
  }
  return senders;
}

export async function direct(ctx) {
  const o = ctx.opts;
  const workers = await ctx.workers(o.workers);
  const result = { users: o.users, stages: [], notes: [] };
  const history = ctx.stack.kind === "chatplatform" ? await redisHistory(ctx.stack.ports.redis) : null;
  try {
    const { connect, where } = await chatUsers(ctx, workers, "d", o.users);
    result.connect = connect;
    if (connect.connected < o.users) result.notes.push(`only ${connect.connected} of ${o.users} users connected (${JSON.stringify(connect.errors)})`);
    if (connect.connected < 2) return result;
    for (const rate of o.rates) {
      const stage = await runStage(ctx, workers, {
        label: `direct: ${rate} msg/s offered`,
        mode: "direct",
        senders: directSenders(ctx, workers, "d", o.users, where, rate),
        senderCount: o.users,
      });
      result.stages.push({ offered: rate, ...stage });
    }

    if (history) {
      // What the stored messages cost Redis: the growth of its memory over what history holds now.
      const after = await redisHistory(ctx.stack.ports.redis);
      const stored = after.storedMessages - history.storedMessages;
      result.history = { stored, bytes: after.usedMemory - history.usedMemory };
      result.notes.push(stored > 0
        ? `history holds ${stored} more messages (${o.bodyBytes}-byte bodies); Redis used ${((after.usedMemory - history.usedMemory) / 1048576).toFixed(1)} MiB more: ${Math.round((after.usedMemory - history.usedMemory) / stored)} bytes per stored message`
        : `history stored nothing; Redis used ${((after.usedMemory - history.usedMemory) / 1048576).toFixed(1)} MiB more`);
    }
  } finally {
    await ctx.dropWorkers(workers);
  }
  return result;
}

export async function room(ctx) {
  const o = ctx.opts;
  const workers = await ctx.workers(o.workers);
  const name = `bench-${ctx.runId}-room`;
  const result = { members: o.roomMembers, senders: o.roomSenders, stages: [], notes: [] };
  try {
    const urls = ctx.stack.urls;
    const { lists, where } = spread(ctx, o.roomMembers, workers, (i) => ctx.user("r", i), (i) => urls[i % 2]);
    result.connect = await connectLists(workers, lists, { concurrency: 32 });
    const joinStarted = Date.now();
    const joins = await Promise.all(workers.map((w) => w.call("join", { room: name, concurrency: 16 })));
    result.joined = joins.reduce((s, j) => s + j.joined, 0);
    result.joinSeconds = (Date.now() - joinStarted) / 1000;
    if (result.joined < o.roomMembers) result.notes.push(`only ${result.joined} of ${o.roomMembers} members joined (${JSON.stringify(sumCodes(joins.map((j) => j.errors)))})`);
    // ChatPlatform tells members who joined: let those events die down before measuring.
    const quietDeadline = Date.now() + 60_000;
    while (Date.now() < quietDeadline) {
      const s = await Promise.all(workers.map((w) => w.call("status")));
      if (s.every((x) => nowUs() - x.lastEventAt > 1_000_000)) break;
      await sleep(250);
    }
    result.settleSeconds = (Date.now() - joinStarted) / 1000 - result.joinSeconds;
    if (result.joined < 2) return result;
    for (const rate of o.roomRates) {
      const senders = workers.map(() => []);
      for (let s = 0; s < o.roomSenders; s++) senders[where[s].w].push({ conn: where[s].idx, gs: s, targets: [], rate: rate / o.roomSenders });
      const stage = await runStage(ctx, workers, { label: `room: ${rate} msg/s offered to ${result.joined} members`, mode: "room", room: name, senders, senderCount: o.roomSenders, roomRecipients: result.joined - 1 });
      result.stages.push({ offered: rate, offeredDeliveries: rate * (result.joined - 1), ...stage });
    }
  } finally {
    await ctx.dropWorkers(workers);
  }
  return result;
}

/** Starts holder processes with at most opts.perProcess connections each, connected to url. */
async function holdIdle(ctx, count, url, kind) {
  const o = ctx.opts;
  const holders = await ctx.workers(Math.max(1, Math.ceil(count / o.perProcess)), "idle");
  const { lists } = spread(ctx, count, holders, (i) => ctx.user(kind, i), () => url);
  const connect = await connectLists(holders, lists, { concurrency: o.connectConcurrency, timeoutMs: 15_000, retries: 3, deadlineMs: o.connectDeadline * 1000 });
  return { holders, connect };
}

export async function memory(ctx) {
  const o = ctx.opts;
  const result = { target: o.memoryConnections, holdSeconds: o.memoryHold, notes: [] };
  await ctx.settle();
  const restStart = ctx.sample();
  const restFrom = nowUs();
  await sleep(5000);
  const rest = ctx.sample();
  const restCpu = delta(restStart, rest);
  const restSeconds = (nowUs() - restFrom) / 1e6;
  result.atRest = [...rest].filter(([n]) => !n.startsWith("load")).map(([name, v]) => ({ name, rss: v.rss, cpuPerSecond: restCpu.get(name).cpu / restSeconds }));
  const url = ctx.stack.urls[0];
  const { holders, connect } = await holdIdle(ctx, o.memoryConnections, url, "m");
  try {
    result.connect = connect;
    if (connect.connected < o.memoryConnections) result.notes.push(`only ${connect.connected} of ${o.memoryConnections} connected (${JSON.stringify(connect.errors)})`);
    ctx.log(`memory: ${connect.connected} idle connections on ${result.atRest[0]?.name}, holding ${o.memoryHold} s`);
    const before = ctx.sample();
    const t = nowUs();
    await sleep(o.memoryHold * 1000);
    const after = ctx.sample();
    const seconds = (nowUs() - t) / 1e6;
    const d = delta(before, after);
    result.held = [...d]
      .filter(([n]) => !n.startsWith("load"))
      .map(([name, v]) => ({
        name,
        rssAtRest: rest.get(name)?.rss ?? NaN,
        cpuAtRest: (restCpu.get(name)?.cpu ?? NaN) / restSeconds,
        rss: v.rss,
        perConnection: connect.connected > 0 ? (v.rss - (rest.get(name)?.rss ?? NaN)) / connect.connected : NaN,
        cpuPerSecond: v.cpu / seconds,
      }));
    const status = await Promise.all(holders.map((h) => h.call("status")));
    result.stillOpen = status.reduce((s, x) => s + x.open, 0);
    result.loadRss = after.get("load client")?.rss;
  } finally {
    await ctx.dropWorkers(holders);
  }
  return result;
}

export async function idle(ctx) {
  const o = ctx.opts;
  const result = { target: o.idle, rate: o.idleRate, notes: [] };
  const extra = await ctx.stack.addGateway();
  result.idleGateway = extra.name;
  let holders = [];
  let workers = [];
  try {
    await sleep(1000);
    const empty = ctx.sample().get(extra.name);
    result.idleRssEmpty = empty?.rss;
    ctx.log(`idle: connecting ${o.idle} idle clients to ${extra.name}`);
    const held = await holdIdle(ctx, o.idle, extra.url, "i");
    holders = held.holders;
    result.connect = held.connect;
    if (held.connect.connected < o.idle) result.notes.push(`only ${held.connect.connected} of ${o.idle} idle clients connected (${JSON.stringify(held.connect.errors)})`);
    workers = await ctx.workers(o.workers);
    const { connect, where } = await chatUsers(ctx, workers, "c", o.users);
    result.chatConnect = connect;
    const openBefore = (await Promise.all(holders.map((h) => h.call("status")))).reduce((s, x) => s + x.open, 0);
    result.stage = await runStage(ctx, workers, {
      label: `idle: ${held.connect.connected} idle on ${extra.name}, ${o.users} users chatting at ${o.idleRate} msg/s`,
      mode: "direct",
      senders: directSenders(ctx, workers, "c", o.users, where, o.idleRate),
      senderCount: o.users,
    });
    const openAfter = (await Promise.all(holders.map((h) => h.call("status")))).reduce((s, x) => s + x.open, 0);
    result.idleOpen = openAfter;
    result.idleDropped = Math.max(0, openBefore - openAfter);
    const g = result.stage.cpu.processes.find((p) => p.name === extra.name);
    result.idleRss = g?.rss;
    result.idleCpuPerSecond = g ? g.cpuSeconds / result.stage.windowSeconds : NaN;
    result.idlePerConnection = held.connect.connected > 0 ? (result.idleRss - result.idleRssEmpty) / held.connect.connected : NaN;
  } finally {
    await ctx.dropWorkers(workers);
    await ctx.dropWorkers(holders);
    await ctx.stack.removeGateway(extra.name);
  }
  return result;
}

export async function storm(ctx) {
  const o = ctx.opts;
  const result = { clients: o.storm, jitterMs: o.stormJitter, notes: [] };
  const extra = await ctx.stack.addGateway();
  result.victim = extra.name;
  const workers = await ctx.workers(Math.max(o.workers, Math.ceil(o.storm / o.perProcess)));
  try {
    const [survivor, proberUrl] = ctx.stack.urls;
    const { lists } = spread(ctx, o.storm, workers, (i) => ctx.user("s", i), () => extra.url);
    ctx.log(`storm: connecting ${o.storm} clients to ${extra.name}`);
    result.connect = await connectLists(workers, lists, { concurrency: o.connectConcurrency, timeoutMs: 15_000, retries: 3, deadlineMs: o.connectDeadline * 1000 });
    if (result.connect.connected < o.storm) result.notes.push(`only ${result.connect.connected} of ${o.storm} connected before the kill (${JSON.stringify(result.connect.errors)})`);
    const armed = await Promise.all(
      workers.map((w, i) =>
        w.call("stormArm", {
          prober: { user: ctx.user("probe", i), url: proberUrl, local: sourceAddress(o) },
          survivorUrl: survivor,
          jitterMs: o.stormJitter,
          connectTimeoutMs: 10_000,
          maxInflight: 128,
        }),
      ),
    );
    result.armed = armed.reduce((s, a) => s + a.clients, 0);
    await sleep(1000);
    const before = ctx.sample();
    const killedAt = nowUs();
    ctx.log(`storm: kill -9 ${extra.name} with ${result.armed} clients`);
    ctx.stack.killGateway(extra.name);
    const running = Promise.all(workers.map((w) => w.call("stormRun", { deadlineUs: killedAt + o.stormDeadline * 1e6 })));
    await sleepUntilUs(killedAt + 15e6);
    const after = ctx.sample();
    const parts = await running;
    const seconds = (nowUs() - killedAt) / 1e6;
    void seconds;
    const rel = (key) => {
      const values = [];
      for (const p of parts) for (const t of p[key]) values.push(t === 0 ? Infinity : (t - killedAt) / 1000);
      return values.sort((a, b) => a - b);
    };
    const reconnected = rel("reconnectedAt");
    const routable = rel("routableAt");
    const stats = (list, withinMs) => {
      const done = list.filter(Number.isFinite);
      const sorted = Uint32Array.from(done.map(Math.round));
      return {
        count: done.length,
        within: done.filter((v) => v <= withinMs).length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        all: done.length === list.length && list.length > 0 ? done[done.length - 1] : NaN,
      };
    };
    result.reconnect = stats(reconnected, 10_000);
    result.routable = stats(routable, 15_000);
    result.probes = parts.reduce((s, p) => s + p.probes, 0);
    result.connectErrors = sumCodes(parts.map((p) => p.connectErrors));
    result.probeErrors = sumCodes(parts.map((p) => p.probeErrors));
    const d = delta(before, after);
    result.cpu = [...d].filter(([n]) => n !== extra.name && !n.startsWith("load/")).map(([name, v]) => ({ name, cpuSeconds: v.cpu, rss: v.rss }));
  } finally {
    await ctx.dropWorkers(workers);
    await ctx.stack.removeGateway(extra.name);
  }
  return result;
}

export const scenarios = { memory, direct, room, idle, storm };
