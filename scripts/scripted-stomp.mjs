// STOMP-level bad input, the same on every transport, for the scripted server
// (scripts/sockjs-scripted.mjs): the server answers the client's CONNECT with CONNECTED and,
// after the client's first SUBSCRIBE (so that its subscription is in place), sends the case's
// frames, each its own WebSocket or SockJS message, then ends as the case says. Over a raw
// WebSocket at `ws://HOST/raw/CASE` (a STOMP subprotocol chosen) and over SockJS at
// `http://HOST/stomp.CASE` on all three transports (websocket, xhr-streaming, xhr-polling).
//
// `end`: 'close' closes cleanly (WebSocket close 1000, SockJS `c[1000,"scripted end"]`); 'drop'
// kills the connection (TCP reset; over SockJS the receiving response breaks off and every later
// request of the session is cut); none: the server stays open and answers RECEIPTs. Frames that
// are Buffers go as binary messages, so such cases exist on the raw WebSocket only (`rawOnly`).
// `connected` replaces the CONNECTED frame.

import { WebSocketServer } from 'ws';

const PRELUDE = 'h'.repeat(2048) + '\n';
const CONNECTED = 'CONNECTED\nversion:1.2\nheart-beat:0,0\nserver:scripted\n\n\0';

// A MESSAGE on sub-0 with a content-length header of `length` (as given) and `body`; no NUL
// unless the body brings one.
const message = (length, body) =>
  `MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\ncontent-length:${length}\n\n${body}`;

/** The cases, by name. */
export const STOMP_CASES = {
  // A well-formed MESSAGE: proves the scripted peer and the way there work.
  alive: { frames: [message(5, 'alive\0')] },
  corrupt: { frames: ['HELLO there\n\n\0'] },
  'content-length-text': { frames: [message('abc', 'abc\0')] },
  'content-length-negative': { frames: [message('-5', 'abc\0')] },
  'content-length-huge': { frames: [message('9'.repeat(30), 'abc\0')] },
  // Announces more bytes than come, then the server closes cleanly.
  'content-length-past-end': { frames: [message(100, 'abc')], end: 'close' },
  'missing-nul': { frames: [message(2, 'abc\0')] },
  'bad-escape': { frames: ['MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\nx-h:a\\tb\n\n\0'] },
  'no-colon': { frames: ['MESSAGE\nsubscription:sub-0\nno colon here\n\n\0'] },
  // 64 KiB announced and sent (clients under test set maxFrameSize 16384).
  oversize: { frames: [message(65536, 'x'.repeat(65536) + '\0')] },
  // No content-length and no NUL: 8 messages of 4 KiB.
  'oversize-endless': {
    frames: ['MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/queue/a\n\n', ...Array(8).fill('y'.repeat(4096))],
  },
  // The connection dies in the middle of a frame.
  truncated: { frames: ['MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestin'], end: 'drop' },
  // Closed cleanly in the middle of a frame.
  'truncated-clean': { frames: ['MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestin'], end: 'close' },
  'binary-garbage': { frames: [Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0x00, 0xc3])], rawOnly: true },
  // Garbage instead of CONNECTED: the connect attempt itself fails.
  'bad-connected': { connected: 'CONNECTED\nversion:1.2\ncontent-length:x\n\n\0', frames: [] },
  'connected-version': { connected: 'CONNECTED\nversion:2.0\n\n\0', frames: [] },
};

// The STOMP frames (text) in a chunk the client sent, as far as this server cares: their
// command line and receipt header.
function framesIn(text) {
  return text
    .split('\0')
    .map((f) => f.replace(/^[\r\n]+/, ''))
    .filter(Boolean)
    .map((f) => ({ command: f.split('\n', 1)[0], receipt: /\nreceipt:([^\n]*)\n/.exec(f)?.[1] }));
}

// What the server says to a chunk from the client on a connection (`conn.started`: whether its
// script was started) of case `c`: CONNECTED (or the case's `connected`) to a CONNECT, a RECEIPT for each receipt asked for. Returns
// those messages, and whether the script (frames, then the end) starts now: at the first
// SUBSCRIBE.
function answer(text, conn, c) {
  const out = [];
  let script = false;
  for (const f of framesIn(text)) {
    if (f.command === 'CONNECT' || f.command === 'STOMP') out.push(c.connected ?? CONNECTED);
    if (f.receipt !== undefined) out.push(`RECEIPT\nreceipt-id:${f.receipt}\n\n\0`);
    if (f.command === 'SUBSCRIBE' && !conn.started) {
      conn.started = true;
      script = true;
    }
  }
  return { out, script };
}

/**
 * The scripted STOMP peers. `parts` are the request path's segments.
 * @param {{log?: (line: string) => void}} o
 */
export function createScriptedStomp({ log = () => {} } = {}) {
  const sessions = new Map(); // SockJS session path -> session
  const held = new Set(); // open responses, destroyed on stop
  const raw = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [...offered].find((p) => /^v1[012]\.stomp$/.test(p)) ?? false,
  });
  const sockjsWs = new WebSocketServer({ noServer: true });
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  // Sends `items` one by one, 5 ms apart, through `send`, then `end()`.
  const play = (items, send, end) => {
    let i = 0;
    const next = () => {
      if (i < items.length) {
        if (send(items[i++]) === false) return;
        later(5, next);
      } else {
        end();
      }
    };
    next();
  };

  function caseOf(name, rawTransport) {
    const c = Object.hasOwn(STOMP_CASES, name) ? STOMP_CASES[name] : null;
    if (!c || (c.rawOnly && !rawTransport)) return null;
    return c;
  }

  // --- raw STOMP over WebSocket ---
  function onRaw(ws, c, name) {
    ws.on('error', () => {});
    const conn = { started: false };
    ws.on('message', (data, isBinary) => {
      const { out, script } = answer(isBinary ? data.toString('latin1') : String(data), conn, c);
      for (const m of out) ws.send(m);
      if (!script) return;
      log(`raw/${name}: playing the script`);
      play(c.frames, (f) => ws.readyState === 1 && (ws.send(f), true), () => {
        if (c.end === 'close') ws.close(1000, 'scripted end');
        else if (c.end === 'drop') ws.terminate();
      });
    });
  }

  // --- SockJS: one session, whichever transport ---
  function session(path, c) {
    let s = sessions.get(path);
    if (!s) {
      s = { c, queue: [], receiver: null, opened: false, started: false, dead: false, ws: null };
      sessions.set(path, s);
    }
    return s;
  }

  // Queues a SockJS frame ('a[...]', 'c[...]') or the marker 'drop', and delivers what it can.
  function push(s, item) {
    s.queue.push(item);
    flush(s);
  }

  function flush(s) {
    if (s.dead) return;
    if (s.ws) {
      while (s.queue.length) {
        const item = s.queue.shift();
        if (s.ws.readyState !== 1) return;
        if (item === 'drop') return s.ws.terminate();
        s.ws.send(item);
        if (item.startsWith('c')) s.ws.close(1000);
      }
      return;
    }
    const r = s.receiver;
    if (!r || r.res.destroyed || !s.queue.length) return;
    if (r.streaming) {
      while (s.queue.length) {
        const item = s.queue.shift();
        if (item === 'drop') return die(s);
        r.res.write(item + '\n');
      }
    } else {
      const item = s.queue.shift();
      if (item === 'drop') return die(s);
      s.receiver = null;
      r.res.end(item + '\n');
    }
  }

  // The server is gone for this session: its receiving request breaks off, and every later
  // request of the session is cut without an answer.
  function die(s) {
    s.dead = true;
    s.queue.length = 0;
    s.receiver?.res.destroy();
    s.receiver = null;
  }

  function startScript(s, out, script) {
    if (out.length) push(s, 'a' + JSON.stringify(out));
    if (!script) return;
    const { frames, end } = s.c;
    play(frames, (f) => push(s, 'a' + JSON.stringify([f])), () => {
      if (end === 'close') push(s, 'c[1000,"scripted end"]');
      else if (end === 'drop') push(s, 'drop');
    });
  }

  function hold(res) {
    held.add(res);
    res.on('close', () => held.delete(res));
  }

  /** Handles a SockJS request of a `stomp.CASE` scenario; false if it is not one. */
  function handleRequest(req, res, parts) {
    const name = parts[0]?.startsWith('stomp.') ? parts[0].slice(6) : null;
    if (name === null) return false;
    const c = caseOf(name, false);
    const headers = { 'Content-Type': 'application/javascript; charset=UTF-8' };
    if (!c) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`no STOMP case ${name}: ${Object.keys(STOMP_CASES).join(', ')}\n`);
      return true;
    }
    if (parts.length === 2 && parts[1] === 'info' && req.method === 'GET') {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ websocket: true, cookie_needed: false, origins: ['*:*'], entropy: 7 }));
      return true;
    }
    if (parts.length !== 4 || req.method !== 'POST') {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not a session URL\n');
      return true;
    }
    const s = session(parts.slice(0, 3).join('/'), c);
    if (s.dead) {
      req.socket.destroy();
      return true;
    }
    const endpoint = parts[3];
    if (endpoint === 'xhr_send') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.writeHead(204, { 'Content-Type': 'text/plain; charset=UTF-8' });
        res.end();
        let messages = [];
        try {
          messages = JSON.parse(body);
        } catch {
          return;
        }
        const { out, script } = answer(messages.join(''), s, s.c);
        if (script) log(`${parts[0]}: playing the script`);
        startScript(s, out, script);
      });
      return true;
    }
    req.resume();
    if (endpoint === 'xhr_streaming') {
      res.writeHead(200, headers);
      res.write(PRELUDE);
      if (!s.opened) res.write('o\n');
      s.opened = true;
      s.receiver = { res, streaming: true };
      hold(res);
      flush(s);
      return true;
    }
    if (endpoint === 'xhr') {
      res.writeHead(200, headers);
      if (!s.opened) {
        s.opened = true;
        res.end('o\n');
        return true;
      }
      s.receiver = { res, streaming: false };
      hold(res);
      flush(s);
      return true;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('unknown endpoint\n');
    return true;
  }

  /** Takes a WebSocket upgrade for `raw/CASE` or a `stomp.CASE` SockJS session; false if neither. */
  function handleUpgrade(req, socket, head, parts) {
    if (parts[0] === 'raw' && parts.length === 2) {
      const c = caseOf(parts[1], true);
      if (!c) return false;
      raw.handleUpgrade(req, socket, head, (ws) => onRaw(ws, c, parts[1]));
      return true;
    }
    const name = parts[0]?.startsWith('stomp.') ? parts[0].slice(6) : null;
    const c = name === null ? null : caseOf(name, false);
    if (!c || parts.length !== 4 || parts[3] !== 'websocket') return false;
    sockjsWs.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      const s = session(parts.slice(0, 3).join('/'), c);
      s.ws = ws;
      ws.send('o');
      ws.on('message', (data) => {
        let messages = [];
        try {
          messages = JSON.parse(String(data));
        } catch {
          return;
        }
        const { out, script } = answer(messages.join(''), s, s.c);
        startScript(s, out, script);
      });
    });
    return true;
  }

  return {
    handleRequest,
    handleUpgrade,
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const res of held) res.destroy();
      for (const ws of [...raw.clients, ...sockjsWs.clients]) ws.terminate();
      sessions.clear();
    },
  };
}
