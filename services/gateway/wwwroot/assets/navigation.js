// Opening and closing conversations; an opened room reads its last messages.

import { ui } from './elements.js';
import { findConversation, removeConversation, setSelected } from './conversations.js';
import { setNavOpen } from './layout.js';
import { renderSidebar } from './sidebar.js';
import { renderConversation } from './conversation-view.js';
import { askUserPresence } from './presence.js';
import { loadRoomHistory } from './history.js';

/** Opens the conversation with that key; focus 'composer' or 'title' moves the keyboard focus there. */
export function select(k, { focus } = {}) {
  const conversation = findConversation(k);
  if (!conversation) return;
  setSelected(k);
  conversation.unread = 0;
  setNavOpen(false);
  renderSidebar();
  renderConversation();
  if (conversation.kind === 'user' && !conversation.presence) askUserPresence(conversation);
  if (conversation.kind === 'room') loadRoomHistory(conversation);
  if (focus === 'composer') ui.composerInput.focus();
  else if (focus === 'title') ui.convTitle.focus();
}

export function closeConversation(conversation) {
  clearTimeout(conversation.refreshTimer);
  removeConversation(conversation);
  renderSidebar();
  renderConversation();
  ui.convTitle.focus();
}
