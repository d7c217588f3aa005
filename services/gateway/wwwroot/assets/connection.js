// The page's WebSocket to its gateway (docs/protocol.md): signing in and out, each connection
// from opening to closing, the frames it receives, and reconnecting with backoff after a drop
// (resuming the last connection's session: resume.js), unless the token expired (then
// renewal.js asks for a fresh one) or a backend disconnected the user (4000: not reconnected).

import { state } from './state.js';
import { ui } from './elements.js';
import { gatewayUrl } from './gateway.js';
import { isExpired } from './token.js';
import { setStatus, showRetry, stopCountdown } from './status.js';
import { failPending, settle } from './requests.js';
import { askForFreshToken } from './renewal.js';
import { failSignIn, refusalMessage } from './signin.js';
import { onWelcome, signedOut } from './session.js';
import { onMessage } from './messages.js';
import { connectionUrl } from './resume.js';
import { cancelRecovery, onRecovered, recovering } from './recovery.js';
import { onMembership } from './rooms.js';
import { allConversations } from './conversations.js';
import { addEntry } from './timeline.js';
import { renderComposerState } from './composer.js';
import { describeError, setError } from './errors.js';
import { announce } from './announcer.js';

const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 30000;
const CONNECT_TIMEOUT_MS = 15000;

// A backend disconnected the user through the server API (docs/api.md, "Moderation").
const DISCONNECTED_BY_SERVER = 4000;

const CLOSE_REASONS = {
  1000: 'the connection was closed',
  1001: 'the gateway is shutting down',
  1003: 'the gateway accepts only text frames',
  1006: 'the connection dropped',
  1007: 'a frame was not valid UTF-8',
  1008: 'the gateway closed the connection (policy)',
  1009: 'a message was too large',
  1011: 'the gateway had an internal error',
};

let attempt = 0;
let reconnectTimer = null;
let connectTimer = null;

/** Signs in with { user } or { token }: the sign-in view stays until the gateway welcomes the connection. */
export function signIn(credentials) {
  state.credentials = credentials;
  state.signedIn = false;
  attempt = 0;
  ui.signinError.textContent = '';
  connect();
}

/** Connects again with a fresh token, keeping the conversations. */
export function renewWith(token) {
  state.credentials = { token };
  state.renewing = true;
  attempt = 0;
  connect();
}

export function signOut() {
  state.credentials = null;
  clearTimeout(reconnectTimer);
  stopCountdown();
  clearTimeout(connectTimer);
  const socket = state.socket;
  state.socket = null;
  failPending();
  if (socket) socket.close(1000, 'signed out');
  signedOut();
}

/** Reconnects without waiting for the next attempt, if the page is waiting for one. */
export function reconnectNow() {
  if (state.credentials && !state.socket) connect();
}

/** The browser is online again: a reconnect that waits for its delay goes now. */
export function onOnline() {
  if (state.credentials && reconnectTimer) connect();
}

function connect() {
  clearTimeout(reconnectTimer);
  stopCountdown();
  reconnectTimer = null;
  if (state.credentials.token !== undefined && isExpired(state.credentials.token)) {
    // The gateway would refuse it, or close the connection at once: ask for a fresh one instead.
    if (state.signedIn) askForFreshToken();
    else failSignIn('This access token has expired. Get a fresh one.');
    return;
  }
  const query = state.credentials.token !== undefined
    ? `access_token=${encodeURIComponent(state.credentials.token)}`
    : `user=${encodeURIComponent(state.credentials.user)}`;
  let socket;
  try {
    socket = new WebSocket(connectionUrl(`${gatewayUrl()}?${query}`));
  } catch (exception) {
    failSignIn(`Could not open a WebSocket to ${gatewayUrl()}: ${exception.message}`);
    return;
  }
  state.socket = socket;
  setStatus(state.signedIn ? 'reconnecting' : 'connecting', state.signedIn ? 'Reconnecting…' : 'Connecting…');

  // A connection that neither opens nor fails in time is given up on.
  connectTimer = setTimeout(() => {
    if (state.socket === socket && socket.readyState === WebSocket.CONNECTING) socket.close();
  }, CONNECT_TIMEOUT_MS);

  socket.addEventListener('message', (event) => {
    if (state.socket === socket) onFrame(event.data);
  });
  socket.addEventListener('close', (event) => {
    if (state.socket === socket) onClose(event);
  });
}

function onFrame(data) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return;
  }
  if (!frame || typeof frame !== 'object') return;

  switch (frame.type) {
    case 'welcome':
      clearTimeout(connectTimer);
      attempt = 0;
      stopCountdown();
      onWelcome(frame);
      break;
    case 'message':
      if (frame.recovered === true) recovering();
      onMessage(frame);
      break;
    case 'recovered': onRecovered(frame); break;
    case 'joined':
    case 'left': onMembership(frame); break;
    case 'ack':
    case 'presence':
    case 'history':
    case 'error':
      if (!settle(frame) && frame.type === 'error') {
        setError(ui.generalError, frame.code, frame.message);
        announce(describeError(frame.code, frame.message));
      }
      break;
    default: break; // newer frame types are ignored
  }
}

function onClose(event) {
  clearTimeout(connectTimer);
  state.socket = null;
  const wasConnected = state.status === 'connected';
  cancelRecovery();
  failPending();

  if (!state.credentials) return; // signed out

  if (event.code === DISCONNECTED_BY_SERVER) {
    disconnectedByServer(event.reason || 'disconnected by the server');
    return;
  }

  const tokenExpired = event.code === 1008 && typeof event.reason === 'string' && event.reason.startsWith('token expired');

  if (!state.signedIn) {
    // The first connection never got its welcome: the gateway refused the upgrade or could
    // not be reached.
    const credentials = state.credentials;
    state.credentials = null;
    setStatus('failed', 'Not connected');
    refusalMessage(credentials, tokenExpired).then((message) => {
      if (!state.credentials) failSignIn(message); // unless the person signed in again meanwhile
    });
    return;
  }

  if (state.renewing) {
    // A fresh token that did not get a welcome: say so rather than retry with it.
    state.renewing = false;
    askForFreshToken(tokenExpired
      ? 'That token expired too.'
      : 'The gateway did not accept that token: it may be malformed, expired or issued for another service. If it is fine, the gateway may be restarting; try again in a moment.');
    return;
  }

  if (tokenExpired) {
    warnJoinedRooms('Disconnected: your access token expired.');
    askForFreshToken();
    return;
  }

  // The gateway's own reason says more for policy closes (1008: which limit); otherwise the plain words do.
  const plain = CLOSE_REASONS[event.code] || `closed with code ${event.code}`;
  const reason = !wasConnected ? 'the gateway could not be reached'
    : event.reason && (event.code === 1008 || !CLOSE_REASONS[event.code]) ? `${plain}: ${event.reason}` : plain;
  if (wasConnected) {
    warnJoinedRooms(`Disconnected (${reason}).`);
    announce(`Disconnected: ${reason}. Reconnecting.`);
  }
  scheduleReconnect(reason, event.code);
}

/** Closed with 4000: said where it shows, and not reconnected; signing out and in again is the way back. */
function disconnectedByServer(reason) {
  const text = `Disconnected by the server: ${reason}`;
  if (!state.signedIn) {
    failSignIn(`${text}.`);
    return;
  }
  state.renewing = false;
  warnJoinedRooms(`${text}.`);
  setStatus('failed', 'Disconnected by the server', `: ${reason}`);
  announce(`${text}. The page will not reconnect; sign out and in again to continue.`);
  renderComposerState();
}

function warnJoinedRooms(text) {
  for (const conversation of allConversations()) {
    if (conversation.kind === 'room' && conversation.joined) {
      addEntry(conversation, { kind: 'event', style: 'warning', text, ts: Date.now() });
    }
  }
}

function scheduleReconnect(reason, code) {
  attempt += 1;
  // Exponential backoff with jitter: half the step fixed, half random, capped.
  const step = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (attempt - 1));
  const delay = code === 1001 && attempt === 1 ? 250 + Math.random() * 500 : step / 2 + Math.random() * step / 2;
  setStatus('reconnecting', 'Offline', `: ${reason}; attempt ${attempt}`);
  showRetry(Date.now() + delay);
  reconnectTimer = setTimeout(connect, delay);
  renderComposerState();
}
