// The sign-in view: the ways in the gateway accepts, checking what was entered, and why a
// first connection failed. Browsers do not show the HTTP answer to a refused upgrade, so the
// page asks the gateway how it lets clients in and explains from that.

import { ui } from './elements.js';
import { state } from './state.js';
import { fetchAuthMode, gatewayUrl } from './gateway.js';
import { tokenExpiry } from './token.js';
import { clockTime } from './format.js';
import { setError } from './errors.js';
import { setStatus } from './status.js';
import { showView } from './layout.js';

const USER_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** 'name' or 'token': how the form signs in. */
export function signInMode() { return ui.signinForm.elements.mode.value; }

export function showModeFields() {
  const token = signInMode() === 'token';
  ui.nameField.hidden = token;
  ui.tokenField.hidden = !token;
}

/** Offers the ways in this gateway accepts; both stay offered while that is unknown. */
export function applyAuthMode(mode) {
  ui.modeName.disabled = !mode.developmentUsers && mode.tokens;
  ui.modeToken.disabled = !mode.tokens && mode.developmentUsers;
  if (ui.modeName.disabled) ui.modeToken.checked = true;
  if (ui.modeToken.disabled) ui.modeName.checked = true;
  ui.modesHint.textContent = mode.developmentUsers && mode.tokens
    ? 'This gateway accepts both: any name (a development setup), or an access token.'
    : mode.developmentUsers
      ? 'This gateway accepts names only: a development setup, where anyone can take any name.'
      : 'This gateway needs an access token.';
  showModeFields();
}

/** The credentials entered, { user } or { token }, or null after saying what is wrong with them. */
export function readSignInForm() {
  if (signInMode() === 'token') {
    const token = ui.signinToken.value.trim();
    if (!token) {
      ui.signinError.textContent = 'Paste an access token first.';
      ui.signinToken.setAttribute('aria-invalid', 'true');
      ui.signinToken.focus();
      return null;
    }
    const expiry = tokenExpiry(token);
    if (expiry !== null && expiry <= Date.now()) {
      ui.signinError.textContent = `This access token expired at ${clockTime(expiry)}. Get a fresh one.`;
      ui.signinToken.setAttribute('aria-invalid', 'true');
      ui.signinToken.focus();
      return null;
    }
    ui.signinToken.removeAttribute('aria-invalid');
    return { token };
  }
  const user = ui.signinName.value.trim();
  if (!USER_PATTERN.test(user)) {
    ui.signinError.textContent = user ? `“${user}” is not a valid name: use 1 to 64 letters, digits, “-”, “_” or “.”.` : 'Enter a name first.';
    ui.signinName.setAttribute('aria-invalid', 'true');
    ui.signinName.focus();
    return null;
  }
  ui.signinName.removeAttribute('aria-invalid');
  return { user };
}

/** Back to the sign-in view, saying why. */
export function failSignIn(message) {
  state.credentials = null;
  state.socket = null;
  setStatus('failed', 'Not connected');
  setError(ui.signinError, null);
  ui.signinError.textContent = message;
  showView('signin');
}

/** Why a first connection failed, as far as the page can tell. */
export async function refusalMessage(credentials, tokenExpired) {
  if (tokenExpired) return 'The access token expired as the connection opened. Get a fresh one and try again.';
  const { reachable, mode } = await fetchAuthMode();
  if (mode) applyAuthMode(mode);
  if (!reachable) return `Could not reach the gateway at ${gatewayUrl()}. Check the network, or try again once the gateway is back.`;
  if (credentials.token !== undefined) {
    if (mode && !mode.tokens) return 'This gateway does not accept access tokens. Sign in with a name instead.';
    return 'The gateway did not accept the access token: it may be malformed, expired or issued for another service. ' +
      'Get a fresh one and try again. If the token is fine, the gateway may be starting, stopping or full: try again in a moment.';
  }
  if (mode && !mode.developmentUsers) return 'This gateway does not accept names without a token. Sign in with an access token.';
  return 'The gateway did not accept the connection: it may be starting, stopping or full. Try again in a moment.';
}
