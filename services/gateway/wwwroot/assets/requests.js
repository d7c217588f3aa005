// Frames to the gateway and their answers. Each request gets a fresh id; its answer (ack,
// presence or error) is matched back by that id. Outgoing frames go through a token bucket so
// the page never trips the gateway's rate limit.

import { state } from './state.js';

export const MAX_FRAME_BYTES = 65536;
// The gateway allows 20 frames a second with bursts of 50; stay well inside that.
const SEND_RATE_PER_SECOND = 10;
const SEND_BURST = 20;

let nextId = 1;
const pending = new Map(); // request id -> { sent, answer(frame) }
const outbox = [];
let tokens = SEND_BURST;
let refilledAt = performance.now();
let drainTimer = null;

/**
 * Queues a frame with a fresh id; answer(frame) gets its ack, presence answer or error, or
 * { type: 'lost' } if the connection dropped first. Returns an error code when it was not queued.
 */
export function request(frame, answer) {
  if (!state.socket || state.socket.readyState !== WebSocket.OPEN || state.status !== 'connected') {
    return 'not_connected';
  }
  const id = String(nextId++);
  const text = JSON.stringify({ type: frame.type, id, ...frame });
  if (new TextEncoder().encode(text).length > MAX_FRAME_BYTES) return 'too_large';
  pending.set(id, { sent: false, answer });
  outbox.push({ id, text });
  drain();
  return null;
}

/** Hands an answer to the request it answers; false when no request waits for it. */
export function settle(frame) {
  const key = frame.id === undefined || frame.id === null ? null : String(frame.id);
  const waiting = key !== null ? pending.get(key) : undefined;
  if (!waiting) return false;
  pending.delete(key);
  waiting.answer(frame);
  return true;
}

/** The connection is gone: drops unsent frames and answers every request with { type: 'lost' }. */
export function failPending() {
  outbox.length = 0;
  const lost = [...pending.values()];
  pending.clear();
  for (const waiting of lost) waiting.answer({ type: 'lost', sent: waiting.sent });
}

function drain() {
  const now = performance.now();
  tokens = Math.min(SEND_BURST, tokens + (now - refilledAt) * SEND_RATE_PER_SECOND / 1000);
  refilledAt = now;
  while (outbox.length > 0 && tokens >= 1 && state.socket && state.socket.readyState === WebSocket.OPEN) {
    const { id, text } = outbox.shift();
    tokens -= 1;
    const waiting = pending.get(id);
    if (waiting) waiting.sent = true;
    state.socket.send(text);
  }
  if (outbox.length > 0 && drainTimer === null) {
    drainTimer = setTimeout(() => { drainTimer = null; drain(); }, Math.ceil((1 - tokens) * 1000 / SEND_RATE_PER_SECOND) + 5);
  }
}
