// Rooms: joining and leaving, being back in them after a reconnect (restored by a resume, or
// joined again), and who is in them, kept up to date from the joined and left events and asked
// again shortly after each.

import { ui } from './elements.js';
import { state } from './state.js';
import { request } from './requests.js';
import { allConversations, conversationFor, currentConversation, findConversation, key } from './conversations.js';
import { addEntry } from './timeline.js';
import { select } from './navigation.js';
import { loadRoomHistory, reloadHistory } from './history.js';
import { renderConversation, renderHeader, renderMembers, renderOlder } from './conversation-view.js';
import { renderSidebar } from './sidebar.js';
import { showComposerError } from './composer.js';
import { announce } from './announcer.js';
import { clearFieldError, describeError, showFieldError } from './errors.js';
import { ordinal } from './format.js';

// Presence of a room is asked again this long after the last joined/left event in it.
const PRESENCE_REFRESH_MS = 1500;

/** Joins a room, or opens it if already in it; returns an error code when the request was not sent. */
export function joinRoom(name) {
  const existing = findConversation(key('room', name));
  if (existing && existing.joined) {
    select(existing.key, { focus: 'composer' });
    return null;
  }
  return request({ type: 'join', room: name }, (answer) => {
    if (answer.type === 'ack') {
      const conversation = conversationFor('room', name);
      conversation.joined = true;
      addEntry(conversation, { kind: 'event', style: 'system', text: `You joined #${name}.`, ts: Date.now() });
      askRoomPresence(conversation);
      ui.joinRoom.value = '';
      clearFieldError(ui.joinRoom, ui.joinError);
      select(conversation.key, { focus: 'composer' });
      announce(`Joined #${name}.`);
    } else {
      showFieldError(ui.joinRoom, ui.joinError, answer);
    }
  });
}

export function leaveRoom(conversation) {
  const error = request({ type: 'leave', room: conversation.name }, (answer) => {
    if (answer.type === 'ack') {
      conversation.joined = false;
      conversation.members = [];
      // Out of the room, the page misses its messages: joined again, it reads them again.
      conversation.history.loaded = false;
      clearTimeout(conversation.refreshTimer);
      addEntry(conversation, { kind: 'event', style: 'system', text: `You left #${conversation.name}.`, ts: Date.now() });
      announce(`Left #${conversation.name}.`);
    } else if (answer.type === 'error') {
      addEntry(conversation, { kind: 'event', style: 'warning', text: `Could not leave: ${describeError(answer.code, answer.message)}`, ts: Date.now() });
    }
    renderSidebar();
    if (conversation === currentConversation()) renderConversation();
  });
  if (error) showComposerError(error);
}

function backInRoom(conversation) {
  addEntry(conversation, { kind: 'event', style: 'system', text: `Reconnected; you are back in #${conversation.name}.`, ts: Date.now() });
  askRoomPresence(conversation);
}

/**
 * On a new connection: back in every room the page was in. Those the gateway restored from the
 * old connection's session (restored, a Set of names) are in already; the others are joined
 * again, and having missed what was said meanwhile, read their history again (when the
 * connection could not resume at all, saying so if the gap could not be filled: checkGap).
 */
export function rejoinRooms(restored = new Set(), { checkGap = false } = {}) {
  for (const conversation of [...allConversations()]) {
    if (conversation.kind !== 'room' || !conversation.joined) continue;
    if (restored.has(conversation.name)) {
      backInRoom(conversation);
      // It missed nothing; but the open room may not have read its history yet (a reloaded page).
      if (conversation === currentConversation()) loadRoomHistory(conversation);
      continue;
    }
    const error = request({ type: 'join', room: conversation.name }, (answer) => {
      if (answer.type === 'ack') {
        backInRoom(conversation);
        reloadHistory(conversation, { checkGap });
      } else if (answer.type === 'error') {
        conversation.joined = false;
        addEntry(conversation, { kind: 'event', style: 'warning', text: `Could not rejoin: ${describeError(answer.code, answer.message)}`, ts: Date.now() });
        renderSidebar();
        if (conversation === currentConversation()) {
          renderHeader();
          renderOlder();
        }
      }
    });
    if (error) break;
  }
}

function askRoomPresence(conversation) {
  clearTimeout(conversation.refreshTimer);
  conversation.refreshTimer = null;
  request({ type: 'presence', room: conversation.name }, (answer) => {
    if (answer.type === 'presence' && Array.isArray(answer.users) && conversation.joined) {
      conversation.members = answer.users.filter((user) => typeof user === 'string');
      if (conversation === currentConversation()) renderMembers();
    }
  });
}

function scheduleRoomPresence(conversation) {
  clearTimeout(conversation.refreshTimer);
  conversation.refreshTimer = setTimeout(() => {
    if (conversation.joined && findConversation(conversation.key) === conversation) askRoomPresence(conversation);
  }, PRESENCE_REFRESH_MS);
}

/**
 * A backend took this connection out of a room (docs/api.md, "Moderation"): it is no longer in
 * it, and does not join it again after a reconnect; the person may join it again.
 */
function removedFrom(conversation) {
  conversation.joined = false;
  conversation.members = [];
  conversation.history.loaded = false;
  clearTimeout(conversation.refreshTimer);
  addEntry(conversation, { kind: 'event', style: 'warning', text: `You were removed from #${conversation.name}.`, ts: Date.now() });
  announce(`You were removed from #${conversation.name}.`);
  renderSidebar();
  if (conversation === currentConversation()) renderConversation();
}

/**
 * A joined or left frame: someone's first connection joined, or last one left, a room the page
 * is in. A left that names this page's own user can only be its own removal: the page's own
 * leave is answered with an ack, and others' leaves are sent to the members who stay.
 */
export function onMembership(frame) {
  if (typeof frame.room !== 'string' || typeof frame.user !== 'string') return;
  const conversation = findConversation(key('room', frame.room));
  if (!conversation || !conversation.joined) return;
  if (frame.type === 'left' && frame.user === state.me) {
    removedFrom(conversation);
    return;
  }
  const joined = frame.type === 'joined';
  const members = new Set(conversation.members);
  if (joined) members.add(frame.user); else members.delete(frame.user);
  conversation.members = [...members].sort(ordinal);
  addEntry(conversation, { kind: 'event', user: frame.user, text: joined ? 'joined' : 'left', ts: Date.now() });
  if (conversation === currentConversation()) {
    renderMembers();
    announce(`${frame.user} ${joined ? 'joined' : 'left'} #${frame.room}.`);
  }
  scheduleRoomPresence(conversation);
}
