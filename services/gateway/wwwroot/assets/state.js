// Who the page is signed in as and how its connection stands: what several modules read.

export const state = {
  credentials: null,      // { user } or { token }; null when signed out
  socket: null,           // the WebSocket being opened or open
  status: 'offline',      // offline | connecting | connected | reconnecting | failed | expired
  signedIn: false,        // a welcome arrived since signing in
  renewing: false,        // connecting with a fresh token; no welcome yet
  me: null,
  connectionId: null,
  gateway: null,
};
