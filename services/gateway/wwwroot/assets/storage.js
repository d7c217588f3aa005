// What the page remembers between visits: the last name signed in with (never a token), and,
// for this tab only, the session to resume and where the page was in each stream.

const USER_KEY = 'chatplatform.user';
const RESUME_KEY = 'chatplatform.resume';

/** The name last signed in with ('' if none), or null when the browser keeps no storage. */
export function rememberedName() {
  try { return localStorage.getItem(USER_KEY) || ''; } catch { return null; }
}

export function rememberName(name) {
  try { localStorage.setItem(USER_KEY, name); } catch { /* storage may be off */ }
}

/** What rememberResume kept in this tab ({ user, session, positions }), or null. */
export function rememberedResume() {
  try {
    const value = JSON.parse(sessionStorage.getItem(RESUME_KEY));
    return value && typeof value === 'object' && typeof value.session === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function rememberResume(value) {
  try { sessionStorage.setItem(RESUME_KEY, JSON.stringify(value)); } catch { /* storage may be off or full */ }
}

export function forgetResume() {
  try { sessionStorage.removeItem(RESUME_KEY); } catch { /* storage may be off */ }
}
