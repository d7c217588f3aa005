// Messages: showing those that arrive, in the conversation they belong to and each once, and
// sending to the open conversation, each shown at once and then marked sent (to how many) or
// failed (why). A message a backend published (docs/api.md) comes from a system sender, never
// a user: it is shown as one, and its direct messages get a conversation of their own, which
// cannot be answered.

import { state } from './state.js';
import { request } from './requests.js';
import { conversationFor, currentConversation } from './conversations.js';
import { accept, isStored } from './streams.js';
import { addEntry, findMessage, removeEntry, updateEntry } from './timeline.js';
import { renderHeader } from './conversation-view.js';
import { renderSidebar } from './sidebar.js';
import { showComposerError } from './composer.js';
import { announce } from './announcer.js';
import { describeError } from './errors.js';

/** A body as shown: its text (a string, or an object's text), else its JSON. */
function bodyOf(body) {
  if (typeof body === 'string') return { text: body };
  if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.text === 'string') return { text: body.text };
  return { json: JSON.stringify(body, null, 2) };
}

/** The system sender of a message a backend published ("from":{"system":"billing"}), or null for a user's. */
export function systemSender(frame) {
  const from = frame.from || {};
  return typeof from.system === 'string' && from.system !== '' ? from.system : null;
}

/** Where a message frame (live, recovered or from history) is shown: { conversation, tag }, or null. */
export function placeOf(frame) {
  const from = frame.from || {};
  const to = frame.to || {};
  const system = systemSender(frame);
  if (system === null && typeof from.user !== 'string') return null;
  if (typeof to.room === 'string') return { conversation: conversationFor('room', to.room), tag: null };
  if (to.everyone === true) return { conversation: conversationFor('everyone', 'Everyone'), tag: null };
  if (system !== null) {
    if (typeof to.user === 'string') return { conversation: conversationFor('system', system), tag: null };
    if (typeof to.connection === 'string') return { conversation: conversationFor('system', system), tag: 'to this connection only' };
    return null;
  }
  if (typeof to.user === 'string') {
    return from.user === state.me
      ? { conversation: conversationFor('user', to.user), tag: 'from your other connection' }
      : { conversation: conversationFor('user', from.user), tag: null };
  }
  if (typeof to.connection === 'string') return { conversation: conversationFor('user', from.user), tag: 'to this connection only' };
  return null;
}

/** The timeline entry for a message frame. */
export function entryOf(frame, tag) {
  const { text, json } = bodyOf(frame.body);
  const system = systemSender(frame);
  const entry = {
    kind: 'message',
    mine: system === null && frame.from.user === state.me,
    from: system !== null ? system : frame.from.user,
    system: system !== null,
    text,
    json,
    tag,
    ts: typeof frame.ts === 'number' ? frame.ts : Date.now(),
    status: 'received',
  };
  if (typeof frame.message === 'string') entry.messageId = frame.message;
  if (isStored(frame)) {
    entry.stream = frame.stream;
    entry.offset = frame.offset;
  }
  return entry;
}

/** A message frame: live, or one the connection missed, sent again after a resume ("recovered": true). */
export function onMessage(frame) {
  // Per stream, a message the page already has (an offset it got) is not shown again.
  if (!accept(frame)) return;
  const from = frame.from || {};
  // This connection's own messages were shown when they were sent.
  if (from.connection && from.connection === state.connectionId) return;
  const place = placeOf(frame);
  if (!place) return;
  const entry = entryOf(frame, place.tag);
  // One the page read from history just before it arrived.
  if (findMessage(place.conversation, entry)) return;
  if (frame.recovered === true) entry.recovered = true;
  addEntry(place.conversation, entry);
  // Recovered messages are announced together, when the recovery ends.
  if (frame.recovered === true) return;
  const conversation = place.conversation;
  const where = conversation.kind === 'room' ? ` in #${conversation.name}` : conversation.kind === 'everyone' ? ' to everyone' : '';
  announce(`${entry.system ? `${entry.from} (system)` : entry.from}${where}: ${entry.text !== undefined ? entry.text : 'structured message'}`);
}

/** Sends text to the open conversation; false when it could not be sent (the reason is shown). */
export function sendToCurrent(text) {
  const conversation = currentConversation();
  // A system sender cannot be answered: its conversation has no message box.
  if (!conversation || conversation.kind === 'system') return false;
  const to = conversation.kind === 'room' ? { room: conversation.name }
    : conversation.kind === 'user' ? { user: conversation.name }
      : { everyone: true };
  const entry = { kind: 'message', mine: true, from: state.me, text, ts: Date.now(), status: 'sending', room: conversation.kind === 'room' };
  const error = request({ type: 'send', to, body: { text } }, (answer) => {
    if (answer.type === 'ack') {
      entry.status = 'sent';
      entry.recipients = answer.recipients | 0;
      if (typeof answer.message === 'string') {
        entry.messageId = answer.message;
        // History read while it was on its way may have it already: this entry stays, with its status.
        const copy = findMessage(conversation, entry);
        if (copy) {
          removeEntry(conversation, copy);
          entry.stream = copy.stream;
          entry.offset = copy.offset;
        }
      }
    } else if (answer.type === 'error') {
      entry.status = 'failed';
      entry.error = { code: answer.code, message: answer.message };
      announce(`Message not sent. ${describeError(answer.code, answer.message)}`);
      if (conversation.kind === 'user' && answer.code === 'offline') {
        conversation.presence = { online: false, connections: 0 };
        if (conversation === currentConversation()) renderHeader();
        renderSidebar();
      }
    } else {
      entry.status = 'failed';
      entry.error = answer.sent
        ? { code: 'connection_lost', message: 'the connection dropped before the gateway answered; the message may not have been delivered' }
        : { code: 'connection_lost', message: 'the connection dropped before the message was sent' };
    }
    updateEntry(entry);
  });
  if (error) {
    showComposerError(error);
    return false;
  }
  addEntry(conversation, entry);
  return true;
}
