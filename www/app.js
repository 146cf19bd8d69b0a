// The demo chat: wires the library's client to the page. Imported exactly as a user would
// without a bundler; the module initialises its WebAssembly before this code runs.
import webstomp from './pkg/webstomp_wasm.js';
import { $ } from './dom.js';
import {
  TRANSPORTS, readSettings, writeSettings, cleanNick, cleanRoom, cleanTransport, endpoint, transportLabel,
} from './settings.js';
import { MessageList } from './chat.js';
import { Roster, renderRoster } from './presence.js';
import { StatusBar } from './status.js';
import { Room } from './room.js';

const HEARTBEAT = { outgoing: 10000, incoming: 10000 };
const RECONNECT = { delay: 1000, maxDelay: 15000, multiplier: 2, jitter: 0.5 };

const settings = readSettings(location.search);
const me = { id: newId(), nick: settings.nick };
const messages = new MessageList($('#messages'));
const roster = new Roster();
const status = new StatusBar();
const form = $('#settings');
const composer = $('#composer');

let client = null;
let room = null;
/** The current client's CONNECTED frames: every one after the first is a reconnect. */
let connects = 0;
const reconnects = () => Math.max(0, connects - 1);

// ---- the connection -------------------------------------------------------------------------

function connect() {
  const { url, options } = endpoint(settings.transport);
  const c = webstomp.client(url, { ...options, heartbeat: HEARTBEAT, reconnect: RECONNECT });
  client = c;
  connects = 0;
  // Events of a client this page has since replaced are ignored. The state is read in a
  // microtask: a change can come from inside a call on the client (connect() itself), and the
  // engine does not allow reading its getters until that call has returned.
  let last = '';
  const update = () => {
    if (c !== client || c.state === last) return;
    last = c.state;
    onState(c, last);
  };
  c.onstatechange = () => queueMicrotask(update);
  status.heartbeat(HEARTBEAT, undefined);
  status.alert();
  messages.notice(`Connecting to ${url} · ${transportLabel(settings.transport)}…`);
  c.connect(
    {},
    (frame) => c === client && onConnected(c, frame),
    (error) => c === client && onError(c, error),
  );
  update();
}

/** Every CONNECTED, the first and each one after a reconnect. */
function onConnected(c, frame) {
  connects++;
  status.show(c, reconnects());
  status.heartbeat(HEARTBEAT, frame.headers['heart-beat']);
  status.alert();
  messages.notice(`Connected over ${c.transport}, STOMP ${c.version}.`);
  // After a reconnect the client has re-subscribed by itself: just say hello again.
  if (room) room.announce('hello');
  else enterRoom(settings.room);
}

function onState(c, state) {
  status.show(c, reconnects());
  const up = state === 'connected';
  for (const control of composer.elements) control.disabled = !up;
  if (state === 'reconnecting') messages.notice('Connection lost: reconnecting…', 'error');
  if (state === 'closed') {
    status.offerReconnect();
    room?.leave();
    room = null;
    roster.clear();
    showRoster();
    messages.notice('Disconnected.', 'error');
  }
}

/**
 * An ERROR frame, or a close: the last one, or one of many while the client reconnects by itself
 * (each failed attempt is one), which only update the alert and the attempt number.
 */
function onError(c, error) {
  const text = error.command === 'ERROR'
    ? `The broker refused: ${error.headers.message ?? 'ERROR'}${error.body ? ` (${error.body.trim()})` : ''}`
    : `Connection closed (${error.code})${error.reason ? `: ${error.reason}` : ''}`;
  status.show(c, reconnects());
  if (c.state === 'reconnecting') {
    status.alert(`${text}. Reconnecting (attempt ${c.reconnectAttempt})…`);
    return;
  }
  status.alert(text);
  messages.notice(text, 'error');
}

/**
 * Stops using the current client: leaves the room (just a goodbye when the page is going away),
 * disconnects, forgets it.
 */
function hangUp(event) {
  const c = client;
  client = null;
  if (event?.type === 'pagehide') room?.goodbye();
  else room?.leave();
  room = null;
  if (c && c.state !== 'closed' && c.state !== 'idle') c.disconnect().catch(() => {});
}

// ---- the room ---------------------------------------------------------------------------------

function enterRoom(name) {
  roster.clear();
  showRoster();
  room = new Room(client, name, me, settings.presenceMs, { chat: onChat, presence: onPresence });
  room.enter();
}

function switchRoom(name) {
  room?.leave();
  room = null;
  messages.clear();
  if (client?.connected) enterRoom(name);
}

function onChat(msg, from) {
  if (from !== room) return;
  messages.message(msg, msg.id === me.id);
}

function onPresence(msg, from) {
  if (from !== room) return;
  const self = msg.id === me.id;
  if (msg.kind === 'bye') {
    if (roster.remove(msg.id) && !self) messages.notice(`${msg.nick} left`, 'leave');
  } else {
    const change = roster.seen(msg, self);
    if (msg.kind === 'hello' && change.joined) {
      messages.notice(self ? `You joined #${room.name} as ${msg.nick}` : `${msg.nick} joined`, 'join');
    }
    if (change.renamed) messages.notice(`${change.renamed} is now ${msg.nick}`);
    // A newcomer learns who is here from everyone's answer.
    if (msg.kind === 'hello' && !self) room.announce('here');
  }
  showRoster();
}

function expire() {
  const gone = roster.expire();
  for (const person of gone) messages.notice(`${person.nick} left (no longer responding)`, 'leave');
  if (gone.length) showRoster();
}

function showRoster() {
  renderRoster($('#online'), $('#online-count'), roster);
}

// ---- the controls -----------------------------------------------------------------------------

function showSettings() {
  form.elements.nick.value = settings.nick;
  form.elements.room.value = settings.room;
  form.elements.transport.value = settings.transport;
  $('#room-title').textContent = `#${settings.room}`;
  $('#online-room').textContent = `#${settings.room}`;
  $('#summary').textContent = `${settings.nick} in #${settings.room}`;
  document.title = `#${settings.room} · webstomp-wasm chat`;
}

function apply(event) {
  event.preventDefault();
  const f = form.elements;
  const next = {
    nick: cleanNick(f.nick.value) || settings.nick,
    room: cleanRoom(f.room.value) || settings.room,
    transport: cleanTransport(f.transport.value) || settings.transport,
  };
  const changed = (key) => next[key] !== settings[key];
  const [nick, newRoom, transport] = [changed('nick'), changed('room'), changed('transport')];
  Object.assign(settings, next);
  me.nick = settings.nick;
  writeSettings(settings);
  showSettings();
  try {
    if (transport || !client || client.state === 'closed') {
      hangUp();
      messages.clear();
      connect();
    } else if (newRoom) {
      switchRoom(settings.room);
    } else if (nick) {
      room?.announce('here');
    }
  } catch (e) {
    status.alert(e.message);
  }
}

function say(event) {
  event.preventDefault();
  const input = composer.elements.text;
  const text = input.value.trim();
  if (!text || !room) return;
  try {
    room.say(text);
    input.value = '';
  } catch (e) {
    status.alert(`Not sent: ${e.message}`);
  }
}

function start() {
  const select = form.elements.transport;
  for (const t of TRANSPORTS) select.append(new Option(t.label, t.value));
  showSettings();
  $('#settings-box').open = matchMedia('(min-width: 760px)').matches;
  form.addEventListener('submit', apply);
  composer.addEventListener('submit', say);
  $('#reconnect').addEventListener('click', () => {
    hangUp();
    connect();
  });
  // Leaving the page says goodbye; coming back from the back/forward cache rejoins.
  addEventListener('pagehide', hangUp);
  addEventListener('pageshow', (e) => e.persisted && !client && connect());
  setInterval(expire, 500);
  setInterval(() => client && status.show(client, reconnects()), 1000);
  try {
    connect();
  } catch (e) {
    status.alert(e.message);
  }
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

start();
