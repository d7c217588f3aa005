// Where the page is in each stream it gets messages on (docs/protocol.md, "message"): a room's
// stream or this user's own. For each, the offset of the last message the page got, so that a
// resumed connection asks only for what it missed and a message the page already has is not
// shown twice, and the stream's epoch as the last history answer named it.

// Message ids the page got recently, to tell a message it already has from one of a new epoch.
const MAX_SEEN = 2000;

const positions = new Map(); // stream -> { offset, epoch, touched }
const seen = new Set();      // message ids, oldest first
let clock = 0;

/** Whether a message frame says where it is stored: a stream and an offset (messages to one connection or to everyone have neither). */
export function isStored(frame) {
  return typeof frame.stream === 'string' && frame.stream !== '' && Number.isSafeInteger(frame.offset) && frame.offset > 0;
}

function see(id) {
  if (typeof id !== 'string') return;
  seen.delete(id);
  seen.add(id);
  if (seen.size > MAX_SEEN) seen.delete(seen.values().next().value);
}

function advance(stream, offset) {
  const position = positions.get(stream);
  if (position) {
    position.offset = offset;
    position.touched = ++clock;
  } else {
    positions.set(stream, { offset, epoch: undefined, touched: ++clock });
  }
}

/**
 * A message frame that arrived (live or recovered): true when it is new to the page, false when
 * the page already has it. Per stream, a message at or below the last offset is one the page
 * has, with one exception: outside a recovery, a message the page has never seen there means
 * the stream started a new epoch (Redis lost it), and offsets count from 1 again.
 */
export function accept(frame) {
  if (!isStored(frame)) return true;
  const position = positions.get(frame.stream);
  if (position && frame.offset <= position.offset) {
    const known = typeof frame.message !== 'string' || seen.has(frame.message);
    if (known || frame.recovered === true) return false;
  }
  advance(frame.stream, frame.offset);
  see(frame.message);
  return true;
}

/**
 * A history answer's messages (oldest first) for a stream of that epoch: the page has them now.
 * Returns true when the stream's epoch changed since the page last read it, so the offsets the
 * page holds for it no longer compare with these.
 */
export function noteHistory(stream, epoch, messages) {
  const position = positions.get(stream);
  const changed = !!position && typeof epoch === 'string' && epoch !== ''
    && position.epoch !== undefined && position.epoch !== epoch;
  let newest = changed ? 0 : position ? position.offset : 0;
  for (const message of messages) {
    see(message.message);
    if (message.offset > newest) newest = message.offset;
  }
  if (newest > 0) advance(stream, newest);
  const now = positions.get(stream);
  if (now && typeof epoch === 'string' && epoch !== '') now.epoch = epoch;
  return changed;
}

/** The last offset the page got on a stream, or 0. */
export function lastOffset(stream) {
  const position = positions.get(stream);
  return position ? position.offset : 0;
}

/** Every stream the page got messages on, most recently advanced first: [{ stream, offset }]. */
export function streamPositions() {
  return [...positions.entries()]
    .sort((a, b) => b[1].touched - a[1].touched)
    .map(([stream, position]) => ({ stream, offset: position.offset }));
}

/** Positions kept from before a reload of the page, as streamPositions() gave them. */
export function restorePositions(list) {
  if (!Array.isArray(list)) return;
  for (const item of [...list].reverse()) {
    if (item && typeof item.stream === 'string' && Number.isSafeInteger(item.offset) && item.offset > 0 && !positions.has(item.stream)) {
      advance(item.stream, item.offset);
    }
  }
}

export function clearPositions() {
  positions.clear();
  seen.clear();
}
