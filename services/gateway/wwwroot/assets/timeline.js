// Adding to a conversation's timeline: kept to the last entries, drawn at once when the
// conversation is open (following the end if the reader was there), counted as unread if not.
// Messages read from history go where they belong among those already there, each once.

import { ui } from './elements.js';
import { currentConversation } from './conversations.js';
import { renderEntry } from './entries.js';
import { renderSidebar } from './sidebar.js';
import { isNavOpen } from './layout.js';

const MAX_ENTRIES = 500;

function nearBottom() {
  return ui.timeline.scrollHeight - ui.timeline.scrollTop - ui.timeline.clientHeight < 80;
}

export function addEntry(conversation, entry) {
  conversation.entries.push(entry);
  if (conversation.entries.length > MAX_ENTRIES) {
    const dropped = conversation.entries.splice(0, conversation.entries.length - MAX_ENTRIES);
    // What was dropped can be read from history again.
    if (dropped.some((old) => old.offset !== undefined)) conversation.history.more = true;
  }
  if (conversation === currentConversation()) {
    const follow = nearBottom();
    ui.timeline.append(renderEntry(entry));
    while (ui.timeline.childElementCount > conversation.entries.length) ui.timeline.firstElementChild.remove();
    if (follow || entry.mine) ui.timeline.scrollTop = ui.timeline.scrollHeight;
  }
  if (entry.kind === 'message' && !entry.mine && (conversation !== currentConversation() || isNavOpen())) {
    conversation.unread += 1;
    renderSidebar();
  }
}

/** Redraws an entry whose status changed, if it is on screen. */
export function updateEntry(entry) {
  if (entry.node && entry.node.isConnected) entry.node.replaceWith(renderEntry(entry));
}

/** The conversation's entry for the same message (same id, or same place in the same stream), if it has one. */
export function findMessage(conversation, message) {
  return conversation.entries.find((entry) => entry.kind === 'message' && entry !== message
    && ((message.messageId !== undefined && entry.messageId === message.messageId)
      || (message.offset !== undefined && entry.stream === message.stream && entry.offset === message.offset)));
}

/** Whether an entry comes after a stored message: by offset in the same stream, else by time. */
function comesAfter(entry, message) {
  if (entry.offset !== undefined && entry.stream === message.stream) return entry.offset > message.offset;
  return entry.ts > message.ts;
}

/**
 * Adds a message read from history where it belongs, unless the conversation has it already
 * (then that entry learns where it is stored). Not counted as unread: it is not new. Returns
 * whether it was added.
 */
export function insertEntry(conversation, message) {
  const existing = findMessage(conversation, message);
  if (existing) {
    if (existing.offset === undefined && message.offset !== undefined) {
      existing.stream = message.stream;
      existing.offset = message.offset;
    }
    if (existing.messageId === undefined) existing.messageId = message.messageId;
    return false;
  }
  const entries = conversation.entries;
  let index = entries.findIndex((entry) => comesAfter(entry, message));
  if (index < 0) index = entries.length;
  entries.splice(index, 0, message);
  if (conversation === currentConversation()) {
    const follow = nearBottom();
    const next = entries[index + 1];
    const node = renderEntry(message);
    if (next && next.node && next.node.parentNode === ui.timeline) ui.timeline.insertBefore(node, next.node);
    else ui.timeline.append(node);
    if (follow) ui.timeline.scrollTop = ui.timeline.scrollHeight;
  }
  return true;
}

/** Takes an entry out of a conversation, and off the screen. */
export function removeEntry(conversation, entry) {
  const index = conversation.entries.indexOf(entry);
  if (index >= 0) conversation.entries.splice(index, 1);
  if (entry.node && entry.node.parentNode === ui.timeline) entry.node.remove();
}
