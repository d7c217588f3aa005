// The gateway that served the page: where its WebSocket is, and which ways in it accepts.

const AUTH_MODE_TIMEOUT_MS = 5000;

export function gatewayUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

/**
 * Asks the gateway how it lets clients in: { reachable, mode: { developmentUsers, tokens } },
 * mode null when the gateway does not say.
 */
export async function fetchAuthMode() {
  try {
    const response = await fetch('/auth-mode', { cache: 'no-store', signal: AbortSignal.timeout(AUTH_MODE_TIMEOUT_MS) });
    if (!response.ok) return { reachable: true, mode: null };
    const body = await response.json();
    return { reachable: true, mode: { developmentUsers: body.developmentUsers === true, tokens: body.tokens === true } };
  } catch {
    return { reachable: false, mode: null };
  }
}
