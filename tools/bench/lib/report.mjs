// Tables, one per scenario, the systems side by side.
import { codes, int, mib, num, table } from "./format.mjs";

const pct = (cores) => (Number.isNaN(cores) || cores === undefined ? "-" : `${Math.round(cores * 100)}%`);
const kib = (bytes) => (bytes === undefined || Number.isNaN(bytes) ? "-" : num(bytes / 1024));

function loadCell(load) {
  if (!load) return "-";
  return `${pct(load.cores)} (${pct(load.busiestProcessCores)})`;
}

/** Lines about what went wrong in a stage, if anything did. */
function stageNotes(system, offered, s) {
  const notes = [];
  const refused = codes(s.refused);
  if (refused !== "0") notes.push(`refused: ${refused}`);
  if (s.skipped > 0) notes.push(`${int(s.skipped)} sends skipped (over ${"the outstanding limit"} or the connection was down)`);
  if (s.unanswered > 0) notes.push(`${int(s.unanswered)} sends never answered`);
  if (s.duplicates > 0) notes.push(`${int(s.duplicates)} duplicates`);
  if (s.reordered > 0) notes.push(`${int(s.reordered)} out of order`);
  if (s.disconnects > 0) notes.push(`${int(s.disconnects)} disconnects`);
  if (!s.drained) notes.push("still delivering when the drain ended (late deliveries count as lost)");
  if (s.sendLagMs.p99 > 50) notes.push(`the load client sent late: p99 ${num(s.sendLagMs.p99)} ms behind schedule (latency counts from the intended time)`);
  return notes.map((n) => `  ${system} at ${int(offered)}/s: ${n}`);
}

function breakdown(results, scenario, unit) {
  const out = [];
  for (const { system, result } of results) {
    const stages = result?.stages ?? [];
    if (stages.length === 0) continue;
    const names = stages[0].cpu.processes.map((p) => p.name);
    const rows = stages.map((s) => [
      int(s.offered),
      ...names.map((n) => {
        const p = s.cpu.processes.find((x) => x.name === n);
        return p ? `${num(p.usPerMessage)} (${mib(p.rss)})` : "-";
      }),
      num(s.cpu.usPerMessage),
      s.cpu.load ? `${s.deliveredInWindow > 0 ? num((s.cpu.load.cpuSeconds / s.deliveredInWindow) * 1e6) : "-"} (${mib(s.cpu.load.rss)})` : "-",
    ]);
    out.push(`${system}: CPU µs per ${unit} by process (RSS MiB at the end of the window)`);
    out.push(table(["offered/s", ...names, "servers", "load client"], rows));
    out.push("");
  }
  return out;
}

export function directTable(results, opts) {
  const lines = [];
  const first = results.find((r) => r.result?.stages)?.result;
  lines.push(`== direct: ${opts.users} users over 2 gateways, each sending to the users on the other gateway; ${opts.bodyBytes}-byte bodies; ${opts.warmup} s warm-up, ${opts.window} s measured ==`);
  if (!first) return [...lines, "(no results)", ""].join("\n");
  const rows = [];
  const notes = [];
  for (let i = 0; i < opts.rates.length; i++) {
    const rate = opts.rates[i];
    for (const { system, result } of results) {
      const s = result?.stages?.[i];
      if (!s) continue;
      rows.push([
        int(rate), system, int(s.sentPerSecond), int(s.deliveredPerSecond),
        num(s.latencyMs.p50), num(s.latencyMs.p99), num(s.latencyMs.max),
        int(s.lost), int(Object.values(s.refused).reduce((a, b) => a + b, 0)),
        num(s.cpu.usPerMessage), loadCell(s.cpu.load),
      ]);
      notes.push(...stageNotes(system, rate, s));
    }
  }
  lines.push(table(["offered/s", "system", "sent/s", "delivered/s", "p50 ms", "p99 ms", "max ms", "lost", "refused", "CPU µs/msg", "load client"], rows, 2));
  for (const { system, result } of results) for (const n of result?.notes ?? []) notes.push(`  ${system}: ${n}`);
  if (notes.length) lines.push("", ...notes);
  lines.push("", ...breakdown(results, "direct", "delivered message"));
  return lines.join("\n");
}

export function roomTable(results, opts) {
  const lines = [];
  lines.push(`== room: ${opts.roomMembers} members over 2 gateways, ${opts.roomSenders} of them sending; ${opts.warmup} s warm-up, ${opts.window} s measured ==`);
  const rows = [];
  const notes = [];
  for (let i = 0; i < opts.roomRates.length; i++) {
    const rate = opts.roomRates[i];
    for (const { system, result } of results) {
      const s = result?.stages?.[i];
      if (!s) continue;
      rows.push([
        int(rate), system, int(s.offeredDeliveries), int(s.deliveredPerSecond),
        num(s.latencyMs.p50), num(s.latencyMs.p99), num(s.latencyMs.max),
        int(s.lost), num(s.cpu.usPerMessage), loadCell(s.cpu.load),
      ]);
      notes.push(...stageNotes(system, rate, s));
    }
  }
  for (const { system, result } of results) {
    if (!result) continue;
    if (result.connect) notes.push(`  ${system}: ${int(result.joined)} members joined in ${num(result.joinSeconds)} s, then ${num(result.settleSeconds)} s until membership events stopped`);
    for (const n of result.notes ?? []) notes.push(`  ${system}: ${n}`);
    const best = (result.stages ?? []).reduce((a, s) => (a && a.deliveredPerSecond >= s.deliveredPerSecond ? a : s), null);
    if (best) notes.push(`  ${system}: most deliveries ${int(best.deliveredPerSecond)}/s (at ${int(best.offered)} msg/s offered, p99 ${num(best.latencyMs.p99)} ms, ${num(best.cpu.usPerMessage)} µs CPU per delivery)`);
  }
  lines.push(table(["msg/s", "system", "offered deliveries/s", "delivered/s", "p50 ms", "p99 ms", "max ms", "lost", "CPU µs/delivery", "load client"], rows, 2));
  if (notes.length) lines.push("", ...notes);
  lines.push("", ...breakdown(results, "room", "delivery"));
  return lines.join("\n");
}

export function memoryTable(results, opts) {
  const lines = [`== memory: at rest (no clients, 5 s), then with ${int(opts.memoryConnections)} idle connections on gateway 1 held ${opts.memoryHold} s (keepalive every 15 s on both); CPU as a share of one core ==`];
  const rows = [];
  const notes = [];
  for (const { system, result } of results) {
    if (!result?.held) {
      for (const n of result?.notes ?? []) notes.push(`  ${system}: ${n}`);
      continue;
    }
    for (const p of result.held) {
      rows.push([system, p.name, mib(p.rssAtRest), pct(p.cpuAtRest), mib(p.rss), kib(p.perConnection), pct(p.cpuPerSecond)]);
    }
    const sum = (k) => result.held.reduce((a, p) => a + p[k], 0);
    const n = result.connect.connected;
    rows.push([system, "all", mib(sum("rssAtRest")), pct(sum("cpuAtRest")), mib(sum("rss")), kib(n > 0 ? (sum("rss") - sum("rssAtRest")) / n : NaN), pct(sum("cpuPerSecond"))]);
    notes.push(`  ${system}: ${int(result.connect.connected)} of ${int(result.target)} connected in ${num(result.connect.seconds)} s (connect p50 ${num(result.connect.p50)} ms, p99 ${num(result.connect.p99)} ms), ${int(result.stillOpen)} still open after the hold; load client RSS ${mib(result.loadRss)} MiB`);
    for (const n of result.notes ?? []) notes.push(`  ${system}: ${n}`);
  }
  lines.push(table(["system", "process", "RSS at rest MiB", "CPU at rest", "RSS held MiB", "KiB/connection", "CPU holding"], rows, 2));
  if (notes.length) lines.push("", ...notes);
  lines.push("");
  return lines.join("\n");
}

export function idleTable(results, opts) {
  const lines = [`== idle: ${int(opts.idle)} idle connections on a third gateway while ${opts.users} users chat over the other two at ${int(opts.idleRate)} msg/s ==`];
  const rows = [];
  const notes = [];
  for (const { system, result } of results) {
    if (!result?.stage) {
      for (const n of result?.notes ?? []) notes.push(`  ${system}: ${n}`);
      continue;
    }
    const s = result.stage;
    rows.push([
      system, int(result.connect.connected), num(result.connect.seconds), mib(result.idleRss), kib(result.idlePerConnection),
      pct(result.idleCpuPerSecond), int(result.idleDropped),
      int(s.deliveredPerSecond), num(s.latencyMs.p50), num(s.latencyMs.p99), num(s.latencyMs.max), int(s.lost), num(s.cpu.usPerMessage), loadCell(s.cpu.load),
    ]);
    notes.push(...stageNotes(system, opts.idleRate, s));
    notes.push(`  ${system}: idle connects p50 ${num(result.connect.p50)} ms, p99 ${num(result.connect.p99)} ms${codes(result.connect.errors) !== "0" ? `; connect errors: ${codes(result.connect.errors)}` : ""}`);
    for (const n of result.notes ?? []) notes.push(`  ${system}: ${n}`);
  }
  lines.push(table(["system", "idle held", "connect s", "idle gw RSS MiB", "KiB/conn", "idle gw CPU", "dropped", "delivered/s", "p50 ms", "p99 ms", "max ms", "lost", "CPU µs/msg", "load client"], rows, 1));
  if (notes.length) lines.push("", ...notes);
  lines.push("", ...breakdown(results.map(({ system, result }) => ({ system, result: result?.stage ? { stages: [{ offered: opts.idleRate, ...result.stage }] } : null })), "idle", "delivered message"));
  return lines.join("\n");
}

export function stormTable(results, opts) {
  const lines = [`== storm: ${int(opts.storm)} clients on a third gateway; kill -9 it; each reconnects to gateway 1 (after 0-${opts.stormJitter} ms) and is sent a direct message from gateway 2 until one arrives ==`];
  const rows = [];
  const notes = [];
  const s = (v) => (Number.isNaN(v) ? "-" : num(v / 1000));
  for (const { system, result } of results) {
    if (!result?.reconnect) {
      for (const n of result?.notes ?? []) notes.push(`  ${system}: ${n}`);
      continue;
    }
    const r = result.reconnect;
    const q = result.routable;
    rows.push([
      system, int(result.armed), int(r.within), s(r.all), num(r.p50), num(r.p99),
      int(q.within), s(q.all), num(q.p50), num(q.p99), int(result.probes),
      num(result.cpu.reduce((a, p) => a + (p.name === "load client" ? 0 : p.cpuSeconds), 0)),
    ]);
    if (codes(result.connectErrors) !== "0") notes.push(`  ${system}: reconnect failures (retried): ${codes(result.connectErrors)}`);
    if (codes(result.probeErrors) !== "0") notes.push(`  ${system}: probe errors (retried): ${codes(result.probeErrors)}`);
    const servers = result.cpu.filter((p) => p.name !== "load client");
    const load = result.cpu.find((p) => p.name === "load client");
    notes.push(`  ${system}: CPU s in the 15 s after the kill: ${servers.map((p) => `${p.name} ${num(p.cpuSeconds)}`).join(", ")} (load client ${num(load?.cpuSeconds)})`);
    for (const n of result.notes ?? []) notes.push(`  ${system}: ${n}`);
  }
  lines.push(table(["system", "clients", "back ≤10 s", "all back s", "back p50 ms", "back p99 ms", "routable ≤15 s", "all routable s", "routable p50 ms", "routable p99 ms", "probes", "server CPU s"], rows, 1));
  if (notes.length) lines.push("", ...notes);
  lines.push("");
  return lines.join("\n");
}

export const tables = { memory: memoryTable, direct: directTable, room: roomTable, idle: idleTable, storm: stormTable };
