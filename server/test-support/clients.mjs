// Test clients: sockjs-client (in Node) and a raw `ws` WebSocket, both
// collecting every message and the close event.

import SockJS from 'sockjs-client';
import WebSocket from 'ws';

function collector(sock, kind) {
  const c = { sock, kind, messages: [], closed: null, waiters: [] };
  c.check = () => {
    c.waiters = c.waiters.filter((w) => !w());
  };
  /** Resolves once pred(c) holds. */
  c.until = (pred, timeoutMs = 4000, what = 'condition') =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind}: timed out waiting for ${what}; got ${JSON.stringify(c.messages).slice(0, 500)} closed=${JSON.stringify(c.closed)}`)), timeoutMs);
      const w = () => {
        if (!pred(c)) return false;
        clearTimeout(timer);
        resolve(c);
        return true;
      };
      if (!w()) c.waiters.push(w);
    });
  c.messagesN = (n, t) => c.until((x) => x.messages.length >= n, t, `${n} messages`);
  c.closedEvent = (t) => c.until((x) => x.closed !== null, t, 'close').then(() => c.closed);
  return c;
}

/** sockjs-client at base URL, restricted to the given transports. */
export function openSockJS(url, transports, options = {}) {
  const sock = new SockJS(url, null, { transports, ...options });
  const c = collector(sock, `sockjs(${transports})`);
  c.opened = new Promise((resolve, reject) => {
    sock.onopen = () => resolve(c);
    sock.onclose = (e) => {
      c.closed = { code: e.code, reason: e.reason };
      c.check();
      reject(new Error(`closed before open: ${e.code} ${e.reason}`));
    };
  });
  c.opened.catch(() => {});
  sock.onmessage = (e) => {
    c.messages.push(e.data);
    c.check();
  };
  c.send = (text) => sock.send(text);
  c.close = () => sock.close();
  return c;
}

/** A raw WebSocket offering the given subprotocols. */
export function openWs(url, protocols = ['v12.stomp', 'v11.stomp', 'v10.stomp'], options = {}) {
  const ws = new WebSocket(url, protocols, options);
  const c = collector(ws, 'ws');
  c.error = null;
  c.opened = new Promise((resolve, reject) => {
    ws.once('open', () => resolve(c));
    ws.once('error', (err) => {
      c.error = err;
      c.check();
      reject(err);
    });
  });
  c.opened.catch(() => {});
  ws.on('message', (data, isBinary) => {
    c.messages.push(isBinary ? data : data.toString('utf8'));
    c.check();
  });
  ws.on('close', (code, reason) => {
    c.closed = { code, reason: reason.toString() };
    c.check();
  });
  c.send = (text) => ws.send(text);
  c.close = () => ws.close();
  return c;
}
