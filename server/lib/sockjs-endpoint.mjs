// The SockJS endpoint, served by sockjs-node (the SockJS reference server).
// Each SockJS session becomes one backend session; every SockJS message we
// send carries exactly what the backend handed us (one frame or heart-beat).

import sockjs from 'sockjs';

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {object} o
 * @param {string} o.prefix URL prefix, e.g. "/stomp"
 * @param {boolean} [o.websocket] false disables sockjs-node's websocket transports
 * @param {number} [o.heartbeatDelay] ms between SockJS "h" frames (sockjs-node: 25000)
 * @param {number} [o.disconnectDelay] ms before a receiver-less session is dropped (5000)
 * @param {number} [o.responseLimit] bytes after which a streaming response is ended (128 KiB)
 * @param {(transport: object) => {fromClient(d), clientGone()}} o.onSession
 * @param {(line: string) => void} o.log
 */
export function createSockjsEndpoint({ prefix, websocket = true, heartbeatDelay, disconnectDelay, responseLimit, onSession, log }) {
  const options = {
    prefix: escapeRegExp(prefix),
    websocket,
    log: (severity, line) => {
      if (severity === 'error') log(`sockjs: ${line}`);
    },
  };
  if (heartbeatDelay !== undefined) options.heartbeat_delay = heartbeatDelay;
  if (disconnectDelay !== undefined) options.disconnect_delay = disconnectDelay;
  if (responseLimit !== undefined) options.response_limit = responseLimit;
  const server = sockjs.createServer(options);

  server.on('connection', (conn) => {
    // sockjs-node may emit null for a session that closed before it opened.
    if (!conn) return;
    const link = onSession({
      kind: `sockjs/${conn.protocol || 'unknown'}`,
      send(message) {
        conn.write(typeof message === 'string' ? message : message.toString('utf8'));
      },
      close(code, reason) {
        conn.close(code, reason);
      },
    });
    conn.on('data', (text) => link.fromClient(text));
    conn.on('close', () => link.clientGone());
  });

  const handler = server.listener().getHandler();
  const run = (req, resOrSocket, head) => {
    try {
      return handler(req, resOrSocket, head);
    } catch (err) {
      log(`sockjs: handler threw: ${err.stack || err}`);
      if (resOrSocket.writeHead && !resOrSocket.headersSent) {
        resOrSocket.writeHead(500);
        resOrSocket.end();
      } else {
        resOrSocket.destroy();
      }
      return true;
    }
  };
  return {
    prefix,
    /** @returns {boolean} true when the request was the endpoint's */
    handleRequest: (req, res) => run(req, res),
    // Only its websocket URLs take upgrades (its other handlers assume a real
    // HTTP response object and fail on a bare socket).
    handleUpgrade: (req, socket, head) => /\/websocket\/?(\?.*)?$/.test(req.url ?? '') && run(req, socket, head),
  };
}
