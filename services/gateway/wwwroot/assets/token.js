// What the page reads from an access token: only when it expires. Only the gateway checks
// tokens; this spares connections that are sure to be refused or closed.

/** When a JWT expires (its exp claim, in Unix ms), or null if that cannot be read. */
export function tokenExpiry(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export function isExpired(token) {
  const expiry = tokenExpiry(token);
  return expiry !== null && expiry <= Date.now();
}
