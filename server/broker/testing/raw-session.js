// Test harness: a broker session driven with raw bytes, whose output is decoded with the
// broker's own decoder (tests that need an independent client use stomp-client.js instead).

import { Decoder } from '../decoder.js';
import { HEARTBEAT } from '../frame.js';

/**
 * Attaches a transport that records everything. Returns { conn, sent (raw strings), frames
 * (decoded, heart-beats left out), heartbeats, closes ([code, reason] pairs), send(data),
 * connect(headers) }.
 */
export function rawSession(broker, { bufferedAmount } = {}) {
  const decoder = new Decoder();
  const session = { sent: [], frames: [], heartbeats: 0, closes: [] };
  const transport = {
    send(text) {
      if (typeof text !== 'string') throw new TypeError('the broker must send strings');
      session.sent.push(text);
      decoder.push(text);
      for (let item; (item = decoder.next()) !== null;) {
        if (item === HEARTBEAT) session.heartbeats++;
        else {
          session.frames.push(item);
          if (item.command === 'CONNECTED') decoder.version = item.get('version') ?? '1.0';
        }
      }
    },
    close(code, reason) {
      session.closes.push([code, reason]);
    },
  };
  if (bufferedAmount) Object.defineProperty(transport, 'bufferedAmount', { get: bufferedAmount });
  session.conn = broker.attach(transport);
  session.send = (data) => session.conn.receive(data);
  /** CONNECT with `headers` (default accept-version 1.2, no heart-beats). */
  session.connect = (headers = 'accept-version:1.2\nheart-beat:0,0\n') => {
    session.send(`CONNECT\nhost:/\n${headers}\n\0`);
    return session.frames[session.frames.length - 1];
  };
  /** The last frame with `command`. */
  session.last = (command) => session.frames.filter((f) => f.command === command).at(-1);
  return session;
}
