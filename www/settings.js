// What the user picks (nickname, room, transport) and what it means for the client: the URL
// and the options given to webstomp.client(). Query parameters set the starting values, e.g.
// ?nick=alice&room=lobby&transport=xhr-polling&presence=5000

/** The transport choices, in the order the selector lists them. */
export const TRANSPORTS = [
  { value: 'auto', label: 'Auto (SockJS)' },
  { value: 'websocket', label: 'SockJS websocket', sockjs: ['websocket'] },
  { value: 'xhr-streaming', label: 'SockJS xhr-streaming', sockjs: ['xhr-streaming'] },
  { value: 'xhr-polling', label: 'SockJS xhr-polling', sockjs: ['xhr-polling'] },
  { value: 'raw', label: 'Raw WebSocket' },
];

const ALIASES = { 'websocket-raw': 'raw', ws: 'raw', sockjs: 'auto' };
const ROOM = /^[A-Za-z0-9_-]{1,32}$/;
export const MAX_NICK = 24;

/** The server's endpoints (see `npm start`): SockJS at /chat, raw STOMP over WebSocket at /ws. */
const SOCKJS_PATH = '/chat';
const WS_PATH = '/ws';

/** How often this page announces itself in the room's presence topic, in ms. */
const PRESENCE_DEFAULT = 5000;

/** A nickname cut to size, or '' if nothing printable is left. */
export function cleanNick(value) {
  return String(value ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_NICK);
}

/** A room name usable in a topic name (`/topic/chat.<room>`), or '' if it is not one. */
export function cleanRoom(value) {
  const room = String(value ?? '').trim().toLowerCase();
  return ROOM.test(room) ? room : '';
}

/** A known transport value, or '' if `value` is none. */
export function cleanTransport(value) {
  const v = String(value ?? '').trim().toLowerCase();
  const known = ALIASES[v] ?? v;
  return TRANSPORTS.some((t) => t.value === known) ? known : '';
}

/** The starting settings from a query string; anything missing or invalid gets its default. */
export function readSettings(search) {
  const q = new URLSearchParams(search);
  const presence = Number(q.get('presence'));
  return {
    nick: cleanNick(q.get('nick')) || `guest-${Math.floor(1000 + Math.random() * 9000)}`,
    room: cleanRoom(q.get('room')) || 'lobby',
    transport: cleanTransport(q.get('transport')) || 'auto',
    presenceMs: Number.isFinite(presence) && presence >= 250 ? Math.min(presence, 60000) : PRESENCE_DEFAULT,
  };
}

/** Puts the settings in the address bar (without reloading), so the link reopens the same chat. */
export function writeSettings(settings) {
  const url = new URL(location.href);
  url.searchParams.set('nick', settings.nick);
  url.searchParams.set('room', settings.room);
  url.searchParams.set('transport', settings.transport);
  history.replaceState(null, '', url);
}

/** The label shown for a transport choice. */
export function transportLabel(value) {
  return TRANSPORTS.find((t) => t.value === value)?.label ?? value;
}

/** The URL and the transport options for `webstomp.client()`. */
export function endpoint(transport, where = location) {
  if (transport === 'raw') {
    const scheme = where.protocol === 'https:' ? 'wss:' : 'ws:';
    return { url: `${scheme}//${where.host}${WS_PATH}`, options: {} };
  }
  const choice = TRANSPORTS.find((t) => t.value === transport);
  const options = choice?.sockjs ? { transports: choice.sockjs } : {};
  return { url: `${where.origin}${SOCKJS_PATH}`, options };
}
