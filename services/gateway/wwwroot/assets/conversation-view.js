// The open conversation: its header (title, what it is, its actions), the room's online list,
// its timeline, and the button that loads older messages. The header's buttons carry
// data-action; app.js wires them and the button.

import { h } from './dom.js';
import { ui } from './elements.js';
import { state } from './state.js';
import { currentConversation } from './conversations.js';
import { avatar, renderEntry } from './entries.js';
import { plural } from './format.js';
import { setError } from './errors.js';
import { renderComposerState } from './composer.js';

export function renderConversation() {
  const conversation = currentConversation();
  ui.intro.hidden = !!conversation;
  ui.timeline.hidden = !conversation;
  // A system sender (a backend, docs/api.md) cannot be answered.
  ui.composer.hidden = !conversation || conversation.kind === 'system';
  setError(ui.generalError, null);
  renderHeader();
  renderMembers();
  renderOlder();
  if (!conversation) {
    ui.timeline.replaceChildren();
    return;
  }
  const label = conversation.kind === 'room' ? `Messages in #${conversation.name}`
    : conversation.kind === 'user' ? `Messages with ${conversation.name}`
      : conversation.kind === 'system' ? `Messages from ${conversation.name} (system)` : 'Messages to everyone';
  ui.timeline.setAttribute('aria-label', label);
  ui.timeline.replaceChildren(...conversation.entries.map(renderEntry));
  ui.timeline.scrollTop = ui.timeline.scrollHeight;
  ui.composerInput.placeholder = conversation.kind === 'room' ? `Message #${conversation.name}`
    : conversation.kind === 'user' ? `Message ${conversation.name}` : 'Message everyone';
  ui.composerError.textContent = '';
  renderComposerState();
}

function action(name, text, label) {
  return h('button', { type: 'button', class: 'button small', text, 'aria-label': label, 'data-action': name });
}

export function renderHeader() {
  const conversation = currentConversation();
  ui.convActions.replaceChildren();
  if (!conversation) {
    ui.convTitle.textContent = state.me ? `Welcome, ${state.me}` : 'Welcome';
    ui.convSubtitle.textContent = state.gateway ? `Connected through ${state.gateway}.` : '';
    return;
  }
  if (conversation.kind === 'room') {
    ui.convTitle.textContent = `#${conversation.name}`;
    ui.convSubtitle.textContent = conversation.joined
      ? 'Room · messages go to everyone in it.'
      : 'You are not in this room. Join it again to send and receive its messages.';
    if (conversation.joined) {
      ui.convActions.append(action('leave', 'Leave room'));
    } else {
      ui.convActions.append(action('join', 'Join again'), action('close', 'Close', `Close #${conversation.name}`));
    }
  } else if (conversation.kind === 'user') {
    ui.convTitle.textContent = conversation.name;
    const presence = conversation.presence;
    ui.convSubtitle.textContent = !presence ? 'Direct messages'
      : presence.online ? `Direct messages · online on ${plural(presence.connections, 'connection', 'connections')}`
        : 'Direct messages · offline: messages cannot be delivered now';
    ui.convActions.append(action('status', 'Check status'), action('close', 'Close', `Close conversation with ${conversation.name}`));
  } else if (conversation.kind === 'system') {
    ui.convTitle.textContent = `${conversation.name} (system)`;
    ui.convSubtitle.textContent = 'Messages from a service of this platform, not from a person · replies are not possible.';
    ui.convActions.append(action('close', 'Close', `Close messages from ${conversation.name}`));
  } else {
    ui.convTitle.textContent = 'Everyone';
    ui.convSubtitle.textContent = 'Messages to every connection on the platform.';
    ui.convActions.append(action('close', 'Close', 'Close Everyone'));
  }
}

export function renderMembers() {
  const conversation = currentConversation();
  const show = !!conversation && conversation.kind === 'room' && conversation.joined;
  ui.members.hidden = !show;
  ui.conversation.classList.toggle('no-members', !show);
  if (!show) return;
  ui.membersTitle.textContent = `Online (${conversation.members.length})`;
  ui.memberList.replaceChildren(...conversation.members.map((user) =>
    h('li', { class: 'member' }, avatar(user, true), h('span', { class: 'name', text: user }),
      user === state.me ? h('span', { class: 'you', text: '(you)' }) : null)));
}

/** Offers to load older messages above the open room's timeline while there are some to read. */
export function renderOlder() {
  const conversation = currentConversation();
  const history = conversation ? conversation.history : null;
  const show = !!conversation && conversation.kind === 'room' && conversation.joined && history.more;
  const hadFocus = document.activeElement === ui.loadOlder;
  ui.older.hidden = !show;
  const busy = show && history.loadingOlder;
  ui.loadOlder.textContent = busy ? 'Loading older messages…' : 'Load older messages';
  // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
  if (busy) ui.loadOlder.setAttribute('aria-disabled', 'true');
  else ui.loadOlder.removeAttribute('aria-disabled');
  if (hadFocus && !show) ui.timeline.focus();
}
