// Which view is on screen (sign-in or chat), and the conversation list that slides over the
// conversation on a narrow screen.

import { ui } from './elements.js';

const NARROW = '(max-width: 720px)';

export function isNarrow() { return window.matchMedia(NARROW).matches; }

export function isNavOpen() { return ui.chatView.classList.contains('nav-open') && window.matchMedia(NARROW).matches; }

export function setNavOpen(open) {
  ui.chatView.classList.toggle('nav-open', open);
  ui.menuToggle.setAttribute('aria-expanded', String(open));
}

/** Shows the sign-in or the chat view; the chat view's contents are rendered by the caller. */
export function showView(view) {
  const chat = view === 'chat';
  ui.signinView.hidden = chat;
  ui.chatView.hidden = !chat;
  ui.session.hidden = !chat;
  ui.signOut.hidden = !chat;
  ui.menuToggle.hidden = !chat;
  ui.skipLink.setAttribute('href', chat ? '#main-content' : '#signin-form');
  document.body.classList.toggle('signed-in', chat);
  if (!chat) setNavOpen(false);
}
