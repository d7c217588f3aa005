// ChatPlatform browser page: speaks the wire protocol (docs/protocol.md) to the gateway that
// served it. Plain JavaScript modules, no build step; this one wires the page's controls to the
// modules that do the work (docs/clients.md lists them). User-provided text only ever goes
// into the page through textContent and text nodes, never as markup.

import { ui } from './elements.js';
import { gatewayUrl, fetchAuthMode } from './gateway.js';
import { rememberedName } from './storage.js';
import { applyAuthMode, readSignInForm, showModeFields } from './signin.js';
import { readRenewForm } from './renewal.js';
import { onOnline, reconnectNow, renewWith, signIn, signOut } from './connection.js';
import { state } from './state.js';
import { currentConversation } from './conversations.js';
import { closeConversation, select } from './navigation.js';
import { isNarrow, setNavOpen, showView } from './layout.js';
import { joinRoom, leaveRoom } from './rooms.js';
import { lookUp, openDirect } from './people.js';
import { askUserPresence } from './presence.js';
import { sendToCurrent } from './messages.js';
import { loadOlder } from './history.js';
import { persistResume } from './resume.js';
import { showComposerError } from './composer.js';
import { setError } from './errors.js';
import { setStatus } from './status.js';

function wireSignIn() {
  ui.gatewayUrl.textContent = gatewayUrl();
  const name = rememberedName();
  if (name !== null) ui.signinName.value = name;

  for (const radio of ui.signinForm.elements.mode) {
    radio.addEventListener('change', () => {
      showModeFields();
      ui.signinError.textContent = '';
    });
  }
  fetchAuthMode().then(({ mode }) => { if (mode) applyAuthMode(mode); });

  ui.signinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.socket) return;
    const credentials = readSignInForm();
    if (credentials) signIn(credentials);
  });

  ui.renewForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (state.socket || !state.credentials) return;
    const token = readRenewForm();
    if (token) renewWith(token);
  });
}

function wireConnection() {
  ui.signOut.addEventListener('click', signOut);
  ui.reconnectNow.addEventListener('click', reconnectNow);
  window.addEventListener('online', onOnline);
  // Where the page is in each stream, kept for a reload of the tab (resume.js): when it may be
  // the last chance (pagehide does not fire everywhere a tab goes away; hidden does).
  window.addEventListener('pagehide', persistResume);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') persistResume();
  });
}

function wireNavigation() {
  ui.menuToggle.addEventListener('click', () => {
    const open = !ui.chatView.classList.contains('nav-open');
    setNavOpen(open);
    if (open) {
      const current = ui.sidebar.querySelector('[aria-current="true"]') || ui.joinRoom;
      current.focus();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && ui.chatView.classList.contains('nav-open')) {
      setNavOpen(false);
      ui.menuToggle.focus();
    }
  });

  // The conversation list's buttons (sidebar.js) carry their conversation's key.
  ui.sidebar.addEventListener('click', (event) => {
    const button = event.target.closest('.conv-button[data-key]');
    if (button) select(button.dataset.key, { focus: isNarrow() ? 'composer' : undefined });
  });

  ui.loadOlder.addEventListener('click', () => {
    const conversation = currentConversation();
    if (conversation && ui.loadOlder.getAttribute('aria-disabled') !== 'true') loadOlder(conversation);
  });

  // The open conversation's actions (conversation-view.js).
  ui.convActions.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const conversation = currentConversation();
    if (!button || !conversation) return;
    switch (button.dataset.action) {
      case 'leave': leaveRoom(conversation); break;
      case 'join': {
        const error = joinRoom(conversation.name);
        if (error) showComposerError(error);
        break;
      }
      case 'status': askUserPresence(conversation); break;
      case 'close': closeConversation(conversation); break;
      default: break;
    }
  });
}

/** A side form that asks the gateway about a name: join, message or look up. */
function wireNameForm(form, input, errorElement, emptyMessage, submit, onNotSent) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      setError(errorElement, 'bad_request', emptyMessage);
      input.focus();
      return;
    }
    const error = submit(value);
    if (error) {
      if (onNotSent) onNotSent();
      setError(errorElement, error, 'wait until the page is connected again');
    }
  });
}

function wireComposer() {
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.composerInput.value;
    if (!text.trim()) return;
    ui.composerError.textContent = '';
    if (sendToCurrent(text)) ui.composerInput.value = '';
  });
  ui.composerInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });
}

wireSignIn();
wireConnection();
wireNavigation();
wireNameForm(ui.joinForm, ui.joinRoom, ui.joinError, 'enter a room name', joinRoom);
wireNameForm(ui.dmForm, ui.dmUser, ui.dmError, 'enter a user name', openDirect);
wireNameForm(ui.lookupForm, ui.lookupUser, ui.lookupError, 'enter a user name', lookUp, () => ui.lookupResult.replaceChildren());
wireComposer();
showView('signin');
setStatus('offline', 'Not connected');
