// Raw STOMP over WebSocket (the `ws` package), at its own path, because
// sockjs-node's raw /websocket endpoint does not echo the STOMP subprotocol.

import { isUtf8 } from 'node:buffer';
import { WebSocketServer } from 'ws';
import { requestUrl } from './request-url.mjs';

/** Subprotocols we speak, best first. */
export const STOMP_PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/** The best STOMP subprotocol the client offered, or false for none. */
export function chooseStompProtocol(offered) {
  const set = new Set([...offered].map((p) => String(p).trim().toLowerCase()));
  return STOMP_PROTOCOLS.find((p) => set.has(p)) ?? false;
}

/** A close code `ws` accepts: 1000-1014 minus the reserved ones, or 3000-4999. */
export function wsCloseCode(code) {
  const valid = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return Number.isInteger(code) && valid ? code : 1011;
}

/** Trims a close reason to the 123 bytes a close frame allows. */
export function wsCloseReason(reason) {
  let text = String(reason ?? '');
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  return text;
}

/**
 * @param {object} o
 * @param {string} o.path e.g. "/ws"
 * @param {number} [o.maxPayload] bytes per incoming message
 * @param {(transport: object) => {fromClient(d), clientGone()}} o.onSession
 * @param {(line: string) => void} o.log
 */
export function createWsEndpoint({ path, maxPayload = 64 * 1024 * 1024, onSession, log }) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (offered) => chooseStompProtocol(offered),
  });
  wss.on('error', (err) => log(`ws: ${err.message}`));

  function accept(ws) {
    const link = onSession({
      kind: 'ws',
      send(message) {
        if (ws.readyState !== ws.OPEN) return;
        if (typeof message === 'string') ws.send(message);
        else ws.send(message, { binary: !isUtf8(message) });
      },
      close(code, reason) {
        ws.close(wsCloseCode(code), wsCloseReason(reason));
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
    });
    ws.on('message', (data, isBinary) => link.fromClient(isBinary ? data : data.toString('utf8')));
    ws.on('error', (err) => log(`ws: client socket error: ${err.message}`));
    ws.on('close', () => link.clientGone());
  }

  return {
    path,
    /** @returns {boolean} true when the upgrade was for this endpoint */
    handleUpgrade(req, socket, head) {
      if (requestUrl(req).pathname !== path) return false;
      wss.handleUpgrade(req, socket, head, accept);
      return true;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
