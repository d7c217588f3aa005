// The conversations the page holds: rooms, people and Everyone, each with its timeline entries,
// unread count, (rooms) membership and online list, and how much of its history is loaded; and
// which one is open.

const conversations = new Map(); // key -> conversation
let selected = null;

export function key(kind, name) { return kind === 'everyone' ? 'everyone' : `${kind}:${name}`; }

/** The conversation of that kind and name, made on first use. */
export function conversationFor(kind, name) {
  const k = key(kind, name);
  let conversation = conversations.get(k);
  if (!conversation) {
    conversation = {
      key: k, kind, name, entries: [], unread: 0, joined: false, members: [], presence: null, refreshTimer: null,
      // loaded: its last messages were read on this connection (or it missed none since);
      // more: older ones can be loaded.
      history: { loaded: false, loading: false, more: false, loadingOlder: false },
    };
    conversations.set(k, conversation);
  }
  return conversation;
}

/** The conversation with that key, or undefined. */
export function findConversation(k) { return conversations.get(k); }

export function allConversations() { return conversations.values(); }

/** The open conversation, or undefined. */
export function currentConversation() { return selected ? conversations.get(selected) : undefined; }

export function selectedKey() { return selected; }

export function setSelected(k) { selected = k; }

/** Forgets a conversation; none is open if it was. */
export function removeConversation(conversation) {
  conversations.delete(conversation.key);
  if (selected === conversation.key) selected = null;
}

export function clearConversations() {
  conversations.clear();
  selected = null;
}
