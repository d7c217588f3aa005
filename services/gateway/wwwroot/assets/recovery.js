// The end of a resume (docs/protocol.md, "Resuming a connection"). After a resumed connection's
// welcome, the messages the old connection missed arrive first (messages.js shows them), then a
// recovered frame names the rooms the gateway restored: the page is back in those without
// joining them, and joins the others again. When the gateway could not recover everything, the
// page says so in the conversations it shows and reads their history again.

import { state } from './state.js';
import { allConversations, conversationFor, currentConversation } from './conversations.js';
import { rejoinRooms } from './rooms.js';
import { loadDirectHistory, noteMissing, reloadEverything } from './history.js';
import { persistResume } from './resume.js';
import { renderSidebar } from './sidebar.js';
import { renderHeader, renderOlder } from './conversation-view.js';
import { announce } from './announcer.js';
import { plural } from './format.js';

// A gateway that resumes sessions ends every resume with a recovered frame. Should none come
// this long after the welcome or the last message recovered, the page goes on without it.
const RECOVERY_TIMEOUT_MS = 15000;

let waiting = null; // { firstConnection, timer } while a resume's recovered frame is due

function restartTimer() {
  clearTimeout(waiting.timer);
  waiting.timer = setTimeout(() => onRecovered({ rooms: [], messages: 0, complete: false }), RECOVERY_TIMEOUT_MS);
}

/** A resumed connection was welcomed: its recovered frame is due. firstConnection: the first since signing in (a reloaded page). */
export function awaitRecovery(firstConnection) {
  cancelRecovery();
  waiting = { firstConnection, timer: null };
  restartTimer();
}

/** A recovered message arrived: the recovery is under way. */
export function recovering() {
  if (waiting) restartTimer();
}

/** The connection closed: the recovered frame it owed will not come. */
export function cancelRecovery() {
  if (!waiting) return;
  clearTimeout(waiting.timer);
  waiting = null;
}

/** A recovered frame: { rooms, messages, complete }. */
export function onRecovered(frame) {
  if (!waiting) return;
  const { firstConnection } = waiting;
  cancelRecovery();
  const restored = new Set(Array.isArray(frame.rooms) ? frame.rooms.filter((room) => typeof room === 'string') : []);
  const complete = frame.complete !== false;
  const count = Number.isSafeInteger(frame.messages) && frame.messages > 0 ? frame.messages : 0;

  // A reloaded page has no rooms yet: those restored are its rooms again.
  for (const name of restored) conversationFor('room', name).joined = true;
  // Rooms not restored are joined again and read again; after a complete recovery, a gap their
  // history cannot fill is worth a note (an incomplete one has its note already).
  rejoinRooms(restored, { checkGap: complete });
  if (!complete) {
    // A reloaded page shows nothing that could have a gap; otherwise the open conversation and the rooms may.
    if (!firstConnection) {
      for (const conversation of allConversations()) {
        if ((conversation.kind === 'room' && conversation.joined) || conversation === currentConversation()) noteMissing(conversation);
      }
    }
    reloadEverything();
  } else if (firstConnection) {
    loadDirectHistory();
  }

  renderSidebar();
  if (currentConversation()) {
    renderHeader();
    renderOlder();
  }
  persistResume();

  const recovered = count > 0 ? ` ${plural(count, 'message', 'messages')} sent while you were away ${count === 1 ? 'is' : 'are'} shown.` : '';
  const missing = complete || firstConnection ? '' : ' Some messages may be missing.';
  const where = firstConnection
    ? (restored.size > 0 ? `You are back in ${plural(restored.size, 'room', 'rooms')}.` : '')
    : `Reconnected to ${state.gateway}.`;
  const text = `${where}${recovered}${missing}`.trim();
  if (text) announce(text);
}
