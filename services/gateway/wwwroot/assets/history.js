// History (docs/protocol.md, "history"): a room's last messages when it is opened, older ones on
// request, and the direct messages others sent this user, merged into the timelines where they
// belong, each once. A conversation that may have missed messages (a reconnect that could not
// recover them all) is read again, and says so when the gap could not be filled.

import { request } from './requests.js';
import { allConversations, currentConversation } from './conversations.js';
import { isStored, lastOffset, noteHistory } from './streams.js';
import { entryOf, placeOf } from './messages.js';
import { addEntry, insertEntry } from './timeline.js';
import { renderOlder } from './conversation-view.js';
import { renderSidebar } from './sidebar.js';
import { announce } from './announcer.js';
import { describeError } from './errors.js';
import { plural } from './format.js';

// Messages per request: the newest on opening a room, then each "load older" page.
const PAGE = 50;

// The gateway answered history with unknown_type (a version without it): not asked again on this connection.
let unsupported = false;

/** A new connection: its gateway may know history even if the last one did not. */
export function historyConnected() {
  unsupported = false;
}

function roomStream(conversation) { return `room:${conversation.name}`; }

function messagesOf(answer) {
  return Array.isArray(answer.messages)
    ? answer.messages.filter((message) => message && typeof message === 'object' && isStored(message)
      && message.from && (typeof message.from.user === 'string' || typeof message.from.system === 'string'))
    : [];
}

/** Offsets of a stream's earlier epoch do not compare with the new one's: the entries keep their place and their ids only. */
function forgetOffsets(stream) {
  for (const conversation of allConversations()) {
    for (const entry of conversation.entries) {
      if (entry.stream === stream) entry.offset = undefined;
    }
  }
}

/** Puts a history answer's messages into their conversations; returns them, and how many were new to the page. */
function merge(answer) {
  const messages = messagesOf(answer).sort((a, b) => a.offset - b.offset);
  const stream = typeof answer.stream === 'string' && answer.stream !== '' ? answer.stream : messages.length > 0 ? messages[0].stream : null;
  const epochChanged = stream !== null && noteHistory(stream, answer.epoch, messages);
  if (epochChanged) forgetOffsets(stream);
  let added = 0;
  for (const frame of messages) {
    const place = placeOf(frame);
    if (place && insertEntry(place.conversation, entryOf(frame, place.tag))) added += 1;
  }
  return { messages, added, epochChanged };
}

/** A full page whose oldest message is not the stream's first: there are older ones. */
function olderAfter(messages) {
  return messages.length >= PAGE && messages[0].offset > 1;
}

/** Says in a conversation that messages may be missing from it. */
export function noteMissing(conversation) {
  addEntry(conversation, {
    kind: 'event',
    style: 'warning',
    text: 'Some messages may be missing: not everything sent while you were away could be recovered.',
    ts: Date.now(),
  });
}

/**
 * Reads a room's last messages, once per connection unless it may have missed some since: when
 * it is opened (joined or chosen), and when it is open after a reconnect.
 */
export function loadRoomHistory(conversation) {
  const history = conversation.history;
  if (conversation.kind !== 'room' || !conversation.joined || history.loading || history.loaded) return;
  if (unsupported) {
    if (history.checkGap) {
      history.checkGap = false;
      noteMissing(conversation);
    }
    return;
  }
  const checkGap = history.checkGap === true;
  // Where the page was in the room's stream before reading: a gap after it is one it cannot fill.
  const had = lastOffset(roomStream(conversation));
  history.loading = true;
  const error = request({ type: 'history', room: conversation.name, limit: PAGE }, (answer) => {
    history.loading = false;
    if (answer.type === 'history') {
      history.loaded = true;
      history.checkGap = false;
      const { messages, epochChanged } = merge(answer);
      history.more = history.more || olderAfter(messages);
      if (checkGap && had > 0 && (epochChanged || (messages.length > 0 && messages[0].offset > had + 1))) noteMissing(conversation);
    } else if (answer.type === 'error') {
      // Not read on this connection: a later opening asks again (unless the gateway does not know history).
      if (answer.code === 'unknown_type') unsupported = true;
      if (checkGap) {
        history.checkGap = false;
        noteMissing(conversation);
      }
    }
    if (conversation === currentConversation()) renderOlder();
  });
  if (error) history.loading = false;
}

/** The room may have missed messages (a reconnect that did not recover them): read again, now if it is open. */
export function reloadHistory(conversation, { checkGap = false } = {}) {
  conversation.history.loaded = false;
  if (checkGap) conversation.history.checkGap = true;
  if (conversation === currentConversation()) loadRoomHistory(conversation);
}

/** Loads the page of messages before the oldest the open room shows ("Load older messages"). */
export function loadOlder(conversation) {
  const history = conversation.history;
  if (conversation.kind !== 'room' || !conversation.joined || history.loadingOlder || unsupported) return;
  const stream = roomStream(conversation);
  let before = 0;
  for (const entry of conversation.entries) {
    if (entry.stream === stream && entry.offset !== undefined && (before === 0 || entry.offset < before)) before = entry.offset;
  }
  if (before <= 1) {
    history.more = false;
    renderOlder();
    return;
  }
  history.loadingOlder = true;
  const error = request({ type: 'history', room: conversation.name, limit: PAGE, before }, (answer) => {
    history.loadingOlder = false;
    if (answer.type === 'history') {
      const { messages, added } = merge(answer);
      history.more = olderAfter(messages);
      announce(added > 0 ? `${plural(added, 'older message', 'older messages')} loaded.` : 'There are no older messages.');
    } else if (answer.type === 'error') {
      announce(`Older messages not loaded. ${describeError(answer.code, answer.message)}`);
    } else {
      announce('Older messages not loaded: the connection dropped.');
    }
    if (conversation === currentConversation()) renderOlder();
  });
  if (error) {
    history.loadingOlder = false;
    announce('Older messages not loaded: the page is not connected.');
  }
  renderOlder();
}

/**
 * Reads the direct messages others sent this user (the user's own stream; what the user sent
 * them is in their streams, which only they can read), into a conversation with each sender.
 */
export function loadDirectHistory() {
  if (unsupported) return;
  request({ type: 'history', user: true, limit: PAGE }, (answer) => {
    if (answer.type === 'history') {
      merge(answer);
      renderSidebar();
    } else if (answer.type === 'error' && answer.code === 'unknown_type') {
      unsupported = true;
    }
  });
}

/** A reconnect that could not recover everything: the rooms are read again (the open one now), and the direct messages. */
export function reloadEverything() {
  for (const conversation of allConversations()) {
    if (conversation.kind === 'room' && conversation.joined) reloadHistory(conversation);
  }
  loadDirectHistory();
}
