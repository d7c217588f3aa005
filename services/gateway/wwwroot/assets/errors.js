// Errors as the page shows them: a plain title, the gateway's code (docs/protocol.md) and its
// message, e.g. "Not delivered (offline): user bob is not connected"; on a side form, beside
// the field the gateway refused.

import { h } from './dom.js';

const ERROR_TITLES = {
  bad_request: 'Rejected',
  unknown_type: 'Not understood',
  offline: 'Not delivered',
  forbidden: 'Not allowed',
  too_large: 'Too large',
  rate_limited: 'Slow down',
  unavailable: 'Service unavailable',
  internal: 'Gateway error',
  not_connected: 'Not connected',
  connection_lost: 'Connection lost',
};

export function describeError(code, message) {
  const title = ERROR_TITLES[code] || 'Error';
  return `${title} (${code}): ${message || 'no details'}`;
}

/** An error line: "Not delivered (offline): user bob is not connected". */
export function errorNode(code, message, tag = 'p') {
  return h(tag, { class: 'error' },
    `${ERROR_TITLES[code] || 'Error'} (`, h('span', { class: 'code', text: code }), `): ${message || 'no details'}`);
}

/** Shows an error in an element, or clears it when there is no code. */
export function setError(element, code, message) {
  element.replaceChildren();
  if (code) element.append(errorNode(code, message, 'span'));
}

/** A side form's field was accepted: no longer marked invalid, its error cleared. */
export function clearFieldError(input, errorElement) {
  input.removeAttribute('aria-invalid');
  setError(errorElement, null);
}

/** A side form's request was refused (the field is marked invalid) or lost with the connection. */
export function showFieldError(input, errorElement, answer) {
  if (answer.type === 'error') {
    input.setAttribute('aria-invalid', 'true');
    setError(errorElement, answer.code, answer.message);
  } else {
    setError(errorElement, 'connection_lost', 'the connection dropped before the gateway answered; try again once reconnected');
  }
}
