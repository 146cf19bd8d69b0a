// One HTTP server on 127.0.0.1 with, in this order of precedence:
// the control hook, the raw WebSocket endpoint, the SockJS endpoint, and the
// static mounts. Every session is joined to the given backend.

import http from 'node:http';
import { SessionRegistry, joinSession } from './session.mjs';
import { createSockjsEndpoint } from './sockjs-endpoint.mjs';
import { createWsEndpoint } from './ws-endpoint.mjs';
import { createStaticHandler, send } from './static-files.mjs';
import { createControlHandler } from './control.mjs';

/**
 * @param {object} o
 * @param {{attach(peer), close(), describe?: string}} o.backend
 * @param {string} [o.host] default 127.0.0.1
 * @param {number} [o.port] default 0 (any free port)
 * @param {{prefix: string, dir: string}[]} [o.statics]
 * @param {[string, string][]} [o.staticHeaders] headers added to every static file served
 * @param {null|{prefix: string, websocket?: boolean, heartbeatDelay?: number, disconnectDelay?: number, responseLimit?: number}} [o.sockjs]
 * @param {null|string} [o.wsPath]
 * @param {null|string} [o.controlPath]
 * @param {(line: string) => void} [o.log]
 */
export async function startApp({ backend, host = '127.0.0.1', port = 0, statics = [], staticHeaders = [], sockjs = null, wsPath = null, controlPath = null, log = () => {} }) {
  const registry = new SessionRegistry();
  const onSession = (transport) => joinSession(backend, transport, registry, log);

  const sockjsEndpoint = sockjs ? createSockjsEndpoint({ ...sockjs, onSession, log }) : null;
  const wsEndpoint = wsPath ? createWsEndpoint({ path: wsPath, onSession, log }) : null;
  const handleStatic = createStaticHandler(statics, { headers: staticHeaders });
  const handleControl = controlPath ? createControlHandler(controlPath, registry) : () => false;

  const server = http.createServer({ noDelay: true });
  // Every TCP connection, upgraded ones included, so that stop() can end them.
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    try {
      if (handleControl(req, res)) return;
      if (sockjsEndpoint?.handleRequest(req, res)) return;
      if (handleStatic(req, res)) return;
      send(res, 404, 'Not found\n');
    } catch (err) {
      log(`request ${req.method} ${req.url} failed: ${err.stack || err}`);
      send(res, 500, 'Internal error\n');
    }
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (err) => log(`upgrade socket error: ${err.message}`));
    try {
      if (wsEndpoint?.handleUpgrade(req, socket, head)) return;
      if (sockjsEndpoint?.handleUpgrade(req, socket, head)) return;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } catch (err) {
      log(`upgrade ${req.url} failed: ${err.stack || err}`);
      socket.destroy();
    }
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${err.message}`));

  const address = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const info = { url, port: address.port };
  if (sockjs) info.sockjs = sockjs.prefix;
  if (wsPath) info.ws = wsPath;
  if (controlPath) info.control = controlPath;
  if (backend.describe) info.broker = backend.describe;

  let stopped = null;
  async function stop() {
    stopped ??= (async () => {
      registry.closeAll(1001, 'Server shutting down');
      // Let close frames ("c[1001,...]", WebSocket close) reach the clients.
      await new Promise((r) => setTimeout(r, 50));
      wsEndpoint?.close();
      backend.close();
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Upgraded sockets still finishing a close handshake get a moment, then go.
        setTimeout(() => sockets.forEach((s) => s.destroy()), 200).unref();
      });
    })();
    return stopped;
  }

  return { server, info, url, registry, stop };
}
