// The message box: whether it can send now, and why a message was not sent.

import { ui } from './elements.js';
import { state } from './state.js';
import { currentConversation } from './conversations.js';
import { setError } from './errors.js';
import { MAX_FRAME_BYTES } from './requests.js';

export function renderComposerState() {
  const conversation = currentConversation();
  ui.composer.classList.toggle('offline', state.status !== 'connected');
  if (conversation && conversation.kind === 'room' && !conversation.joined) {
    ui.composerInput.placeholder = `You left #${conversation.name}`;
  }
}

/** Says why a request was not sent: the code request() returned. */
export function showComposerError(code) {
  const messages = {
    not_connected: state.status === 'reconnecting' ? 'the page is reconnecting; your message was kept, send it again once connected'
      : state.status === 'expired' ? 'your access token expired; paste a fresh one above to reconnect'
        : 'the page is not connected to the gateway',
    too_large: `the message is over the gateway's limit of ${MAX_FRAME_BYTES.toLocaleString('en')} bytes; shorten it`,
  };
  setError(ui.composerError, code, messages[code] || code);
}
