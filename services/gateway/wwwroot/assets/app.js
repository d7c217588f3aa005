// ChatPlatform browser page: speaks the wire protocol (docs/protocol.md) to the gateway that
// served it. Plain JavaScript, no build step. User-provided text only ever goes into the page
// through textContent and text nodes, never as markup.
'use strict';

(() => {
  // ---------------------------------------------------------------- settings

  const USER_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
  const MAX_FRAME_BYTES = 65536;
  // The gateway allows 20 frames a second with bursts of 50; stay well inside that.
  const SEND_RATE_PER_SECOND = 10;
  const SEND_BURST = 20;
  const RECONNECT_BASE_MS = 500;
  const RECONNECT_MAX_MS = 30000;
  const CONNECT_TIMEOUT_MS = 15000;
  const AUTH_MODE_TIMEOUT_MS = 5000;
  // Presence of a room is asked again this long after the last joined/left event in it.
  const PRESENCE_REFRESH_MS = 1500;
  const MAX_ENTRIES = 500;

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

  const CLOSE_REASONS = {
    1000: 'the connection was closed',
    1001: 'the gateway is shutting down',
    1003: 'the gateway accepts only text frames',
    1006: 'the connection dropped',
    1007: 'a frame was not valid UTF-8',
    1008: 'the gateway closed the connection (policy)',
    1009: 'a message was too large',
    1011: 'the gateway had an internal error',
  };

  // ---------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);

  /** Creates an element; strings among the children become text nodes, never markup. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') element.className = value;
      else if (name === 'text') element.textContent = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null && child !== false) element.append(child);
    }
    return element;
  }

  function avatarClass(name) {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
    return `c${hash % 8}`;
  }

  function avatar(name, small) {
    // The initial is drawn by CSS, so it is neither read out nor copied with the text.
    return h('span', { class: `avatar ${avatarClass(name)}${small ? ' small' : ''}`, 'aria-hidden': 'true', 'data-initial': name.slice(0, 1) });
  }

  function formatTime(ts) {
    const date = new Date(ts);
    return h('time', { datetime: date.toISOString(), title: date.toLocaleString() },
      date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  }

  function describeError(code, message) {
    const title = ERROR_TITLES[code] || 'Error';
    return `${title} (${code}): ${message || 'no details'}`;
  }

  /** An error line: "Not delivered (offline): user bob is not connected". */
  function errorNode(code, message, tag = 'p') {
    return h(tag, { class: 'error' },
      `${ERROR_TITLES[code] || 'Error'} (`, h('span', { class: 'code', text: code }), `): ${message || 'no details'}`);
  }

  function setError(element, code, message) {
    element.replaceChildren();
    if (code) element.append(errorNode(code, message, 'span'));
  }

  function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

  function gatewayUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws`;
  }

  /**
   * When a JWT expires (its exp claim, in Unix ms), or null if that cannot be read. Only the
   * gateway checks tokens; this spares connections that are sure to be refused or closed.
   */
  function tokenExpiry(token) {
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

  function isExpired(token) {
    const expiry = tokenExpiry(token);
    return expiry !== null && expiry <= Date.now();
  }

  function clockTime(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /**
   * Asks the gateway how it lets clients in: { reachable, mode: { developmentUsers, tokens } },
   * mode null when the gateway does not say.
   */
  async function fetchAuthMode() {
    try {
      const response = await fetch('/auth-mode', { cache: 'no-store', signal: AbortSignal.timeout(AUTH_MODE_TIMEOUT_MS) });
      if (!response.ok) return { reachable: true, mode: null };
      const body = await response.json();
      return { reachable: true, mode: { developmentUsers: body.developmentUsers === true, tokens: body.tokens === true } };
    } catch {
      return { reachable: false, mode: null };
    }
  }

  // ---------------------------------------------------------------- state

  const state = {
    credentials: null,      // { user } or { token }
    socket: null,
    status: 'offline',      // offline | connecting | connected | reconnecting | failed | expired
    signedIn: false,        // a welcome arrived since signing in
    renewing: false,        // connecting with a fresh token; no welcome yet
    me: null,
    connectionId: null,
    gateway: null,
    attempt: 0,
    reconnectTimer: null,
    reconnectAt: 0,
    countdownTimer: null,
    connectTimer: null,
    nextId: 1,
    pending: new Map(),     // request id -> { sent, answer(frame) }
    conversations: new Map(), // key -> conversation
    selected: null,
  };

  // Outgoing frames go through a token bucket so the page never trips the gateway's rate limit.
  const outbox = [];
  let tokens = SEND_BURST;
  let refilledAt = performance.now();
  let drainTimer = null;

  // ---------------------------------------------------------------- elements

  const ui = {
    signinView: $('signin-view'),
    signinForm: $('signin-form'),
    modeName: $('mode-name'),
    modeToken: $('mode-token'),
    modesHint: $('modes-hint'),
    signinName: $('signin-name'),
    signinToken: $('signin-token'),
    nameField: $('name-field'),
    tokenField: $('token-field'),
    signinError: $('signin-error'),
    gatewayUrl: $('gateway-url'),
    chatView: $('chat-view'),
    menuToggle: $('menu-toggle'),
    menuUnread: $('menu-unread'),
    session: $('session'),
    meName: $('me-name'),
    connection: $('connection'),
    connectionText: $('connection-text'),
    connectionDetail: $('connection-detail'),
    connectionCountdown: $('connection-countdown'),
    reconnectNow: $('reconnect-now'),
    signOut: $('sign-out'),
    roomList: $('room-list'),
    roomsEmpty: $('rooms-empty'),
    joinForm: $('join-form'),
    joinRoom: $('join-room'),
    joinError: $('join-error'),
    dmList: $('dm-list'),
    dmForm: $('dm-form'),
    dmUser: $('dm-user'),
    dmError: $('dm-error'),
    lookupForm: $('lookup-form'),
    lookupUser: $('lookup-user'),
    lookupError: $('lookup-error'),
    lookupResult: $('lookup-result'),
    conversation: $('conversation'),
    convTitle: $('conv-title'),
    convSubtitle: $('conv-subtitle'),
    convActions: $('conv-actions'),
    members: $('members'),
    membersTitle: $('members-title'),
    memberList: $('member-list'),
    generalError: $('general-error'),
    renew: $('renew'),
    renewText: $('renew-text'),
    renewForm: $('renew-form'),
    renewToken: $('renew-token'),
    renewError: $('renew-error'),
    intro: $('intro'),
    timeline: $('timeline'),
    composer: $('composer'),
    composerInput: $('composer-input'),
    composerError: $('composer-error'),
    announcer: $('announcer'),
    skipLink: document.querySelector('.skip-link'),
  };

  // ---------------------------------------------------------------- connection

  /**
   * The connection state in the top bar. Its status region changes only with the state; the
   * countdown to the next attempt sits outside it, so screen readers do not read every second.
   */
  function setStatus(status, text, detail = '') {
    state.status = status;
    ui.connection.dataset.state = status;
    ui.connectionText.textContent = text;
    ui.connectionDetail.textContent = detail;
    ui.connectionCountdown.textContent = '';
    ui.reconnectNow.hidden = true;
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    state.reconnectTimer = null;
    if (state.credentials.token !== undefined && isExpired(state.credentials.token)) {
      // The gateway would refuse it, or close the connection at once: ask for a fresh one instead.
      if (state.signedIn) askForFreshToken();
      else failSignIn('This access token has expired. Get a fresh one.');
      return;
    }
    const query = state.credentials.token !== undefined
      ? `access_token=${encodeURIComponent(state.credentials.token)}`
      : `user=${encodeURIComponent(state.credentials.user)}`;
    let socket;
    try {
      socket = new WebSocket(`${gatewayUrl()}?${query}`);
    } catch (exception) {
      failSignIn(`Could not open a WebSocket to ${gatewayUrl()}: ${exception.message}`);
      return;
    }
    state.socket = socket;
    setStatus(state.signedIn ? 'reconnecting' : 'connecting', state.signedIn ? 'Reconnecting…' : 'Connecting…');

    // A connection that neither opens nor fails in time is given up on.
    state.connectTimer = setTimeout(() => {
      if (state.socket === socket && socket.readyState === WebSocket.CONNECTING) socket.close();
    }, CONNECT_TIMEOUT_MS);

    socket.addEventListener('message', (event) => {
      if (state.socket === socket) onFrame(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (state.socket === socket) onClose(event);
    });
  }

  function onClose(event) {
    clearTimeout(state.connectTimer);
    state.socket = null;
    const wasConnected = state.status === 'connected';
    failPending();

    if (!state.credentials) return; // signed out

    const tokenExpired = event.code === 1008 && typeof event.reason === 'string' && event.reason.startsWith('token expired');

    if (!state.signedIn) {
      // The first connection never got its welcome: the gateway refused the upgrade or could
      // not be reached. Browsers do not show the HTTP answer to a refused upgrade, so the page
      // asks the gateway how it lets clients in and explains from that.
      const credentials = state.credentials;
      state.credentials = null;
      setStatus('failed', 'Not connected');
      refusalMessage(credentials, tokenExpired).then((message) => {
        if (!state.credentials) failSignIn(message); // unless the person signed in again meanwhile
      });
      return;
    }

    if (state.renewing) {
      // A fresh token that did not get a welcome: say so rather than retry with it.
      state.renewing = false;
      askForFreshToken(tokenExpired
        ? 'That token expired too.'
        : 'The gateway did not accept that token: it may be malformed, expired or issued for another service. If it is fine, the gateway may be restarting; try again in a moment.');
      return;
    }

    if (tokenExpired) {
      for (const conversation of state.conversations.values()) {
        if (conversation.kind === 'room' && conversation.joined) {
          addEntry(conversation, { kind: 'event', style: 'warning', text: 'Disconnected: your access token expired.', ts: Date.now() });
        }
      }
      askForFreshToken();
      return;
    }

    // The gateway's own reason says more for policy closes (1008: which limit); otherwise the plain words do.
    const plain = CLOSE_REASONS[event.code] || `closed with code ${event.code}`;
    const reason = !wasConnected ? 'the gateway could not be reached'
      : event.reason && (event.code === 1008 || !CLOSE_REASONS[event.code]) ? `${plain}: ${event.reason}` : plain;
    if (wasConnected) {
      for (const conversation of state.conversations.values()) {
        if (conversation.kind === 'room' && conversation.joined) {
          addEntry(conversation, { kind: 'event', style: 'warning', text: `Disconnected (${reason}). Messages sent until you are back are not shown here.`, ts: Date.now() });
        }
      }
      announce(`Disconnected: ${reason}. Reconnecting.`);
    }
    scheduleReconnect(reason, event.code);
  }

  function scheduleReconnect(reason, code) {
    state.attempt += 1;
    // Exponential backoff with jitter: half the step fixed, half random, capped.
    const step = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (state.attempt - 1));
    const delay = code === 1001 && state.attempt === 1 ? 250 + Math.random() * 500 : step / 2 + Math.random() * step / 2;
    state.reconnectAt = Date.now() + delay;
    setStatus('reconnecting', 'Offline', `: ${reason}; attempt ${state.attempt}`);
    ui.reconnectNow.hidden = false;
    const tick = () => {
      const seconds = Math.max(1, Math.ceil((state.reconnectAt - Date.now()) / 1000));
      ui.connectionCountdown.textContent = `· retrying in ${seconds} s`;
    };
    tick();
    clearInterval(state.countdownTimer);
    state.countdownTimer = setInterval(tick, 1000);
    state.reconnectTimer = setTimeout(connect, delay);
    renderComposerState();
  }

  function failSignIn(message) {
    state.credentials = null;
    state.socket = null;
    setStatus('failed', 'Not connected');
    setError(ui.signinError, null);
    ui.signinError.textContent = message;
    showView('signin');
  }

  /** Why a first connection failed, as far as the page can tell. */
  async function refusalMessage(credentials, tokenExpired) {
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

  /**
   * The token expired (the gateway closed the connection with 1008, or it would be refused):
   * reconnecting with it would only fail again, so the page stops and asks for a fresh one,
   * keeping its conversations.
   */
  function askForFreshToken(problem) {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    state.reconnectTimer = null;
    const expiry = tokenExpiry(state.credentials.token);
    const expired = expiry !== null && expiry <= Date.now();
    setStatus('expired', 'Token expired', ': paste a fresh token to reconnect');
    ui.renewText.textContent = `${expired ? `Your token expired at ${clockTime(expiry)}` : 'Your token is not accepted any more'}, so this page is not connected. ` +
      'Paste a fresh access token to reconnect; the page rejoins your rooms.';
    ui.renewError.textContent = problem || '';
    ui.renew.hidden = false;
    setNavOpen(false);
    renderComposerState();
    ui.renewToken.focus();
    announce(problem ? `Not reconnected: ${problem}` : 'Your access token expired. Paste a fresh token to reconnect.');
  }

  function hideRenew() {
    ui.renew.hidden = true;
    ui.renewError.textContent = '';
    ui.renewToken.value = '';
    ui.renewToken.removeAttribute('aria-invalid');
  }

  /** Offers the ways in this gateway accepts; both stay offered while that is unknown. */
  function applyAuthMode(mode) {
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

  function showModeFields() {
    const token = ui.signinForm.elements.mode.value === 'token';
    ui.nameField.hidden = token;
    ui.tokenField.hidden = !token;
  }

  function failPending() {
    outbox.length = 0;
    const pending = [...state.pending.values()];
    state.pending.clear();
    for (const request of pending) request.answer({ type: 'lost', sent: request.sent });
  }

  /**
   * Queues a frame with a fresh id; answer(frame) gets its ack, presence answer or error, or
   * { type: 'lost' } if the connection dropped first. Returns an error code when it was not queued.
   */
  function request(frame, answer) {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN || state.status !== 'connected') {
      return 'not_connected';
    }
    const id = String(state.nextId++);
    const text = JSON.stringify({ type: frame.type, id, ...frame });
    if (new TextEncoder().encode(text).length > MAX_FRAME_BYTES) return 'too_large';
    state.pending.set(id, { sent: false, answer });
    outbox.push({ id, text });
    drain();
    return null;
  }

  function drain() {
    const now = performance.now();
    tokens = Math.min(SEND_BURST, tokens + (now - refilledAt) * SEND_RATE_PER_SECOND / 1000);
    refilledAt = now;
    while (outbox.length > 0 && tokens >= 1 && state.socket && state.socket.readyState === WebSocket.OPEN) {
      const { id, text } = outbox.shift();
      tokens -= 1;
      const pending = state.pending.get(id);
      if (pending) pending.sent = true;
      state.socket.send(text);
    }
    if (outbox.length > 0 && drainTimer === null) {
      drainTimer = setTimeout(() => { drainTimer = null; drain(); }, Math.ceil((1 - tokens) * 1000 / SEND_RATE_PER_SECOND) + 5);
    }
  }

  function onFrame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;

    switch (frame.type) {
      case 'welcome': onWelcome(frame); break;
      case 'message': onMessage(frame); break;
      case 'joined':
      case 'left': onMembership(frame); break;
      case 'ack':
      case 'presence':
      case 'error': {
        const key = frame.id === undefined || frame.id === null ? null : String(frame.id);
        const pending = key !== null ? state.pending.get(key) : undefined;
        if (pending) {
          state.pending.delete(key);
          pending.answer(frame);
        } else if (frame.type === 'error') {
          setError(ui.generalError, frame.code, frame.message);
          announce(describeError(frame.code, frame.message));
        }
        break;
      }
      default: break; // newer frame types are ignored
    }
  }

  function onWelcome(frame) {
    clearTimeout(state.connectTimer);
    const reconnected = state.signedIn;
    state.signedIn = true;
    state.renewing = false;
    state.attempt = 0;
    hideRenew();
    ui.signinToken.value = '';
    state.me = frame.user;
    state.connectionId = frame.connection;
    state.gateway = frame.gateway;
    ui.meName.textContent = frame.user;
    setStatus('connected', 'Connected', ` to ${frame.gateway}`);
    clearInterval(state.countdownTimer);
    setError(ui.generalError, null);
    ui.composerError.textContent = '';
    if (!reconnected) {
      if (state.credentials.user !== undefined) {
        try { localStorage.setItem('chatplatform.user', state.credentials.user); } catch { /* storage may be off */ }
      }
      showView('chat');
      // On a phone the conversation list starts open, so the join form is in view.
      if (isNarrow()) setNavOpen(true);
      ui.joinRoom.focus();
      announce(`Signed in as ${frame.user}.`);
    } else {
      announce(`Reconnected to ${frame.gateway}.`);
      rejoinRooms();
    }
    renderComposerState();
    const selected = currentConversation();
    if (selected && selected.kind === 'user') askUserPresence(selected);
  }

  function rejoinRooms() {
    for (const conversation of state.conversations.values()) {
      if (conversation.kind !== 'room' || !conversation.joined) continue;
      const error = request({ type: 'join', room: conversation.name }, (answer) => {
        if (answer.type === 'ack') {
          addEntry(conversation, { kind: 'event', style: 'system', text: `Reconnected; you are back in #${conversation.name}.`, ts: Date.now() });
          askRoomPresence(conversation);
        } else if (answer.type === 'error') {
          conversation.joined = false;
          addEntry(conversation, { kind: 'event', style: 'warning', text: `Could not rejoin: ${describeError(answer.code, answer.message)}`, ts: Date.now() });
          renderSidebar();
          if (conversation === currentConversation()) renderHeader();
        }
      });
      if (error) break;
    }
  }

  function signIn(credentials) {
    state.credentials = credentials;
    state.signedIn = false;
    state.attempt = 0;
    ui.signinError.textContent = '';
    connect();
  }

  function signOut() {
    state.credentials = null;
    clearTimeout(state.reconnectTimer);
    clearInterval(state.countdownTimer);
    clearTimeout(state.connectTimer);
    const socket = state.socket;
    state.socket = null;
    failPending();
    if (socket) socket.close(1000, 'signed out');
    state.signedIn = false;
    state.renewing = false;
    hideRenew();
    state.me = null;
    state.conversations.clear();
    state.selected = null;
    ui.lookupResult.replaceChildren();
    for (const element of [ui.joinError, ui.dmError, ui.lookupError, ui.generalError, ui.composerError]) element.textContent = '';
    setStatus('offline', 'Signed out');
    showView('signin');
    (ui.signinForm.elements.mode.value === 'token' ? ui.signinToken : ui.signinName).focus();
  }

  // ---------------------------------------------------------------- conversations

  function key(kind, name) { return kind === 'everyone' ? 'everyone' : `${kind}:${name}`; }

  function conversationFor(kind, name) {
    const k = key(kind, name);
    let conversation = state.conversations.get(k);
    if (!conversation) {
      conversation = { key: k, kind, name, entries: [], unread: 0, joined: false, members: [], presence: null, refreshTimer: null };
      state.conversations.set(k, conversation);
    }
    return conversation;
  }

  function currentConversation() { return state.selected ? state.conversations.get(state.selected) : undefined; }

  function addEntry(conversation, entry) {
    conversation.entries.push(entry);
    if (conversation.entries.length > MAX_ENTRIES) conversation.entries.splice(0, conversation.entries.length - MAX_ENTRIES);
    if (conversation === currentConversation()) {
      const nearBottom = ui.timeline.scrollHeight - ui.timeline.scrollTop - ui.timeline.clientHeight < 80;
      ui.timeline.append(renderEntry(entry));
      while (ui.timeline.childElementCount > MAX_ENTRIES) ui.timeline.firstElementChild.remove();
      if (nearBottom || entry.mine) ui.timeline.scrollTop = ui.timeline.scrollHeight;
    }
    if (entry.kind === 'message' && !entry.mine && (conversation !== currentConversation() || isNavOpen())) {
      conversation.unread += 1;
      renderSidebar();
    }
  }

  function updateEntry(entry) {
    if (entry.node && entry.node.isConnected) entry.node.replaceWith(renderEntry(entry));
  }

  function select(k, { focus } = {}) {
    const conversation = state.conversations.get(k);
    if (!conversation) return;
    state.selected = k;
    conversation.unread = 0;
    setNavOpen(false);
    renderSidebar();
    renderConversation();
    if (conversation.kind === 'user' && !conversation.presence) askUserPresence(conversation);
    if (focus === 'composer') ui.composerInput.focus();
    else if (focus === 'title') ui.convTitle.focus();
  }

  function closeConversation(conversation) {
    clearTimeout(conversation.refreshTimer);
    state.conversations.delete(conversation.key);
    if (state.selected === conversation.key) state.selected = null;
    renderSidebar();
    renderConversation();
    ui.convTitle.focus();
  }

  // ---------------------------------------------------------------- rooms

  function joinRoom(name) {
    const existing = state.conversations.get(key('room', name));
    if (existing && existing.joined) {
      select(existing.key, { focus: 'composer' });
      return null;
    }
    return request({ type: 'join', room: name }, (answer) => {
      if (answer.type === 'ack') {
        const conversation = conversationFor('room', name);
        conversation.joined = true;
        addEntry(conversation, { kind: 'event', style: 'system', text: `You joined #${name}.`, ts: Date.now() });
        askRoomPresence(conversation);
        ui.joinRoom.value = '';
        ui.joinRoom.removeAttribute('aria-invalid');
        setError(ui.joinError, null);
        select(conversation.key, { focus: 'composer' });
        announce(`Joined #${name}.`);
      } else if (answer.type === 'error') {
        ui.joinRoom.setAttribute('aria-invalid', 'true');
        setError(ui.joinError, answer.code, answer.message);
      } else {
        setError(ui.joinError, 'connection_lost', 'the connection dropped before the gateway answered; try again once reconnected');
      }
    });
  }

  function leaveRoom(conversation) {
    const error = request({ type: 'leave', room: conversation.name }, (answer) => {
      if (answer.type === 'ack') {
        conversation.joined = false;
        conversation.members = [];
        clearTimeout(conversation.refreshTimer);
        addEntry(conversation, { kind: 'event', style: 'system', text: `You left #${conversation.name}.`, ts: Date.now() });
        announce(`Left #${conversation.name}.`);
      } else if (answer.type === 'error') {
        addEntry(conversation, { kind: 'event', style: 'warning', text: `Could not leave: ${describeError(answer.code, answer.message)}`, ts: Date.now() });
      }
      renderSidebar();
      if (conversation === currentConversation()) renderConversation();
    });
    if (error) showComposerError(error);
  }

  function askRoomPresence(conversation) {
    clearTimeout(conversation.refreshTimer);
    conversation.refreshTimer = null;
    request({ type: 'presence', room: conversation.name }, (answer) => {
      if (answer.type === 'presence' && Array.isArray(answer.users) && conversation.joined) {
        conversation.members = answer.users.filter((user) => typeof user === 'string');
        if (conversation === currentConversation()) renderMembers();
      }
    });
  }

  function scheduleRoomPresence(conversation) {
    clearTimeout(conversation.refreshTimer);
    conversation.refreshTimer = setTimeout(() => {
      if (conversation.joined && state.conversations.get(conversation.key) === conversation) askRoomPresence(conversation);
    }, PRESENCE_REFRESH_MS);
  }

  function onMembership(frame) {
    if (typeof frame.room !== 'string' || typeof frame.user !== 'string') return;
    const conversation = state.conversations.get(key('room', frame.room));
    if (!conversation || !conversation.joined) return;
    const joined = frame.type === 'joined';
    const members = new Set(conversation.members);
    if (joined) members.add(frame.user); else members.delete(frame.user);
    conversation.members = [...members].sort(ordinal);
    addEntry(conversation, { kind: 'event', user: frame.user, text: joined ? 'joined' : 'left', ts: Date.now() });
    if (conversation === currentConversation()) {
      renderMembers();
      announce(`${frame.user} ${joined ? 'joined' : 'left'} #${frame.room}.`);
    }
    scheduleRoomPresence(conversation);
  }

  function ordinal(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // ---------------------------------------------------------------- people

  function askUserPresence(conversation) {
    request({ type: 'presence', user: conversation.name }, (answer) => {
      if (answer.type === 'presence') {
        conversation.presence = { online: answer.online === true, connections: answer.connections | 0 };
        renderSidebar();
        if (conversation === currentConversation()) renderHeader();
      }
    });
  }

  function openDirect(name) {
    // Asking presence first checks the name with the gateway and shows whether they are online.
    return request({ type: 'presence', user: name }, (answer) => {
      if (answer.type === 'presence') {
        const conversation = conversationFor('user', name);
        conversation.presence = { online: answer.online === true, connections: answer.connections | 0 };
        ui.dmUser.value = '';
        ui.dmUser.removeAttribute('aria-invalid');
        setError(ui.dmError, null);
        select(conversation.key, { focus: 'composer' });
      } else if (answer.type === 'error') {
        ui.dmUser.setAttribute('aria-invalid', 'true');
        setError(ui.dmError, answer.code, answer.message);
      } else {
        setError(ui.dmError, 'connection_lost', 'the connection dropped before the gateway answered; try again once reconnected');
      }
    });
  }

  function lookUp(name) {
    ui.lookupResult.replaceChildren(h('p', { class: 'muted', text: `Looking up ${name}…` }));
    return request({ type: 'presence', user: name }, (answer) => {
      ui.lookupResult.replaceChildren();
      if (answer.type === 'presence') {
        ui.lookupUser.removeAttribute('aria-invalid');
        setError(ui.lookupError, null);
        const online = answer.online === true;
        ui.lookupResult.append(
          h('span', { class: `presence-dot${online ? ' online' : ''}`, 'aria-hidden': 'true' }),
          h('p', {}, h('strong', { text: answer.user }),
            online ? ` is online on ${plural(answer.connections | 0, 'connection', 'connections')}.` : ' is offline.'),
          h('button', { type: 'button', class: 'button small', text: `Message ${answer.user}`, onclick: () => {
            const conversation = conversationFor('user', answer.user);
            conversation.presence = { online, connections: answer.connections | 0 };
            select(conversation.key, { focus: 'composer' });
          } }));
      } else if (answer.type === 'error') {
        ui.lookupUser.setAttribute('aria-invalid', 'true');
        setError(ui.lookupError, answer.code, answer.message);
      } else {
        setError(ui.lookupError, 'connection_lost', 'the connection dropped before the gateway answered; try again once reconnected');
      }
    });
  }

  // ---------------------------------------------------------------- messages

  function bodyOf(body) {
    if (typeof body === 'string') return { text: body };
    if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.text === 'string') return { text: body.text };
    return { json: JSON.stringify(body, null, 2) };
  }

  function onMessage(frame) {
    const from = frame.from || {};
    const to = frame.to || {};
    // This connection's own messages were shown when they were sent.
    if (from.connection && from.connection === state.connectionId) return;
    if (typeof from.user !== 'string') return;

    let conversation;
    let tag = null;
    if (typeof to.room === 'string') {
      conversation = conversationFor('room', to.room);
    } else if (to.everyone === true) {
      conversation = conversationFor('everyone', 'Everyone');
    } else if (typeof to.user === 'string') {
      conversation = conversationFor('user', from.user === state.me ? to.user : from.user);
      if (from.user === state.me) tag = 'from your other connection';
    } else if (typeof to.connection === 'string') {
      conversation = conversationFor('user', from.user);
      tag = 'to this connection only';
    } else {
      return;
    }
    const { text, json } = bodyOf(frame.body);
    addEntry(conversation, {
      kind: 'message',
      mine: from.user === state.me,
      from: from.user,
      text,
      json,
      tag,
      ts: typeof frame.ts === 'number' ? frame.ts : Date.now(),
      status: 'received',
    });
    const where = conversation.kind === 'room' ? ` in #${conversation.name}` : conversation.kind === 'everyone' ? ' to everyone' : '';
    announce(`${from.user}${where}: ${text !== undefined ? text : 'structured message'}`);
  }

  function sendToCurrent(text) {
    const conversation = currentConversation();
    if (!conversation) return;
    const to = conversation.kind === 'room' ? { room: conversation.name }
      : conversation.kind === 'user' ? { user: conversation.name }
        : { everyone: true };
    const entry = { kind: 'message', mine: true, from: state.me, text, ts: Date.now(), status: 'sending', room: conversation.kind === 'room' };
    const error = request({ type: 'send', to, body: { text } }, (answer) => {
      if (answer.type === 'ack') {
        entry.status = 'sent';
        entry.recipients = answer.recipients | 0;
      } else if (answer.type === 'error') {
        entry.status = 'failed';
        entry.error = { code: answer.code, message: answer.message };
        announce(`Message not sent. ${describeError(answer.code, answer.message)}`);
        if (conversation.kind === 'user' && answer.code === 'offline') {
          conversation.presence = { online: false, connections: 0 };
          if (conversation === currentConversation()) renderHeader();
          renderSidebar();
        }
      } else {
        entry.status = 'failed';
        entry.error = answer.sent
          ? { code: 'connection_lost', message: 'the connection dropped before the gateway answered; the message may not have been delivered' }
          : { code: 'connection_lost', message: 'the connection dropped before the message was sent' };
      }
      updateEntry(entry);
    });
    if (error) {
      showComposerError(error);
      return false;
    }
    addEntry(conversation, entry);
    return true;
  }

  function showComposerError(code) {
    const messages = {
      not_connected: state.status === 'reconnecting' ? 'the page is reconnecting; your message was kept, send it again once connected'
        : state.status === 'expired' ? 'your access token expired; paste a fresh one above to reconnect'
          : 'the page is not connected to the gateway',
      too_large: `the message is over the gateway's limit of ${MAX_FRAME_BYTES.toLocaleString('en')} bytes; shorten it`,
    };
    setError(ui.composerError, code, messages[code] || code);
  }

  // ---------------------------------------------------------------- rendering

  function showView(view) {
    const chat = view === 'chat';
    ui.signinView.hidden = chat;
    ui.chatView.hidden = !chat;
    ui.session.hidden = !chat;
    ui.signOut.hidden = !chat;
    ui.menuToggle.hidden = !chat;
    ui.skipLink.setAttribute('href', chat ? '#main-content' : '#signin-form');
    document.body.classList.toggle('signed-in', chat);
    if (chat) {
      renderSidebar();
      renderConversation();
    } else {
      setNavOpen(false);
    }
  }

  function isNavOpen() { return ui.chatView.classList.contains('nav-open') && window.matchMedia('(max-width: 720px)').matches; }

  function setNavOpen(open) {
    ui.chatView.classList.toggle('nav-open', open);
    ui.menuToggle.setAttribute('aria-expanded', String(open));
  }

  function renderSidebar() {
    // Rebuilding the lists must not lose the keyboard focus.
    const focusedKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : undefined;
    const rooms = [];
    const people = [];
    for (const conversation of state.conversations.values()) {
      (conversation.kind === 'room' ? rooms : people).push(conversation);
    }
    rooms.sort((a, b) => ordinal(a.name, b.name));
    ui.roomList.replaceChildren(...rooms.map(conversationItem));
    ui.roomsEmpty.hidden = rooms.length > 0;
    ui.dmList.replaceChildren(...people.map(conversationItem));

    let unread = 0;
    for (const conversation of state.conversations.values()) unread += conversation.unread;
    ui.menuUnread.hidden = unread === 0;
    ui.menuUnread.replaceChildren(String(unread), h('span', { class: 'visually-hidden', text: ' unread' }));
    document.title = unread > 0 ? `(${unread}) ChatPlatform` : 'ChatPlatform';

    if (focusedKey) {
      const again = document.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      if (again) again.focus();
    }
  }

  function conversationItem(conversation) {
    const current = conversation.key === state.selected;
    let leading;
    let label;
    if (conversation.kind === 'room') {
      leading = h('span', { class: 'conv-sigil', 'aria-hidden': 'true', text: '#' });
      label = conversation.name;
    } else if (conversation.kind === 'everyone') {
      leading = h('span', { class: 'conv-sigil', 'aria-hidden': 'true', text: '*' });
      label = 'Everyone';
    } else {
      const online = conversation.presence && conversation.presence.online;
      leading = h('span', { class: `presence-dot${online ? ' online' : ''}`, 'aria-hidden': 'true' });
      label = conversation.name;
    }
    return h('li', {},
      h('button', {
        type: 'button',
        class: 'conv-button',
        'data-key': conversation.key,
        'aria-current': current ? 'true' : 'false',
        onclick: () => select(conversation.key, { focus: isNarrow() ? 'composer' : undefined }),
      },
      // Spaces between the parts keep the button's accessible name readable ("bob (offline) 2 unread").
      leading,
      h('span', { class: 'conv-name', text: label }),
      conversation.kind === 'room' && !conversation.joined ? [' ', h('span', { class: 'conv-state', text: '(left)' })] : null,
      conversation.kind === 'user' && conversation.presence && !conversation.presence.online ? [' ', h('span', { class: 'conv-state', text: '(offline)' })] : null,
      conversation.unread > 0
        ? [' ', h('span', { class: 'badge' }, String(conversation.unread), h('span', { class: 'visually-hidden', text: ' unread' }))]
        : null));
  }

  function isNarrow() { return window.matchMedia('(max-width: 720px)').matches; }

  function renderConversation() {
    const conversation = currentConversation();
    ui.intro.hidden = !!conversation;
    ui.timeline.hidden = !conversation;
    ui.composer.hidden = !conversation;
    setError(ui.generalError, null);
    renderHeader();
    renderMembers();
    if (!conversation) {
      ui.timeline.replaceChildren();
      return;
    }
    const label = conversation.kind === 'room' ? `Messages in #${conversation.name}`
      : conversation.kind === 'user' ? `Messages with ${conversation.name}` : 'Messages to everyone';
    ui.timeline.setAttribute('aria-label', label);
    ui.timeline.replaceChildren(...conversation.entries.map(renderEntry));
    ui.timeline.scrollTop = ui.timeline.scrollHeight;
    ui.composerInput.placeholder = conversation.kind === 'room' ? `Message #${conversation.name}`
      : conversation.kind === 'user' ? `Message ${conversation.name}` : 'Message everyone';
    ui.composerError.textContent = '';
    renderComposerState();
  }

  function renderHeader() {
    const conversation = currentConversation();
    ui.convActions.replaceChildren();
    if (!conversation) {
      ui.convTitle.textContent = state.me ? `Welcome, ${state.me}` : 'Welcome';
      ui.convSubtitle.textContent = state.gateway ? `Connected through ${state.gateway}.` : '';
      return;
    }
    if (conversation.kind === 'room') {
      ui.convTitle.textContent = `#${conversation.name}`;
      ui.convSubtitle.textContent = conversation.joined
        ? 'Room · messages go to everyone in it.'
        : 'You are not in this room. Join it again to send and receive its messages.';
      if (conversation.joined) {
        ui.convActions.append(h('button', { type: 'button', class: 'button small', text: 'Leave room', onclick: () => leaveRoom(conversation) }));
      } else {
        ui.convActions.append(
          h('button', { type: 'button', class: 'button small', text: 'Join again', onclick: () => {
            const error = joinRoom(conversation.name);
            if (error) showComposerError(error);
          } }),
          h('button', { type: 'button', class: 'button small', text: 'Close', 'aria-label': `Close #${conversation.name}`, onclick: () => closeConversation(conversation) }));
      }
    } else if (conversation.kind === 'user') {
      ui.convTitle.textContent = conversation.name;
      const presence = conversation.presence;
      ui.convSubtitle.textContent = !presence ? 'Direct messages'
        : presence.online ? `Direct messages · online on ${plural(presence.connections, 'connection', 'connections')}`
          : 'Direct messages · offline: messages cannot be delivered now';
      ui.convActions.append(
        h('button', { type: 'button', class: 'button small', text: 'Check status', onclick: () => askUserPresence(conversation) }),
        h('button', { type: 'button', class: 'button small', text: 'Close', 'aria-label': `Close conversation with ${conversation.name}`, onclick: () => closeConversation(conversation) }));
    } else {
      ui.convTitle.textContent = 'Everyone';
      ui.convSubtitle.textContent = 'Messages to every connection on the platform.';
      ui.convActions.append(h('button', { type: 'button', class: 'button small', text: 'Close', 'aria-label': 'Close Everyone', onclick: () => closeConversation(conversation) }));
    }
  }

  function renderMembers() {
    const conversation = currentConversation();
    const show = !!conversation && conversation.kind === 'room' && conversation.joined;
    ui.members.hidden = !show;
    ui.conversation.classList.toggle('no-members', !show);
    if (!show) return;
    ui.membersTitle.textContent = `Online (${conversation.members.length})`;
    ui.memberList.replaceChildren(...conversation.members.map((user) =>
      h('li', { class: 'member' }, avatar(user, true), h('span', { class: 'name', text: user }),
        user === state.me ? h('span', { class: 'you', text: '(you)' }) : null)));
  }

  function renderEntry(entry) {
    let node;
    if (entry.kind === 'event') {
      node = h('li', { class: `event${entry.style ? ` ${entry.style}` : ''}` },
        entry.user ? [h('strong', { text: entry.user }), ` ${entry.text} · `] : `${entry.text} · `,
        formatTime(entry.ts));
    } else {
      const status = entry.status === 'sending' ? 'Sending…'
        : entry.status === 'sent'
          ? (entry.recipients === 0 && entry.room ? 'Sent; no one else is in the room' : `Sent to ${plural(entry.recipients, 'connection', 'connections')}`)
          : null;
      node = h('li', { class: `msg${entry.mine ? ' mine' : ''}${entry.status === 'failed' ? ' failed' : ''}` },
        avatar(entry.from),
        h('div', { class: 'meta' },
          h('span', { class: 'author', text: entry.from }),
          entry.mine && !entry.tag ? h('span', { class: 'tag', text: '(you)' }) : null,
          entry.tag ? h('span', { class: 'tag', text: entry.tag }) : null,
          formatTime(entry.ts)),
        entry.json !== undefined ? h('pre', { class: 'json', text: entry.json }) : h('p', { class: 'text', text: entry.text }),
        status ? h('p', { class: 'status', text: status }) : null,
        entry.error ? errorNode(entry.error.code, entry.error.message) : null);
    }
    entry.node = node;
    return node;
  }

  function renderComposerState() {
    const conversation = currentConversation();
    ui.composer.classList.toggle('offline', state.status !== 'connected');
    if (conversation && conversation.kind === 'room' && !conversation.joined) {
      ui.composerInput.placeholder = `You left #${conversation.name}`;
    }
  }

  let announceTimer = null;
  function announce(text) {
    // A fresh node per announcement, so repeated texts are read again.
    ui.announcer.replaceChildren(h('p', { text }));
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => ui.announcer.replaceChildren(), 5000);
  }

  // ---------------------------------------------------------------- events

  function wireEvents() {
    ui.gatewayUrl.textContent = gatewayUrl();
    try { ui.signinName.value = localStorage.getItem('chatplatform.user') || ''; } catch { /* storage may be off */ }

    for (const radio of ui.signinForm.elements.mode) {
      radio.addEventListener('change', () => {
        showModeFields();
        ui.signinError.textContent = '';
      });
    }
    fetchAuthMode().then(({ mode }) => { if (mode) applyAuthMode(mode); });

    ui.signinForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (state.socket) return;
      if (ui.signinForm.elements.mode.value === 'token') {
        const token = ui.signinToken.value.trim();
        if (!token) {
          ui.signinError.textContent = 'Paste an access token first.';
          ui.signinToken.setAttribute('aria-invalid', 'true');
          ui.signinToken.focus();
          return;
        }
        const expiry = tokenExpiry(token);
        if (expiry !== null && expiry <= Date.now()) {
          ui.signinError.textContent = `This access token expired at ${clockTime(expiry)}. Get a fresh one.`;
          ui.signinToken.setAttribute('aria-invalid', 'true');
          ui.signinToken.focus();
          return;
        }
        ui.signinToken.removeAttribute('aria-invalid');
        signIn({ token });
      } else {
        const user = ui.signinName.value.trim();
        if (!USER_PATTERN.test(user)) {
          ui.signinError.textContent = user ? `“${user}” is not a valid name: use 1 to 64 letters, digits, “-”, “_” or “.”.` : 'Enter a name first.';
          ui.signinName.setAttribute('aria-invalid', 'true');
          ui.signinName.focus();
          return;
        }
        ui.signinName.removeAttribute('aria-invalid');
        signIn({ user });
      }
    });

    ui.renewForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (state.socket || !state.credentials) return;
      const token = ui.renewToken.value.trim();
      const expiry = token ? tokenExpiry(token) : null;
      const problem = !token ? 'Paste a fresh access token first.'
        : expiry !== null && expiry <= Date.now() ? `This token expired at ${clockTime(expiry)} too. Get a fresh one.` : null;
      if (problem) {
        ui.renewError.textContent = problem;
        ui.renewToken.setAttribute('aria-invalid', 'true');
        ui.renewToken.focus();
        return;
      }
      ui.renewToken.removeAttribute('aria-invalid');
      ui.renewError.textContent = '';
      state.credentials = { token };
      state.renewing = true;
      state.attempt = 0;
      connect();
    });

    ui.signOut.addEventListener('click', signOut);
    ui.reconnectNow.addEventListener('click', () => {
      if (state.credentials && !state.socket) connect();
    });
    window.addEventListener('online', () => {
      if (state.credentials && state.reconnectTimer) connect();
    });

    ui.menuToggle.addEventListener('click', () => {
      const open = !ui.chatView.classList.contains('nav-open');
      setNavOpen(open);
      if (open) {
        const current = ui.sidebar().querySelector('[aria-current="true"]') || ui.joinRoom;
        current.focus();
      }
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && ui.chatView.classList.contains('nav-open')) {
        setNavOpen(false);
        ui.menuToggle.focus();
      }
    });

    ui.joinForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const room = ui.joinRoom.value.trim();
      if (!room) {
        setError(ui.joinError, 'bad_request', 'enter a room name');
        ui.joinRoom.focus();
        return;
      }
      const error = joinRoom(room);
      if (error) setError(ui.joinError, error, 'wait until the page is connected again');
    });

    ui.dmForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const user = ui.dmUser.value.trim();
      if (!user) {
        setError(ui.dmError, 'bad_request', 'enter a user name');
        ui.dmUser.focus();
        return;
      }
      const error = openDirect(user);
      if (error) setError(ui.dmError, error, 'wait until the page is connected again');
    });

    ui.lookupForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const user = ui.lookupUser.value.trim();
      if (!user) {
        setError(ui.lookupError, 'bad_request', 'enter a user name');
        ui.lookupUser.focus();
        return;
      }
      const error = lookUp(user);
      if (error) {
        ui.lookupResult.replaceChildren();
        setError(ui.lookupError, error, 'wait until the page is connected again');
      }
    });

    ui.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = ui.composerInput.value;
      if (!text.trim()) return;
      ui.composerError.textContent = '';
      if (sendToCurrent(text)) ui.composerInput.value = '';
    });
    ui.composerInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.composer.requestSubmit();
      }
    });
  }

  ui.sidebar = () => $('sidebar');
  wireEvents();
  showView('signin');
  setStatus('offline', 'Not connected');
})();
