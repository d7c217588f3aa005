// The conversation list: rooms, then people and Everyone, with unread counts, also in the
// menu button and the window title. Choosing one is wired in app.js (each button carries its
// conversation's key in data-key).

import { h } from './dom.js';
import { ui } from './elements.js';
import { allConversations, selectedKey } from './conversations.js';
import { ordinal } from './format.js';

export function renderSidebar() {
  // Rebuilding the lists must not lose the keyboard focus.
  const focusedKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
  const rooms = [];
  const people = [];
  for (const conversation of allConversations()) {
    (conversation.kind === 'room' ? rooms : people).push(conversation);
  }
  rooms.sort((a, b) => ordinal(a.name, b.name));
  ui.roomList.replaceChildren(...rooms.map(conversationItem));
  ui.roomsEmpty.hidden = rooms.length > 0;
  ui.dmList.replaceChildren(...people.map(conversationItem));

  let unread = 0;
  for (const conversation of allConversations()) unread += conversation.unread;
  ui.menuUnread.hidden = unread === 0;
  ui.menuUnread.replaceChildren(String(unread), h('span', { class: 'visually-hidden', text: ' unread' }));
  document.title = unread > 0 ? `(${unread}) ChatPlatform` : 'ChatPlatform';

  if (focusedKey) {
    const again = document.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (again) again.focus();
  }
}

function conversationItem(conversation) {
  const current = conversation.key === selectedKey();
  let leading;
  let label;
  if (conversation.kind === 'room') {
    leading = h('span', { class: 'conv-sigil', 'aria-hidden': 'true', text: '#' });
    label = conversation.name;
  } else if (conversation.kind === 'everyone') {
    leading = h('span', { class: 'conv-sigil', 'aria-hidden': 'true', text: '*' });
    label = 'Everyone';
  } else if (conversation.kind === 'system') {
    leading = h('span', { class: 'conv-sigil', 'aria-hidden': 'true', text: '!' });
    label = conversation.name;
  } else {
    const online = conversation.presence && conversation.presence.online;
    leading = h('span', { class: `presence-dot${online ? ' online' : ''}`, 'aria-hidden': 'true' });
    label = conversation.name;
  }
  return h('li', {},
    h('button', {
      type: 'button',
      class: 'conv-button',
      'data-key': conversation.key,
      'aria-current': current ? 'true' : 'false',
    },
    // Spaces between the parts keep the button's accessible name readable ("bob (offline) 2 unread").
    leading,
    h('span', { class: 'conv-name', text: label }),
    conversation.kind === 'room' && !conversation.joined ? [' ', h('span', { class: 'conv-state', text: '(left)' })] : null,
    conversation.kind === 'user' && conversation.presence && !conversation.presence.online ? [' ', h('span', { class: 'conv-state', text: '(offline)' })] : null,
    conversation.kind === 'system' ? [' ', h('span', { class: 'conv-state', text: '(system)' })] : null,
    conversation.unread > 0
      ? [' ', h('span', { class: 'badge' }, String(conversation.unread), h('span', { class: 'visually-hidden', text: ' unread' }))]
      : null));
}
