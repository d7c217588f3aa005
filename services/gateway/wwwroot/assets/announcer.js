// Announcements for screen readers, in the page's polite live region.

import { h } from './dom.js';
import { ui } from './elements.js';

let announceTimer = null;

export function announce(text) {
  // A fresh node per announcement, so repeated texts are read again.
  ui.announcer.replaceChildren(h('p', { text }));
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => ui.announcer.replaceChildren(), 5000);
}
