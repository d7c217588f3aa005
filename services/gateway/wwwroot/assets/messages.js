// Messages: showing those that arrive, in the conversation they belong to, and sending to the
// open conversation, each shown at once and then marked sent (to how many) or failed (why).

import { state } from './state.js';
import { request } from './requests.js';
import { conversationFor, currentConversation } from './conversations.js';
import { addEntry, updateEntry } from './timeline.js';
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

/** A message frame. */
export function onMessage(frame) {
  const from = frame.from || {};
  const to = frame.to || {};
  // This connection's own messages were shown when they were sent.
  if (from.connection && from.connection === state.connectionId) return;
  if (typeof from.user !== 'string') return;

  let conversation;
  let tag = null;
  if (typeof to.room === 'string') {
    conversation = conversationFor('room', to.room);
  } else if (to.everyone === true) {
    conversation = conversationFor('everyone', 'Everyone');
  } else if (typeof to.user === 'string') {
    conversation = conversationFor('user', from.user === state.me ? to.user : from.user);
    if (from.user === state.me) tag = 'from your other connection';
  } else if (typeof to.connection === 'string') {
    conversation = conversationFor('user', from.user);
    tag = 'to this connection only';
  } else {
    return;
  }
  const { text, json } = bodyOf(frame.body);
  addEntry(conversation, {
    kind: 'message',
    mine: from.user === state.me,
    from: from.user,
    text,
    json,
    tag,
    ts: typeof frame.ts === 'number' ? frame.ts : Date.now(),
    status: 'received',
  });
  const where = conversation.kind === 'room' ? ` in #${conversation.name}` : conversation.kind === 'everyone' ? ' to everyone' : '';
  announce(`${from.user}${where}: ${text !== undefined ? text : 'structured message'}`);
}

/** Sends text to the open conversation; false when it could not be sent (the reason is shown). */
export function sendToCurrent(text) {
  const conversation = currentConversation();
  if (!conversation) return;
  const to = conversation.kind === 'room' ? { room: conversation.name }
    : conversation.kind === 'user' ? { user: conversation.name }
      : { everyone: true };
  const entry = { kind: 'message', mine: true, from: state.me, text, ts: Date.now(), status: 'sending', room: conversation.kind === 'room' };
  const error = request({ type: 'send', to, body: { text } }, (answer) => {
    if (answer.type === 'ack') {
      entry.status = 'sent';
      entry.recipients = answer.recipients | 0;
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
