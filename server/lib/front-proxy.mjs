// A front proxy for fault tests: forwards HTTP requests (streaming both ways)
// and WebSocket upgrades to one target, misbehaving as its mode says:
//   pass              plain forwarding, upgrades included
//   refuse-upgrade    answers WebSocket upgrades with HTTP 400
//   hang-upgrade      takes the upgrade's connection and never answers
//   buffer-streaming  holds each HTTP response until it ends (upgrades pass)
//   blackhole         once a connection is established (WebSocket: 101 sent;
//                     HTTP: response headers sent) and `after` ms have passed
//                     since the first one was, forwards nothing more either
//                     way on any connection, answers no new request, and
//                     closes nothing
// The mode can be changed at run time: POST /__proxy/mode?mode=M[&after=MS].

import http from 'node:http';
import net from 'node:net';
import { gatedPipe, gatedTunnel } from './gated-pipe.mjs';
import { send } from './static-files.mjs';
import { requestUrl } from './request-url.mjs';

export const PROXY_MODES = ['pass', 'refuse-upgrade', 'hang-upgrade', 'buffer-streaming', 'blackhole'];

// Headers that belong to one hop and are not forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function endToEnd(headers) {
  const out = { ...headers };
  for (const name of String(headers.connection ?? '').split(',')) delete out[name.trim().toLowerCase()];
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/**
 * @param {object} o
 * @param {string} o.target e.g. "http://127.0.0.1:8080"
 * @param {string} [o.mode] one of PROXY_MODES (default pass)
 * @param {number} [o.after] blackhole: ms after the first established connection
 * @param {string} [o.host] default 127.0.0.1
 * @param {number} [o.port] default 0
 * @param {string} [o.controlPath] default "/__proxy"
 * @param {(line: string) => void} [o.log]
 */
export async function startFrontProxy({ target, mode = 'pass', after = 0, host = '127.0.0.1', port = 0, controlPath = '/__proxy', log = () => {} }) {
  const targetUrl = new URL(target);
  if (targetUrl.protocol !== 'http:') throw new Error(`--target must be an http:// URL, got ${target}`);
  const upstream = { host: targetUrl.hostname.replace(/^\[|\]$/g, ''), port: Number(targetUrl.port || 80) };
  const state = { mode: checkMode(mode), after, blackholeAt: null };
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set(); // every socket, both sides, for stop()
  const track = (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    return s;
  };

  const blocked = () => state.mode === 'blackhole' && state.blackholeAt !== null && Date.now() >= state.blackholeAt;
  const established = () => {
    if (state.mode === 'blackhole' && state.blackholeAt === null) state.blackholeAt = Date.now() + state.after;
  };

  function setMode(next, nextAfter) {
    state.mode = checkMode(next);
    state.after = nextAfter ?? state.after;
    state.blackholeAt = state.mode === 'blackhole' ? Date.now() + state.after : null;
  }

  function handleControl(req, res) {
    const url = requestUrl(req);
    if (url.pathname !== `${controlPath}/mode`) return false;
    req.resume();
    if (req.method === 'POST') {
      try {
        const afterParam = url.searchParams.get('after');
        setMode(url.searchParams.get('mode') ?? '', afterParam === null ? undefined : Number(afterParam));
      } catch (err) {
        send(res, 400, JSON.stringify({ error: err.message }) + '\n', { 'Content-Type': 'application/json' });
        return true;
      }
    }
    send(res, 200, JSON.stringify({ mode: state.mode, after: state.after, blackholed: blocked() }) + '\n', { 'Content-Type': 'application/json' });
    return true;
  }

  function forwardRequest(req, res) {
    if (blocked()) return; // held: never answered
    const up = http.request({ ...upstream, agent, method: req.method, path: req.url, headers: endToEnd(req.headers) });
    up.on('error', (err) => {
      if (blocked()) return;
      log(`proxy: upstream ${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) send(res, 502, `Bad gateway: ${err.message}\n`);
      else res.destroy();
    });
    up.on('response', (ures) => {
      if (blocked()) return ures.resume();
      const headers = endToEnd(ures.headers);
      if (state.mode === 'buffer-streaming') {
        const chunks = [];
        ures.on('data', (c) => chunks.push(c));
        ures.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(ures.statusCode, ures.statusMessage, { ...headers, 'content-length': body.length });
          res.end(body);
        });
        return;
      }
      ures.on('error', () => {});
      // Upstream died mid-response (a relay killed): the client must see it.
      ures.on('close', () => {
        if (!ures.complete && !blocked()) res.destroy();
      });
      res.writeHead(ures.statusCode, ures.statusMessage, headers);
      res.flushHeaders();
      established();
      gatedPipe(ures, res, { blocked });
    });
    // The client went away: abort upstream too (sockjs-node then sees its receiver go).
    res.on('close', () => {
      if (!blocked() && !res.writableFinished) up.destroy();
    });
    gatedPipe(req, up, { blocked });
  }

  function handleUpgrade(req, socket, head) {
    track(socket);
    if (state.mode === 'refuse-upgrade') {
      const body = 'WebSocket upgrades are refused by this proxy\n';
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    if (state.mode === 'hang-upgrade' || blocked()) return; // held: never answered
    const up = track(net.connect(upstream));
    up.setNoDelay(true);
    socket.setNoDelay(true);
    let lines = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    up.write(lines + '\r\n');
    if (head?.length) up.write(head);
    // Upstream -> client: the handshake response passes whole; it marks the
    // connection established, and the gate applies to everything after it.
    let handshake = Buffer.alloc(0);
    let handshakeDone = false;
    const filterBtoA = (chunk) => {
      if (handshakeDone) return chunk;
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end === -1) return null;
      handshakeDone = true;
      socket.write(handshake.subarray(0, end + 4));
      established();
      const rest = handshake.subarray(end + 4);
      handshake = null;
      return rest;
    };
    gatedTunnel(socket, up, { blocked, filterBtoA });
  }

  const server = http.createServer({ noDelay: true });
  server.on('connection', track);
  server.on('request', (req, res) => {
    try {
      if (handleControl(req, res)) return;
      forwardRequest(req, res);
    } catch (err) {
      log(`proxy: ${req.method} ${req.url}: ${err.stack || err}`);
      send(res, 500, 'Internal error\n');
    }
  });
  server.on('upgrade', (req, socket, head) => {
    try {
      handleUpgrade(req, socket, head);
    } catch (err) {
      log(`proxy: upgrade ${req.url}: ${err.stack || err}`);
      socket.destroy();
    }
  });
  server.on('clientError', (err, socket) => socket.destroy());
  // Held requests and upgrades must not be timed out by Node's defaults.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`proxy: server error: ${err.message}`));

  const info = { url: `http://${host}:${server.address().port}`, port: server.address().port, target, mode: state.mode, control: `${controlPath}/mode` };

  async function stop() {
    await new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      agent.destroy();
    });
  }

  return { server, info, url: info.url, stop, setMode, state };
}

function checkMode(mode) {
  if (!PROXY_MODES.includes(mode)) throw new Error(`unknown mode ${JSON.stringify(mode)}; one of ${PROXY_MODES.join(', ')}`);
  return mode;
}
