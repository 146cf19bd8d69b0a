// The broker: its connections, destinations and ids.

import { randomBytes } from 'node:crypto';
import { Connection } from './connection.js';
import { CLOSE } from './errors.js';
import { resolveOptions } from './options.js';
import { Router } from './router.js';

class Broker {
  constructor(options) {
    this.options = options;
    this.log = options.logger;
    this.router = new Router(options);
    this.connections = new Set();
    this.prefix = randomBytes(4).toString('hex'); // ids stay unique across broker restarts
    this.sessionSeq = 0;
    this.messageSeq = 0;
    this.isClosed = false;
  }

  attach(transport) {
    if (typeof transport?.send !== 'function' || typeof transport?.close !== 'function') {
      throw new TypeError('broker.attach(transport): transport needs send(text) and close(code, reason)');
    }
    if (this.isClosed) {
      try {
        transport.close(CLOSE.GOING_AWAY, 'broker closed');
      } catch {
        // The transport is going away anyway.
      }
      return Object.freeze({ session: null, receive() {}, closed() {} });
    }
    const conn = new Connection(this, transport, `session-${this.prefix}-${++this.sessionSeq}`);
    this.connections.add(conn);
    this.log.debug(`broker: session ${conn.session} attached`);
    return Object.freeze({
      session: conn.session,
      receive: (data) => conn.receive(data),
      closed: () => conn.closed(),
    });
  }

  nextMessageId() {
    return `message-${this.prefix}-${++this.messageSeq}`;
  }

  /** Called by a connection once it is closed. */
  forget(conn) {
    this.connections.delete(conn);
  }

  close() {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const conn of [...this.connections]) conn.closeWith(CLOSE.GOING_AWAY, 'broker shutting down');
    this.router.clear();
  }

  stats() {
    return { connections: this.connections.size, ...this.router.stats() };
  }
}

/**
 * A new in-process STOMP broker; see options.js for `options` and README.md for the interface.
 * @returns {{ attach(transport): { session: string, receive(data): void, closed(): void },
 *             close(): void, stats(): object }}
 */
export function createBroker(options) {
  const broker = new Broker(resolveOptions(options));
  return Object.freeze({
    attach: (transport) => broker.attach(transport),
    close: () => broker.close(),
    stats: () => broker.stats(),
    options: broker.options,
  });
}
