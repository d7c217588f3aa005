// One process of the load client (forked by bench.mjs; see lib/pool.mjs). It holds connections
// to either system, sends on a schedule, and records what comes back. The coordinator tells it
// what to do over the IPC channel; see the handlers at the end.
//
// Times are microseconds on the machine's monotonic clock (process.hrtime), which every process
// of the load client shares, so a send time written by one worker and a receive time read by
// another can be subtracted.
import { WebSocket } from "ws";
import { io } from "socket.io-client";

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Growable typed arrays and bit sets

class Grow {
  constructor(Type = Uint32Array, size = 1024) {
    this.Type = Type;
    this.a = new Type(size);
    this.n = 0;
  }
  push(v) {
    if (this.n === this.a.length) {
      const b = new this.Type(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  get(i) {
    return this.a[i];
  }
  set(i, v) {
    while (i >= this.a.length) {
      const b = new this.Type(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
    if (i >= this.n) this.n = i + 1;
  }
  view() {
    return this.a.slice(0, this.n);
  }
}

class Bits {
  constructor() {
    this.a = new Uint8Array(256);
  }
  /** Sets bit k; true when it was already set. */
  set(k) {
    const byte = k >> 3;
    if (byte >= this.a.length) {
      const b = new Uint8Array(Math.max(this.a.length * 2, byte + 1));
      b.set(this.a);
      this.a = b;
    }
    const mask = 1 << (k & 7);
    const was = (this.a[byte] & mask) !== 0;
    this.a[byte] |= mask;
    return was;
  }
}

// ---------------------------------------------------------------------------------------------
// Message bodies: a JSON string "B|stage|sender|seq|sentUs|xxxx…" padded to the body size (the
// size counts the quotes: the body's bytes in the frame). Probes in the storm are "P|…".

const fields = new Float64Array(4);

/** Reads the four numbers after s[i] ('B' or 'P') and its '|' into fields. */
function parseBody(s, i) {
  let p = i + 2;
  for (let n = 0; n < 4; n++) {
    let v = 0;
    let c = s.charCodeAt(p++);
    while (c !== 124 && p <= s.length) {
      v = v * 10 + (c - 48);
      c = s.charCodeAt(p++);
    }
    fields[n] = v;
  }
}

let padding = "x".repeat(100);
let bodyChars = 98;
function makeBody(kind, a, b, c, t) {
  const head = `${kind}|${a}|${b}|${c}|${t}|`;
  return head.length >= bodyChars ? head : head + padding.slice(0, bodyChars - head.length);
}

// ---------------------------------------------------------------------------------------------
// Connections. Both kinds have: connect(url) -> Promise<ms>, sendDirect, sendRoom, join, close;
// and call back into the worker: delivery(conn, string, index of 'B'/'P'), acked, refused, closed.

function failure(code) {
  const e = new Error(code);
  e.code = code;
  return e;
}

const LOCAL_ANY = undefined;

/**
 * A load client's connection over one WebSocket of its own: connecting (with a timeout and the
 * protocol's handshake), joins that wait for their answer, closing. Subclasses speak a protocol:
 * `address(url)`, `handshake(text, opened, fail)` until opened, then `frame(text)`.
 */
class RawSocketConn {
  constructor(idx, user, local, firstJoinId) {
    this.idx = idx;
    this.user = user;
    this.local = local ?? LOCAL_ANY;
    this.open = false;
    this.joins = new Map();
    this.joinSeq = firstJoinId;
  }

  connect(url, timeoutMs) {
    const started = nowUs();
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.address(url), { perMessageDeflate: false, localAddress: this.local, handshakeTimeout: timeoutMs });
      this.ws = ws;
      let ready = false;
      let settled = false;
      const fail = (code) => {
        if (!settled) {
          settled = true;
          reject(failure(code));
        }
      };
      const timer = setTimeout(() => {
        fail("timeout");
        ws.terminate();
      }, timeoutMs);
      const opened = () => {
        ready = true;
        this.open = true;
        clearTimeout(timer);
        if (!settled) {
          settled = true;
          resolve((nowUs() - started) / 1000);
        }
      };
      ws.on("unexpected-response", (req, res) => {
        fail(`http_${res.statusCode}`);
        res.resume();
        req.destroy();
      });
      ws.on("error", (e) => fail(e.code ?? "error"));
      ws.on("message", (data) => {
        const s = data.toString("latin1");
        if (ready) this.frame(s);
        else this.handshake(s, opened, fail);
      });
      ws.on("close", () => {
        clearTimeout(timer);
        const was = this.open;
        this.open = false;
        fail("closed");
        for (const [, j] of this.joins) j.reject(failure("closed"));
        this.joins.clear();
        if (was && this.ws === ws) closed(this);
      });
    });
  }

  /** Sends a join frame and waits for the answer that frame()/acks settle under `id`. */
  awaitJoin(id, text) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.joins.delete(id);
        reject(failure("timeout"));
      }, 15_000);
      this.joins.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.ws.send(text);
    });
  }

  close() {
    this.open = false;
    try {
      this.ws?.close(1000);
    } catch {
      // not open
    }
  }

  terminate() {
    this.open = false;
    this.ws?.terminate();
  }
}

class ChatPlatformConn extends RawSocketConn {
  constructor(idx, user, local) {
    super(idx, user, local, 0);
  }

  address(url) {
    return `${url}?user=${encodeURIComponent(this.user)}`;
  }

  handshake(s, opened) {
    if (s.startsWith('{"type":"welcome"')) opened();
  }

  frame(s) {
    cpFrame(this, s);
  }

  sendDirect(id, user, body) {
    this.ws.send(`{"type":"send","id":${id},"to":{"user":"${user}"},"body":"${body}"}`);
  }

  sendRoom(id, room, body) {
    this.ws.send(`{"type":"send","id":${id},"to":{"room":"${room}"},"body":"${body}"}`);
  }

  join(room) {
    const id = `j${++this.joinSeq}`;
    return this.awaitJoin(id, JSON.stringify({ type: "join", id, room }));
  }
}

const ACK_HEAD = '{"type":"ack","id":';

function cpFrame(conn, s) {
  if (s.startsWith('{"type":"message"')) {
    const i = s.indexOf('"body":"');
    if (i >= 0) delivery(conn, s, i + 8);
    return;
  }
  if (s.startsWith(ACK_HEAD)) {
    const c = s.charCodeAt(ACK_HEAD.length);
    if (c >= 48 && c <= 57) {
      let p = ACK_HEAD.length;
      let id = 0;
      let d = s.charCodeAt(p);
      while (d >= 48 && d <= 57) {
        id = id * 10 + (d - 48);
        d = s.charCodeAt(++p);
      }
      const r = s.indexOf('"recipients":', p);
      let recipients = 0;
      if (r >= 0) {
        let q = r + 13;
        let e = s.charCodeAt(q);
        while (e >= 48 && e <= 57) {
          recipients = recipients * 10 + (e - 48);
          e = s.charCodeAt(++q);
        }
      }
      acked(conn, id, recipients);
      return;
    }
  }
  if (s.startsWith('{"type":"joined"') || s.startsWith('{"type":"left"')) {
    lastEventAt = nowUs();
    return;
  }
  // Anything else, or a layout the fast paths above do not know: read it properly.
  let f;
  try {
    f = JSON.parse(s);
  } catch {
    return;
  }
  if (f.type === "message" && typeof f.body === "string") {
    delivery(conn, f.body, 0);
  } else if (f.type === "ack") {
    if (typeof f.id === "number") acked(conn, f.id, f.recipients ?? 0);
    else conn.joins.get(f.id)?.resolve();
    conn.joins.delete(f.id);
  } else if (f.type === "error") {
    if (typeof f.id === "number") refused(conn, f.id, f.code);
    else if (conn.joins.has(f.id)) {
      conn.joins.get(f.id).reject(failure(f.code));
      conn.joins.delete(f.id);
    }
  } else if (f.type === "joined" || f.type === "left") {
    lastEventAt = nowUs();
  }
}

class SocketIoConn {
  constructor(idx, user, local) {
    this.idx = idx;
    this.user = user;
    this.local = local ?? LOCAL_ANY;
    this.open = false;
  }

  connect(url, timeoutMs) {
    const started = nowUs();
    return new Promise((resolve, reject) => {
      const socket = io(url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        timeout: timeoutMs,
        query: { user: this.user },
        localAddress: this.local,
        perMessageDeflate: false,
      });
      this.socket = socket;
      let settled = false;
      socket.on("connect", () => {
        this.open = true;
        if (!settled) {
          settled = true;
          resolve((nowUs() - started) / 1000);
        }
      });
      socket.on("connect_error", (e) => {
        if (!settled) {
          settled = true;
          socket.close();
          reject(failure(e.description?.code ?? e.description?.error?.code ?? e.message?.replace(/\s+/g, "_") ?? "error"));
        }
      });
      socket.on("message", (m) => {
        if (typeof m?.body === "string") delivery(this, m.body, 0);
      });
      socket.on("disconnect", () => {
        const was = this.open;
        this.open = false;
        if (was && this.socket === socket) closed(this);
      });
    });
  }

  sendDirect(id, user, body) {
    this.socket.emit("send", { to: user, body }, () => acked(this, id, 1));
  }

  sendRoom(id, room, body) {
    this.socket.emit("room", { room, body }, () => acked(this, id, roomRecipients));
  }

  join(room) {
    return new Promise((resolve, reject) => {
      this.socket.timeout(10_000).emit("join", room, (err) => (err ? reject(failure("timeout")) : resolve()));
    });
  }

  close() {
    this.open = false;
    this.socket?.close();
  }

  terminate() {
    this.open = false;
    this.socket?.io?.engine?.transport?.ws?.terminate?.();
    this.socket?.close();
  }
}

/**
 * Socket.IO's wire protocol (Engine.IO 4, Socket.IO 5, WebSocket transport) spoken over `ws`
 * directly, for --socketio-client raw: the same frames socket.io-client sends and reads, at about
 * the cost of ChatPlatform's client, so the load client takes less of the machine.
 */
const JOIN_ACK_BASE = 9e12;

class SocketIoRawConn extends RawSocketConn {
  constructor(idx, user, local) {
    super(idx, user, local, JOIN_ACK_BASE);
  }

  address(url) {
    return `${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket&user=${encodeURIComponent(this.user)}`;
  }

  handshake(s, opened, fail) {
    if (s.charCodeAt(0) === 48 /* 0: Engine.IO open */) this.ws.send("40");
    else if (s.startsWith("40")) opened();
    else if (s.startsWith("44")) {
      fail("refused");
      this.ws.close();
    } else if (s === "2") this.ws.send("3");
  }

  frame(s) {
    sioFrame(this, s);
  }

  sendDirect(id, user, body) {
    this.ws.send(`42${id}["send",{"to":"${user}","body":"${body}"}]`);
  }

  sendRoom(id, room, body) {
    this.ws.send(`42${id}["room",{"room":"${room}","body":"${body}"}]`);
  }

  join(room) {
    const id = ++this.joinSeq;
    return this.awaitJoin(id, `42${id}${JSON.stringify(["join", room])}`);
  }
}

function sioFrame(conn, s) {
  if (s.startsWith('42["message",')) {
    const i = s.indexOf('"body":"');
    if (i >= 0) delivery(conn, s, i + 8);
    return;
  }
  if (s.startsWith("43")) {
    let p = 2;
    let id = 0;
    let d = s.charCodeAt(p);
    while (d >= 48 && d <= 57) {
      id = id * 10 + (d - 48);
      d = s.charCodeAt(++p);
    }
    if (id >= JOIN_ACK_BASE) {
      conn.joins.get(id)?.resolve();
      conn.joins.delete(id);
    } else {
      acked(conn, id, st !== null && st.mode === "room" ? roomRecipients : 1);
    }
    return;
  }
  if (s === "2") conn.ws.send("3");
}

// ---------------------------------------------------------------------------------------------
// Worker state

let system = "chatplatform";
let conns = [];
let disconnects = 0;
let lastEventAt = 0;
let roomRecipients = 0;
let st = null; // the stage being run
let storm = null; // the storm being run

let socketIoClient = "library";

function newConn(idx, user, local) {
  if (system === "chatplatform") return new ChatPlatformConn(idx, user, local);
  return socketIoClient === "raw" ? new SocketIoRawConn(idx, user, local) : new SocketIoConn(idx, user, local);
}

const ID_STRIDE = 10_000_000; // ids are stage * stride + seq, so a late ack of an old stage is known

function delivery(conn, s, i) {
  const kind = s.charCodeAt(i);
  if (kind === 80 /* P */) return probeDelivered(conn, s, i);
  if (kind !== 66 /* B */) return;
  parseBody(s, i);
  const now = nowUs();
  if (st === null || fields[0] !== st.id) {
    if (st !== null) st.late++;
    return;
  }
  const gs = fields[1];
  const k = fields[2];
  const t = fields[3];
  st.receivedAll++;
  const last = conn.last;
  if (st.mode === "direct") {
    let bits = st.recvBits.get(gs);
    if (bits === undefined) st.recvBits.set(gs, (bits = new Bits()));
    if (bits.set(k)) {
      st.duplicates++;
      return;
    }
    if (last !== undefined) {
      if (k < last[gs]) st.reordered++;
      else last[gs] = k;
    }
  } else if (last !== undefined) {
    // Room: one sender's messages reach a member in order, so a seq not above the last one is
    // a duplicate or out of order.
    if (k <= last[gs]) {
      st.duplicates++;
      return;
    }
    last[gs] = k;
  }
  st.received++;
  const b = Math.floor((now - st.t0) / 10_000);
  if (b >= 0 && b < st.recvBuckets.length) st.recvBuckets[b]++;
  if (t >= st.winStart && t < st.winEnd) st.latency.push(Math.min(now - t, 0xffffffff));
}

function acked(conn, id, recipients) {
  const s = conn.sender;
  if (storm !== null && conn === storm.prober) return probeAcked();
  if (st === null || s === undefined || Math.floor(id / ID_STRIDE) !== st.id) return;
  const k = id % ID_STRIDE;
  if (s.ackBits.set(k)) return;
  s.outstanding--;
  st.acked++;
  st.expected += recipients;
  const t = s.sentAt.get(k);
  if (t >= st.winStart && t < st.winEnd) st.ackLatency.push(Math.min(nowUs() - t, 0xffffffff));
}

function refused(conn, id, code) {
  if (storm !== null && conn === storm.prober) return probeRefused(code);
  const s = conn.sender;
  if (st === null || s === undefined || Math.floor(id / ID_STRIDE) !== st.id) return;
  if (s.ackBits.set(id % ID_STRIDE)) return;
  s.outstanding--;
  s.refusedBits.set(id % ID_STRIDE);
  st.refused[code] = (st.refused[code] ?? 0) + 1;
}

function closed(conn) {
  disconnects++;
  if (st !== null) st.disconnects++;
  if (storm !== null) stormClosed(conn);
}

// ---------------------------------------------------------------------------------------------
// Sending on schedule

function sendDue(now) {
  for (const s of st.senders) {
    while (s.next <= now && s.next < st.end) {
      if (s.outstanding >= st.maxOutstanding || !s.conn.open) st.skipped++;
      else sendOne(s, s.next, now);
      s.n++;
      s.next = Math.round(st.t0 + s.phase + s.n * s.interval);
    }
  }
}

function sendOne(s, t, now) {
  const k = s.k++;
  s.sentAt.set(k, t);
  s.outstanding++;
  st.sent++;
  const b = Math.floor((now - st.t0) / 10_000);
  if (b >= 0 && b < st.sendBuckets.length) st.sendBuckets[b]++;
  if (t >= st.winStart && t < st.winEnd) st.lag.push(Math.min(now - t, 0xffffffff));
  const body = makeBody("B", st.id, s.gs, k, t);
  if (st.mode === "direct") {
    const target = s.targets[s.ti];
    s.ti = s.ti + 1 === s.targets.length ? 0 : s.ti + 1;
    s.conn.sendDirect(st.id * ID_STRIDE + k, target, body);
  } else {
    s.conn.sendRoom(st.id * ID_STRIDE + k, st.room, body);
  }
}

function tick() {
  if (st === null || st.sendDone) return;
  const now = nowUs();
  sendDue(now);
  if (now >= st.end) {
    st.sendDone = true;
    st.resolveSendDone();
  } else {
    setTimeout(tick, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// The storm: clients whose gateway is killed reconnect to a survivor; a prober on another
// gateway sends each one a direct message once it is back, and again every second until one
// arrives.

function stormClosed(conn) {
  const c = storm.state.get(conn);
  if (c === undefined) return;
  if (c.closedAt === 0) c.closedAt = nowUs();
  setTimeout(() => stormReconnect(conn, c, 0), Math.random() * storm.jitterMs);
}

async function stormReconnect(conn, c, attempt) {
  const s = storm;
  if (s === null || s.finished) return;
  try {
    await conn.connect(s.survivorUrl, s.connectTimeoutMs);
    if (s.finished) return;
    c.reconnectedAt = nowUs();
    stormProbe(conn, c);
  } catch (e) {
    if (s.finished) return;
    s.connectErrors[e.code] = (s.connectErrors[e.code] ?? 0) + 1;
    const backoff = Math.min(2000, 250 * 2 ** attempt) + Math.random() * 250;
    setTimeout(() => stormReconnect(conn, c, attempt + 1), backoff);
  }
}

function stormProbe(conn, c) {
  if (c.queued || c.routableAt !== 0) return;
  c.queued = true;
  storm.queue.push(conn);
  stormPump();
}

function stormPump() {
  while (storm.inflight < storm.maxInflight && storm.queue.length > 0 && storm.prober.open) {
    const conn = storm.queue.shift();
    const c = storm.state.get(conn);
    c.queued = false;
    if (c.routableAt !== 0) continue;
    c.probedAt = nowUs();
    storm.probes++;
    storm.inflight++;
    storm.prober.sendDirect(++storm.probeSeq, conn.user, makeBody("P", 0, conn.idx, storm.probes, c.probedAt));
  }
}

function probeAcked() {
  storm.inflight--;
  stormPump();
}

function probeRefused(code) {
  storm.probeErrors[code] = (storm.probeErrors[code] ?? 0) + 1;
  probeAcked();
}

function probeDelivered(conn, s, i) {
  if (storm === null) return;
  const c = storm.state.get(conn);
  if (c !== undefined && c.routableAt === 0) {
    c.routableAt = nowUs();
    storm.routable++;
    if (storm.routable === storm.state.size) storm.allRoutable();
  }
}

// ---------------------------------------------------------------------------------------------
// Commands from the coordinator

async function connectAll(list, { url, concurrency, timeoutMs, retries, deadlineMs }) {
  const connectMs = new Float64Array(list.length).fill(NaN);
  const errors = {};
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  async function lane() {
    while (next < list.length && Date.now() < deadline) {
      const i = next++;
      const spec = list[i];
      const conn = newConn(conns.length + i, spec.user, spec.local);
      for (let attempt = 0; attempt <= retries && Date.now() < deadline; attempt++) {
        try {
          connectMs[i] = await conn.connect(spec.url ?? url, timeoutMs);
          break;
        } catch (e) {
          errors[e.code] = (errors[e.code] ?? 0) + 1;
          await sleep(Math.min(2000, 100 * 2 ** attempt) + Math.random() * 100);
        }
      }
      list[i] = conn;
    }
  }
  const base = conns.length;
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane));
  for (let i = 0; i < list.length; i++) {
    if (list[i].connect === undefined) list[i] = newConn(base + i, list[i].user, list[i].local);
    conns.push(list[i]);
  }
  return { connected: list.filter((c) => c.open).length, connectMs, errors };
}

const handlers = {
  async init({ system: s, bodyBytes, socketIoClient: client }) {
    system = s;
    socketIoClient = client ?? "library";
    bodyChars = bodyBytes - 2;
    padding = "x".repeat(Math.max(bodyChars, 1));
    return {};
  },

  async connect(m) {
    return connectAll(m.conns, m);
  },

  async join({ room, concurrency }) {
    let next = 0;
    let joined = 0;
    const errors = {};
    async function lane() {
      while (next < conns.length) {
        const conn = conns[next++];
        if (!conn.open) continue;
        try {
          await conn.join(room);
          joined++;
        } catch (e) {
          errors[e.code] = (errors[e.code] ?? 0) + 1;
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane));
    return { joined, errors };
  },

  async status() {
    return { open: conns.filter((c) => c.open).length, disconnects, lastEventAt };
  },

  async stage(m) {
    roomRecipients = m.roomRecipients ?? 0;
    const span = m.end - m.t0 + m.tailUs;
    st = {
      id: m.id,
      mode: m.mode,
      room: m.room,
      t0: m.t0,
      winStart: m.winStart,
      winEnd: m.winEnd,
      end: m.end,
      maxOutstanding: m.maxOutstanding,
      sent: 0,
      skipped: 0,
      acked: 0,
      expected: 0,
      refused: {},
      received: 0,
      receivedAll: 0,
      duplicates: 0,
      reordered: 0,
      late: 0,
      disconnects: 0,
      latency: new Grow(Uint32Array, 1 << 16),
      ackLatency: new Grow(Uint32Array, 1 << 14),
      lag: new Grow(Uint32Array, 1 << 14),
      recvBuckets: new Uint32Array(Math.ceil(span / 10_000)),
      sendBuckets: new Uint32Array(Math.ceil(span / 10_000)),
      recvBits: new Map(),
      senders: [],
      sendDone: false,
    };
    for (const conn of conns) conn.last = new Int32Array(m.senderCount).fill(-1);
    for (const spec of m.senders) {
      const conn = conns[spec.conn];
      const interval = 1e6 / spec.rate;
      const sender = {
        conn,
        gs: spec.gs,
        targets: spec.targets,
        ti: 0,
        interval,
        phase: Math.random() * interval,
        n: 0,
        next: 0,
        k: 0,
        outstanding: 0,
        sentAt: new Grow(Float64Array, 1024),
        ackBits: new Bits(),
        refusedBits: new Bits(),
      };
      sender.next = Math.round(m.t0 + sender.phase);
      conn.sender = sender;
      st.senders.push(sender);
    }
    const done = new Promise((resolve) => (st.resolveSendDone = resolve));
    setTimeout(tick, Math.max(0, (m.t0 - nowUs()) / 1000));
    await done;
    return { sent: st.sent };
  },

  async progress() {
    if (st === null) return {};
    let outstanding = 0;
    for (const s of st.senders) outstanding += s.outstanding;
    return { sent: st.sent, acked: st.acked, expected: st.expected, received: st.received, outstanding };
  },

  async collect() {
    const s = st;
    st = null;
    let outstanding = 0;
    const ackBits = [];
    for (const sender of s.senders) {
      outstanding += sender.outstanding;
      sender.conn.sender = undefined;
      // Acked = answered and not refused: what the system promised to deliver.
      const a = sender.ackBits.a;
      const r = sender.refusedBits.a;
      const promised = new Uint8Array(a.length);
      for (let i = 0; i < a.length; i++) promised[i] = a[i] & ~(r[i] ?? 0);
      ackBits.push([sender.gs, promised]);
    }
    return {
      sent: s.sent,
      skipped: s.skipped,
      acked: s.acked,
      expected: s.expected,
      refused: s.refused,
      unanswered: outstanding,
      received: s.received,
      receivedAll: s.receivedAll,
      duplicates: s.duplicates,
      reordered: s.reordered,
      late: s.late,
      disconnects: s.disconnects,
      latency: s.latency.view(),
      ackLatency: s.ackLatency.view(),
      lag: s.lag.view(),
      recvBuckets: s.recvBuckets,
      sendBuckets: s.sendBuckets,
      ackBits: s.mode === "direct" ? ackBits : [],
      recvBits: s.mode === "direct" ? [...s.recvBits].map(([gs, b]) => [gs, b.a]) : [],
    };
  },

  async stormArm({ prober, survivorUrl, jitterMs, connectTimeoutMs, maxInflight }) {
    storm = {
      survivorUrl,
      jitterMs,
      connectTimeoutMs,
      maxInflight,
      state: new Map(),
      queue: [],
      inflight: 0,
      probes: 0,
      probeSeq: 0,
      routable: 0,
      connectErrors: {},
      probeErrors: {},
      finished: false,
      allRoutable: () => {},
    };
    for (const conn of conns) {
      if (conn.open) storm.state.set(conn, { closedAt: 0, reconnectedAt: 0, routableAt: 0, probedAt: 0, queued: false });
    }
    storm.prober = newConn(-1, prober.user, prober.local);
    await storm.prober.connect(prober.url, connectTimeoutMs);
    return { clients: storm.state.size };
  },

  async stormRun({ deadlineUs }) {
    const done = new Promise((resolve) => (storm.allRoutable = resolve));
    const reprobe = setInterval(() => {
      const now = nowUs();
      for (const [conn, c] of storm.state) {
        if (c.reconnectedAt !== 0 && c.routableAt === 0 && !c.queued && now - c.probedAt > 1_000_000) stormProbe(conn, c);
      }
    }, 100);
    if (storm.state.size === 0) storm.allRoutable();
    await Promise.race([done, sleep(Math.max(0, (deadlineUs - nowUs()) / 1000))]);
    clearInterval(reprobe);
    storm.finished = true;
    const pick = (key) => Float64Array.from([...storm.state.values()].map((c) => c[key]));
    const result = {
      closedAt: pick("closedAt"),
      reconnectedAt: pick("reconnectedAt"),
      routableAt: pick("routableAt"),
      probes: storm.probes,
      connectErrors: storm.connectErrors,
      probeErrors: storm.probeErrors,
    };
    storm.prober.close();
    storm = null;
    return result;
  },

  async close({ hard }) {
    for (const conn of conns) {
      if (hard) conn.terminate();
      else conn.close();
    }
    await sleep(hard ? 100 : 1000);
    for (const conn of conns) if (conn.open) conn.terminate();
    conns = [];
    return {};
  },
};

process.on("message", async (m) => {
  try {
    const result = await handlers[m.cmd](m);
    process.send({ re: m.seq, ok: true, result });
  } catch (e) {
    process.send({ re: m.seq, ok: false, error: String(e?.stack ?? e) });
  }
});
process.on("disconnect", () => process.exit(0));
