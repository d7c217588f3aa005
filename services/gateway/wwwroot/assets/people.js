// People: opening a direct conversation, and looking a user up.

import { h } from './dom.js';
import { ui } from './elements.js';
import { request } from './requests.js';
import { conversationFor } from './conversations.js';
import { select } from './navigation.js';
import { presenceFrom } from './presence.js';
import { clearFieldError, showFieldError } from './errors.js';
import { plural } from './format.js';

/** Opens a conversation with a user; returns an error code when the request was not sent. */
export function openDirect(name) {
  // Asking presence first checks the name with the gateway and shows whether they are online.
  return request({ type: 'presence', user: name }, (answer) => {
    if (answer.type === 'presence') {
      const conversation = conversationFor('user', name);
      conversation.presence = presenceFrom(answer);
      ui.dmUser.value = '';
      clearFieldError(ui.dmUser, ui.dmError);
      select(conversation.key, { focus: 'composer' });
    } else {
      showFieldError(ui.dmUser, ui.dmError, answer);
    }
  });
}

/** Shows whether a user is online, with a button to message them; returns an error code when the request was not sent. */
export function lookUp(name) {
  ui.lookupResult.replaceChildren(h('p', { class: 'muted', text: `Looking up ${name}…` }));
  return request({ type: 'presence', user: name }, (answer) => {
    ui.lookupResult.replaceChildren();
    if (answer.type === 'presence') {
      clearFieldError(ui.lookupUser, ui.lookupError);
      const online = answer.online === true;
      ui.lookupResult.append(
        h('span', { class: `presence-dot${online ? ' online' : ''}`, 'aria-hidden': 'true' }),
        h('p', {}, h('strong', { text: answer.user }),
          online ? ` is online on ${plural(answer.connections | 0, 'connection', 'connections')}.` : ' is offline.'),
        h('button', { type: 'button', class: 'button small', text: `Message ${answer.user}`, onclick: () => {
          const conversation = conversationFor('user', answer.user);
          conversation.presence = presenceFrom(answer);
          select(conversation.key, { focus: 'composer' });
        } }));
    } else {
      showFieldError(ui.lookupUser, ui.lookupError, answer);
    }
  });
}
