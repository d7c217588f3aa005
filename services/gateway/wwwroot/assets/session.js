// Being signed in: what the page does when a gateway welcomes a connection (the first, or one
// after a reconnect; resumed, or not), and what signing out clears.

import { ui } from './elements.js';
import { state } from './state.js';
import { setStatus } from './status.js';
import { setError } from './errors.js';
import { hideRenew } from './renewal.js';
import { rememberName } from './storage.js';
import { isNarrow, setNavOpen, showView } from './layout.js';
import { renderSidebar } from './sidebar.js';
import { renderConversation } from './conversation-view.js';
import { renderComposerState } from './composer.js';
import { clearConversations, currentConversation } from './conversations.js';
import { rejoinRooms } from './rooms.js';
import { forgetSession, keepSession } from './resume.js';
import { awaitRecovery, cancelRecovery } from './recovery.js';
import { historyConnected, loadDirectHistory } from './history.js';
import { askUserPresence } from './presence.js';
import { signInMode } from './signin.js';
import { announce } from './announcer.js';

/** A welcome frame: the connection is routable. */
export function onWelcome(frame) {
  const reconnected = state.signedIn;
  state.signedIn = true;
  state.renewing = false;
  hideRenew();
  ui.signinToken.value = '';
  state.me = frame.user;
  state.connectionId = frame.connection;
  state.gateway = frame.gateway;
  const resumed = keepSession(frame);
  historyConnected();
  ui.meName.textContent = frame.user;
  setStatus('connected', 'Connected', ` to ${frame.gateway}`);
  setError(ui.generalError, null);
  ui.composerError.textContent = '';
  if (!reconnected) {
    if (state.credentials.user !== undefined) rememberName(state.credentials.user);
    showView('chat');
    renderSidebar();
    renderConversation();
    // On a phone the conversation list starts open, so the join form is in view.
    if (isNarrow()) setNavOpen(true);
    ui.joinRoom.focus();
    announce(`Signed in as ${frame.user}.`);
  }
  if (resumed) {
    // The gateway puts the connection back in its rooms and sends what it missed, then recovered.
    awaitRecovery(!reconnected);
  } else if (reconnected) {
    // Not resumed (a gateway that does not keep sessions): joined again, and read again.
    announce(`Reconnected to ${frame.gateway}.`);
    rejoinRooms(new Set(), { checkGap: true });
    loadDirectHistory();
  } else {
    loadDirectHistory();
  }
  renderComposerState();
  const selected = currentConversation();
  if (selected && selected.kind === 'user') askUserPresence(selected);
}

/** After the connection was closed for signing out: back to an empty sign-in view. */
export function signedOut() {
  cancelRecovery();
  forgetSession();
  state.signedIn = false;
  state.renewing = false;
  hideRenew();
  state.me = null;
  clearConversations();
  ui.lookupResult.replaceChildren();
  for (const element of [ui.joinError, ui.dmError, ui.lookupError, ui.generalError, ui.composerError]) element.textContent = '';
  setStatus('offline', 'Signed out');
  showView('signin');
  (signInMode() === 'token' ? ui.signinToken : ui.signinName).focus();
}
