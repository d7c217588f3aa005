// How numbers, names and times are written on the page.

import { h } from './dom.js';

export function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

/** Compares names by code unit, as the gateway orders them. */
export function ordinal(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

/** A message's or event's time: hours and minutes, the full date on hover. */
export function formatTime(ts) {
  const date = new Date(ts);
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString() },
    date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
}

/** A time to the second, for when a token expired. */
export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
