// The chat's messages on the wire: small JSON bodies on two topics per room.
//   /topic/chat.<room>      {kind: 'chat', id, nick, text, time}
//   /topic/presence.<room>  {kind: 'hello' | 'here' | 'bye', id, nick, every, time}
// 'hello' is sent on joining (everyone answers with 'here'), 'here' every `every` ms while in the
// room, 'bye' on leaving. Bodies come from other people's pages: each one is checked, and
// anything odd is dropped.
import { MAX_NICK } from './settings.js';

export const MAX_TEXT = 1000;
const KINDS = new Set(['chat', 'hello', 'here', 'bye']);

export const chatTopic = (room) => `/topic/chat.${room}`;
export const presenceTopic = (room) => `/topic/presence.${room}`;

/** The SEND headers for our bodies. */
export const HEADERS = { 'content-type': 'application/json' };

export function chatBody(me, text) {
  return JSON.stringify({ kind: 'chat', id: me.id, nick: me.nick, text, time: Date.now() });
}

export function presenceBody(kind, me, every) {
  return JSON.stringify({ kind, id: me.id, nick: me.nick, every, time: Date.now() });
}

const isText = (v, max) => typeof v === 'string' && v.length > 0 && v.length <= max;

/** A received body as a checked object, or `null` if it is not one of ours. */
export function parse(body) {
  let m;
  try {
    m = JSON.parse(body);
  } catch {
    return null;
  }
  if (m === null || typeof m !== 'object' || !KINDS.has(m.kind)) return null;
  if (!isText(m.id, 64) || !isText(m.nick, MAX_NICK)) return null;
  const time = Number.isFinite(m.time) ? m.time : Date.now();
  if (m.kind === 'chat') {
    if (!isText(m.text, MAX_TEXT)) return null;
    return { kind: m.kind, id: m.id, nick: m.nick, text: m.text, time };
  }
  // A sender's announcement interval, kept within sane bounds whatever it claims.
  const every = Number.isFinite(m.every) ? Math.min(Math.max(m.every, 250), 60000) : 5000;
  return { kind: m.kind, id: m.id, nick: m.nick, every, time };
}
