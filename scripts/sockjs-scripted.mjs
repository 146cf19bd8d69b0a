// A scripted SockJS server for the garbage cases a real server never produces (tests/web_sockjs.rs).
// The first path segment names the scenario: a client given `${url}/bad-json` gets, on its
// xhr_streaming request, the prelude, `o`, then `a["x` (invalid JSON). Every scenario answers
// `/info` (websocket only where the scenario is a WebSocket one), sessions are
// `/{scenario}/{server}/{session}/{xhr_streaming|xhr|xhr_send|websocket}`, and every answer
// carries the CORS headers sockjs-node sends. STOMP-level garbage on every transport (a raw
// WebSocket at `/raw/CASE`, SockJS at `/stomp.CASE`) is scripts/scripted-stomp.mjs.
//
// Also the launcher's test hooks (scripts/sockjs-servers.mjs), with CORS headers so that a test
// page can call them and read the answer: `POST /__kill`, `POST /__close?code=&reason=`.

import http from 'node:http';
import { WebSocketServer } from 'ws';
import { createScriptedStomp } from './scripted-stomp.mjs';

const PRELUDE = 'h'.repeat(2048) + '\n';

// What each scenario does. `info`: the /info answer (status, body); `streaming`/`polling`:
// the chunks of each receive response (a function of how many came before on this session);
// `send`: the xhr_send status; `websocket`: the messages sent after the upgrade.
const SCENARIOS = {
  // Frames a real server would never send.
  'bad-json': { streaming: () => [PRELUDE, 'o\n', 'a["x\n'] },
  'bad-type': { streaming: () => [PRELUDE, 'o\n', 'x[]\n'] },
  'bad-shape': { polling: (n) => (n === 0 ? ['o\n'] : ['a[1,2]\n']) },
  'second-open': { streaming: () => [PRELUDE, 'o\n', 'o\n'] },
  'not-utf8': { streaming: () => [PRELUDE, 'o\n', Buffer.from([0x61, 0x5b, 0x22, 0xff, 0x22, 0x5d, 0x0a])] },
  // The response ends in the middle of a frame.
  truncated: { streaming: () => [PRELUDE, 'o\n', 'a["CONN'], end: true },
  // The prelude, split oddly, then `o` split across chunks, then a close.
  'split-open': { streaming: () => ['hhh', 'h'.repeat(2045) + '\no', '\nc[3001,"scripted', ' close"]\n'] },
  'messages-first': { streaming: () => [PRELUDE, 'a["x"]\n'] },
  'close-first': { streaming: () => [PRELUDE, 'c[3000,"Go away!"]\n'] },
  // A 2010 close before `o` falls back; polling then works.
  'another-connection': {
    streaming: () => [PRELUDE, 'c[2010,"Another connection still open"]\n'],
    polling: (n) => (n === 0 ? ['o\n'] : null),
  },
  'send-404': { streaming: () => [PRELUDE, 'o\n'], send: 404 },
  'send-500': { streaming: () => [PRELUDE, 'o\n'], send: 500 },
  'receive-500': { status: 500 },
  // Streaming responses that end right away without a frame, again and again.
  'empty-streams': { streaming: () => [PRELUDE], end: true },
  'info-500': { info: [500, 'Internal error\n'] },
  'info-html': { info: [200, '<!doctype html><title>not SockJS</title>\n'] },
  'info-hang': { info: null },
  'info-no-transport': { info: [200, '{"websocket":false}'] },
  // /info asks for cookies: the stream sets one, xhr_send must carry it (else 403); a send with
  // it closes the session with 3555. The same without `cookie_needed` must fail.
  'cookie-needed': { info: [200, '{"websocket":false,"cookie_needed":true}'], streaming: () => [PRELUDE, 'o\n'], cookie: true },
  'cookie-unsaid': { info: [200, '{"websocket":false,"cookie_needed":false}'], streaming: () => [PRELUDE, 'o\n'], cookie: true },
  'ws-bad-json': { ws: ['o', 'a["x'] },
  'ws-binary': { ws: ['o', Buffer.from([0xff, 0xfe])] },
  'ws-close': { ws: ['o', 'c[4001,"scripted close"]'] },
  // Close frames that are not `c[code,"reason"]`.
  'close-unterminated': { streaming: () => [PRELUDE, 'o\n', 'c[3000,"Go\n'] },
  'close-no-reason': { streaming: () => [PRELUDE, 'o\n', 'c[3000]\n'] },
  'close-big-code': { streaming: () => [PRELUDE, 'o\n', 'c[70000,"x"]\n'] },
  'close-string': { polling: (n) => (n === 0 ? ['o\n'] : ['c"bye"\n']) },
  'ws-close-garbage': { ws: ['o', 'c[1000,5]'] },
  // HTTP errors: /info 404; a receive request failing after the session opened.
  'info-404': { info: [404, 'Not found\n'] },
  'poll-404-after-open': { polling: (n) => (n === 0 ? ['o\n'] : { status: 404 }) },
  'stream-500-after-open': { streaming: (n) => (n === 0 ? [PRELUDE, 'o\n'] : { status: 500 }), end: true },
  // A polling response that ends inside its frame.
  'poll-truncated': { polling: (n) => (n === 0 ? ['o\n'] : ['a["CONN']) },
};

function cors(req, res) {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin || '*');
  if (origin) res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
  res.setHeader('Access-Control-Allow-Methods', 'OPTIONS, POST, GET');
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Starts the scripted server on 127.0.0.1.
 * @param {{port?: number, hooks?: Record<string, (params: URLSearchParams) => Promise<object>>, log?: (line: string) => void}} o
 *   hooks: `POST /__NAME` runs hooks.NAME and answers its result as JSON
 */
export async function startScripted({ port = 0, hooks = {}, log = () => {} } = {}) {
  const receives = new Map(); // session path -> receive requests so far
  const streams = new Map(); // session path -> its open streaming response
  const open = new Set(); // held responses, ended on stop
  const server = http.createServer({ noDelay: true });
  const wss = new WebSocketServer({ noServer: true });
  const stomp = createScriptedStomp({ log });

  server.on('request', (req, res) => {
    cors(req, res);
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      return res.end();
    }
    const hook = url.pathname.startsWith('/__') && hooks[url.pathname.slice(3)];
    if (hook && req.method === 'POST') {
      req.resume();
      hook(url.searchParams).then(
        (result) => json(res, 200, result),
        (err) => json(res, 500, { error: String(err) }),
      );
      return;
    }
    if (stomp.handleRequest(req, res, parts)) return;
    const scenario = SCENARIOS[parts[0]];
    if (!scenario) return json(res, 404, { error: 'unknown scenario', scenarios: Object.keys(SCENARIOS) });
    req.resume();
    if (parts.length === 2 && parts[1] === 'info' && req.method === 'GET') {
      const info = 'info' in scenario ? scenario.info : [200, JSON.stringify({ websocket: Boolean(scenario.ws), cookie_needed: false, origins: ['*:*'], entropy: 7 })];
      if (info === null) {
        open.add(res);
        res.on('close', () => open.delete(res));
        return; // never answered
      }
      res.writeHead(info[0], { 'Content-Type': 'application/json; charset=UTF-8' });
      return res.end(info[1]);
    }
    if (parts.length !== 4 || req.method !== 'POST') return json(res, 404, { error: 'not a session URL' });
    const endpoint = parts[3];
    const session = parts.slice(0, 3).join('/');
    if (endpoint === 'xhr_send' && scenario.cookie) {
      const has = String(req.headers.cookie ?? '').includes(`sockjs-scripted=${parts[0]}`);
      res.writeHead(has ? 204 : 403, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(has ? undefined : 'no cookie\n');
      if (has) streams.get(session)?.write('c[3555,"cookie seen"]\n');
      return;
    }
    if (endpoint === 'xhr_send') {
      const status = scenario.send ?? 204;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8' });
      return res.end(status === 204 ? undefined : `scripted ${status}\n`);
    }
    const kind = endpoint === 'xhr_streaming' ? 'streaming' : endpoint === 'xhr' ? 'polling' : null;
    if (!kind) return json(res, 404, { error: 'unknown endpoint' });
    if (scenario.status) {
      res.writeHead(scenario.status, { 'Content-Type': 'text/plain' });
      return res.end('scripted failure\n');
    }
    const n = receives.get(session) ?? 0;
    receives.set(session, n + 1);
    const chunks = scenario[kind]?.(n);
    if (chunks?.status) {
      res.writeHead(chunks.status, { 'Content-Type': 'text/plain' });
      return res.end(`scripted ${chunks.status}\n`);
    }
    if (!chunks) {
      // Nothing scripted: hold the request (a poll that waits), until stop.
      open.add(res);
      res.on('close', () => open.delete(res));
      return;
    }
    const headers = { 'Content-Type': 'application/javascript; charset=UTF-8' };
    if (scenario.cookie) headers['Set-Cookie'] = `sockjs-scripted=${parts[0]}; Path=/${parts[0]}; SameSite=Lax`;
    res.writeHead(200, headers);
    if (kind === 'streaming') {
      streams.set(session, res);
      res.on('close', () => streams.delete(session));
    }
    // Each chunk its own write, a few ms apart, so that the client sees them separately.
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i < chunks.length) {
        res.write(chunks[i++]);
        setTimeout(next, 5);
      } else if (scenario.end || kind === 'polling') {
        res.end();
      } else {
        open.add(res);
        res.on('close', () => open.delete(res));
      }
    };
    next();
  });

  server.on('upgrade', (req, socket, head) => {
    const parts = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
    if (stomp.handleUpgrade(req, socket, head, parts)) return;
    const scenario = SCENARIOS[parts[0]];
    if (!scenario?.ws || parts[3] !== 'websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      scenario.ws.forEach((m, i) => setTimeout(() => ws.readyState === 1 && ws.send(m), 5 * (i + 1)));
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  log(`scripted SockJS server at ${url}`);
  return {
    url,
    scenarios: Object.keys(SCENARIOS),
    async stop() {
      stomp.stop();
      for (const res of open) res.destroy();
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r()));
    },
  };
}

function json(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(value) + '\n');
}
