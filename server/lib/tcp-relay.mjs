// Backend that relays each client session to a STOMP broker's TCP port
// (RabbitMQ, ActiveMQ, ...), one TCP connection per session. It has the same
// shape as the embedded broker: attach(peer) -> { receive(data), closed() }.
//
// Client -> broker: bytes are written as they come.
// Broker -> client: by default one whole STOMP frame (or heart-beat) per
// peer.send(), via FrameSplitter; with rawChunks, each TCP chunk as it comes
// (decoded as UTF-8 without splitting a character), so frames arrive split
// and merged.

import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { FrameSplitter, FrameSplitError } from './frame-splitter.mjs';

/** Parses "tcp://host:port" (or "host:port"). */
export function parseTcpUrl(spec) {
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(String(spec).trim());
  if (!m) throw new Error(`bad broker address ${JSON.stringify(spec)}: expected tcp://host:port`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new Error(`bad broker port in ${JSON.stringify(spec)}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * @param {object} options
 * @param {string} options.host
 * @param {number} options.port
 * @param {boolean} [options.rawChunks]
 * @param {number} [options.maxFrameBytes]
 * @param {number} [options.connectTimeoutMs]
 * @param {(line: string) => void} [options.log]
 */
export function createTcpRelay({ host, port, rawChunks = false, maxFrameBytes, connectTimeoutMs = 10000, log = () => {} }) {
  const live = new Set();

  function attach(peer) {
    let done = false;
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    live.add(socket);
    const splitter = rawChunks ? null : new FrameSplitter({ maxFrameBytes });
    const decoder = rawChunks ? new StringDecoder('utf8') : null;

    const connectTimer = setTimeout(() => finish(1011, 'Broker connect timeout'), connectTimeoutMs);
    connectTimer.unref();
    socket.once('connect', () => clearTimeout(connectTimer));

    // Ends the TCP side and closes the client with code/reason (unless the
    // client went first: then code is null and only TCP is ended).
    function finish(code, reason) {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      live.delete(socket);
      if (socket.readyState === 'open' || socket.connecting) {
        socket.end();
        // A broker that never closes its side must not keep the socket forever.
        setTimeout(() => socket.destroy(), 5000).unref();
      } else {
        socket.destroy();
      }
      if (code !== null) safeClose(peer, code, reason);
    }

    socket.on('data', (chunk) => {
      if (done) return;
      try {
        if (decoder) {
          const text = decoder.write(chunk);
          if (text) peer.send(text);
        } else {
          for (const message of splitter.push(chunk)) peer.send(message);
        }
      } catch (err) {
        if (err instanceof FrameSplitError) {
          log(`relay: malformed data from broker: ${err.message}`);
          finish(1002, `Malformed frame from broker: ${err.message}`.slice(0, 120));
        } else {
          log(`relay: sending to client failed: ${err.message}`);
          finish(1011, 'Relay error');
        }
      }
    });
    socket.on('error', (err) => {
      log(`relay: broker socket error: ${err.code || err.message}`);
      finish(1011, `Broker connection failed: ${err.code || err.message}`.slice(0, 120));
    });
    socket.on('close', () => finish(1000, 'Broker closed the connection'));

    return {
      receive(data) {
        if (done) return;
        socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      },
      closed() {
        finish(null);
      },
    };
  }

  function close() {
    for (const socket of live) socket.destroy();
    live.clear();
  }

  return { attach, close, describe: `tcp://${host}:${port}${rawChunks ? ' (raw chunks)' : ''}` };
}

function safeClose(peer, code, reason) {
  try {
    peer.close(code, reason);
  } catch {
    // the client transport is already gone
  }
}
