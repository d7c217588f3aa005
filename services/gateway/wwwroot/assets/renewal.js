// An expired access token: the page stops reconnecting with it (that would only fail again),
// keeps its conversations, and asks for a fresh token in the timeline's renewal form.

import { ui } from './elements.js';
import { state } from './state.js';
import { tokenExpiry } from './token.js';
import { clockTime } from './format.js';
import { setStatus } from './status.js';
import { setNavOpen } from './layout.js';
import { renderComposerState } from './composer.js';
import { announce } from './announcer.js';

/** Shows the renewal form, with what was wrong with the last token tried, if anything. */
export function askForFreshToken(problem) {
  const expiry = tokenExpiry(state.credentials.token);
  const expired = expiry !== null && expiry <= Date.now();
  setStatus('expired', 'Token expired', ': paste a fresh token to reconnect');
  ui.renewText.textContent = `${expired ? `Your token expired at ${clockTime(expiry)}` : 'Your token is not accepted any more'}, so this page is not connected. ` +
    'Paste a fresh access token to reconnect; the page rejoins your rooms.';
  ui.renewError.textContent = problem || '';
  ui.renew.hidden = false;
  setNavOpen(false);
  renderComposerState();
  ui.renewToken.focus();
  announce(problem ? `Not reconnected: ${problem}` : 'Your access token expired. Paste a fresh token to reconnect.');
}

export function hideRenew() {
  ui.renew.hidden = true;
  ui.renewError.textContent = '';
  ui.renewToken.value = '';
  ui.renewToken.removeAttribute('aria-invalid');
}

/** The token pasted in the renewal form, or null after saying what is wrong with it. */
export function readRenewForm() {
  const token = ui.renewToken.value.trim();
  const expiry = token ? tokenExpiry(token) : null;
  const problem = !token ? 'Paste a fresh access token first.'
    : expiry !== null && expiry <= Date.now() ? `This token expired at ${clockTime(expiry)} too. Get a fresh one.` : null;
  if (problem) {
    ui.renewError.textContent = problem;
    ui.renewToken.setAttribute('aria-invalid', 'true');
    ui.renewToken.focus();
    return null;
  }
  ui.renewToken.removeAttribute('aria-invalid');
  ui.renewError.textContent = '';
  return token;
}
