// Adding to a conversation's timeline: kept to the last entries, drawn at once when the
// conversation is open (following the end if the reader was there), counted as unread if not.

import { ui } from './elements.js';
import { currentConversation } from './conversations.js';
import { renderEntry } from './entries.js';
import { renderSidebar } from './sidebar.js';
import { isNavOpen } from './layout.js';

const MAX_ENTRIES = 500;

export function addEntry(conversation, entry) {
  conversation.entries.push(entry);
  if (conversation.entries.length > MAX_ENTRIES) conversation.entries.splice(0, conversation.entries.length - MAX_ENTRIES);
  if (conversation === currentConversation()) {
    const nearBottom = ui.timeline.scrollHeight - ui.timeline.scrollTop - ui.timeline.clientHeight < 80;
    ui.timeline.append(renderEntry(entry));
    while (ui.timeline.childElementCount > MAX_ENTRIES) ui.timeline.firstElementChild.remove();
    if (nearBottom || entry.mine) ui.timeline.scrollTop = ui.timeline.scrollHeight;
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
