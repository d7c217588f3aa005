// Whether the people the page talks to are online, as the gateway's presence answers say.

import { request } from './requests.js';
import { currentConversation } from './conversations.js';
import { renderSidebar } from './sidebar.js';
import { renderHeader } from './conversation-view.js';

/** What a presence answer says about a user: { online, connections }. */
export function presenceFrom(answer) {
  return { online: answer.online === true, connections: answer.connections | 0 };
}

/** Asks whether a direct conversation's person is online, and shows it. */
export function askUserPresence(conversation) {
  request({ type: 'presence', user: conversation.name }, (answer) => {
    if (answer.type === 'presence') {
      conversation.presence = presenceFrom(answer);
      renderSidebar();
      if (conversation === currentConversation()) renderHeader();
    }
  });
}
