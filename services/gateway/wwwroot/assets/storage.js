// What the page remembers between visits: the last name signed in with (never a token).

const USER_KEY = 'chatplatform.user';

/** The name last signed in with ('' if none), or null when the browser keeps no storage. */
export function rememberedName() {
  try { return localStorage.getItem(USER_KEY) || ''; } catch { return null; }
}

export function rememberName(name) {
  try { localStorage.setItem(USER_KEY, name); } catch { /* storage may be off */ }
}
