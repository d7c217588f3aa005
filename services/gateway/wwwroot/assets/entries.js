// One timeline entry as the page draws it: a message (with whether it was sent, and to how
// many, or that it arrived after a reconnect) or an event (joins, leaves, the page's own
// notes), and the avatars beside them.

import { h } from './dom.js';
import { formatTime, plural } from './format.js';
import { errorNode } from './errors.js';

function avatarClass(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return `c${hash % 8}`;
}

export function avatar(name, small, system) {
  // The initial is drawn by CSS, so it is neither read out nor copied with the text. A system
  // sender's is square and grey, so it never looks like a person's.
  return h('span', { class: `avatar ${system ? 'system' : avatarClass(name)}${small ? ' small' : ''}`, 'aria-hidden': 'true', 'data-initial': name.slice(0, 1) });
}

/** Draws an entry, and remembers its node so a later change of status can redraw it. */
export function renderEntry(entry) {
  let node;
  if (entry.kind === 'event') {
    node = h('li', { class: `event${entry.style ? ` ${entry.style}` : ''}` },
      entry.user ? [h('strong', { text: entry.user }), ` ${entry.text} · `] : `${entry.text} · `,
      formatTime(entry.ts));
  } else {
    const status = entry.status === 'sending' ? 'Sending…'
      : entry.status === 'sent'
        ? (entry.recipients === 0 && entry.room ? 'Sent; no one else is in the room' : `Sent to ${plural(entry.recipients, 'connection', 'connections')}`)
        : null;
    node = h('li', { class: `msg${entry.mine ? ' mine' : ''}${entry.system ? ' from-system' : ''}${entry.status === 'failed' ? ' failed' : ''}` },
      avatar(entry.from, false, entry.system),
      h('div', { class: 'meta' },
        h('span', { class: 'author', text: entry.from }),
        entry.system ? h('span', { class: 'tag system-tag', text: 'system' }) : null,
        entry.mine && !entry.tag ? h('span', { class: 'tag', text: '(you)' }) : null,
        entry.tag ? h('span', { class: 'tag', text: entry.tag }) : null,
        entry.recovered ? h('span', { class: 'tag', text: 'sent while you were away' }) : null,
        formatTime(entry.ts)),
      entry.json !== undefined ? h('pre', { class: 'json', text: entry.json }) : h('p', { class: 'text', text: entry.text }),
      status ? h('p', { class: 'status', text: status }) : null,
      entry.error ? errorNode(entry.error.code, entry.error.message) : null);
  }
  entry.node = node;
  return node;
}
