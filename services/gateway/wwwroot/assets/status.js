// The connection's state in the top bar. Its status region changes only with the state; the
// countdown to the next attempt sits outside it, so screen readers do not read every second.

import { ui } from './elements.js';
import { state } from './state.js';

let countdownTimer = null;

export function setStatus(status, text, detail = '') {
  state.status = status;
  ui.connection.dataset.state = status;
  ui.connectionText.textContent = text;
  ui.connectionDetail.textContent = detail;
  ui.connectionCountdown.textContent = '';
  ui.reconnectNow.hidden = true;
}

/** Offers to reconnect now, and counts down to the attempt due at reconnectAt (Unix ms). */
export function showRetry(reconnectAt) {
  ui.reconnectNow.hidden = false;
  const tick = () => {
    const seconds = Math.max(1, Math.ceil((reconnectAt - Date.now()) / 1000));
    ui.connectionCountdown.textContent = `· retrying in ${seconds} s`;
  };
  tick();
  clearInterval(countdownTimer);
  countdownTimer = setInterval(tick, 1000);
}

export function stopCountdown() {
  clearInterval(countdownTimer);
}
