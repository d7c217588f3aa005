// Resuming a connection (docs/protocol.md, "Resuming a connection"): the session of the last
// welcome, and the address that asks a gateway to put a new connection where the old one was,
// naming the offset of the last message the page got on each stream.
//
// The session and those offsets are also kept in sessionStorage, so that reloading the tab and
// signing in again as the same user within the recovery window (2 minutes) picks up where the
// page was: its rooms come back without joining them again, and what was sent meanwhile arrives
// once. People reload a chat tab to refresh it, not to leave its rooms or lose what was said in
// the meantime. sessionStorage ends with the tab and signing out clears it; and a session lets
// no one in by itself: the gateway resumes it only for a connection signed in as the same user.

import { state } from './state.js';
import { currentConversation, findConversation, key } from './conversations.js';
import { clearPositions, restorePositions, streamPositions } from './streams.js';
import { forgetResume, rememberResume, rememberedResume } from './storage.js';

// Browsers take far longer URLs, but servers and proxies refuse request lines over 8 KB by
// default (Kestrel, nginx), and one stream per room adds up (a connection can be in 100 rooms).
// Streams that do not fit resume where the old connection started in them, and what the page
// already has is not shown twice.
export const MAX_URL_LENGTH = 6144;
// Offsets kept for a reload: the most recently active streams.
const MAX_KEPT_POSITIONS = 200;

let session = null;     // { user, value }: the session of the last welcome
let resumedWith = null; // the session the connection being opened asked to resume

/** The stream's room conversation, if the stream is a room's (room:<name>). */
function roomOf(stream) {
  return stream.startsWith('room:') ? findConversation(key('room', stream.slice(5))) : undefined;
}

/** The streams to name, most useful first: this user's own, the open room's, then by activity; not those of rooms the page left. */
function sinceCandidates() {
  const own = state.me !== null ? `user:${state.me}` : null;
  const open = currentConversation();
  const openStream = open && open.kind === 'room' ? `room:${open.name}` : null;
  const rank = (stream) => (stream === own ? 0 : stream === openStream ? 1 : 2);
  return streamPositions()
    .filter(({ stream }) => {
      const room = roomOf(stream);
      return !room || room.joined;
    })
    .map((position, index) => ({ ...position, index }))
    .sort((a, b) => rank(a.stream) - rank(b.stream) || a.index - b.index);
}

/**
 * The WebSocket address for the next connection: base (with its sign-in query) and, when the
 * page has a session, resume= and one since= per stream, as many as fit in MAX_URL_LENGTH.
 */
export function connectionUrl(base) {
  resumedWith = null;
  if (!state.signedIn && session === null) {
    // The first connection since signing in: a session this tab kept before a reload, if it is the same user's.
    const kept = rememberedResume();
    if (kept && (state.credentials.user === undefined || kept.user === state.credentials.user)) {
      session = { user: kept.user, value: kept.session };
      restorePositions(kept.positions);
    } else if (kept) {
      forgetResume();
    }
  }
  if (session === null) return base;
  let url = `${base}&resume=${encodeURIComponent(session.value)}`;
  if (url.length > MAX_URL_LENGTH) return base;
  for (const { stream, offset } of sinceCandidates()) {
    const since = `&since=${encodeURIComponent(`${stream}:${offset}`)}`;
    if (url.length + since.length <= MAX_URL_LENGTH) url += since;
  }
  resumedWith = session.value;
  return url;
}

/**
 * A welcome frame: keeps its session for the next connection. True when this connection asked
 * to resume and the gateway resumes sessions (its welcome has one): a recovered frame follows.
 */
export function keepSession(frame) {
  const resumed = resumedWith !== null && typeof frame.session === 'string';
  resumedWith = null;
  session = typeof frame.session === 'string' && frame.session !== '' ? { user: frame.user, value: frame.session } : null;
  persistResume();
  return resumed;
}

/** Keeps the session and the page's place in each stream for a reload of this tab. */
export function persistResume() {
  if (session === null || !state.credentials) return;
  rememberResume({ user: session.user, session: session.value, positions: streamPositions().slice(0, MAX_KEPT_POSITIONS) });
}

/** Signing out: the session is forgotten, here and in the tab's storage. */
export function forgetSession() {
  session = null;
  resumedWith = null;
  forgetResume();
  clearPositions();
}
