// Heart-beat negotiation and the two timers of a connection (STOMP 1.2 §"Heart-beating").

import { ProtocolError, CLOSE } from './errors.js';

/** The CONNECT `heart-beat` header as [cx, cy]; [0, 0] when absent. Throws ProtocolError. */
export function parseHeartBeat(value) {
  if (value === undefined) return [0, 0];
  const match = /^\s*([0-9]{1,9})\s*,\s*([0-9]{1,9})\s*$/.exec(value);
  if (!match) {
    throw new ProtocolError('invalid heart-beat header', {
      detail: `heart-beat must be two non-negative integers "cx,cy", got ${JSON.stringify(value)}`,
    });
  }
  return [Number(match[1]), Number(match[2])];
}

/**
 * The negotiated intervals in ms (0 = none), given the client's [cx, cy] and the broker's
 * offer { outgoing: sx, incoming: sy }.
 */
export function negotiateHeartBeat([cx, cy], { outgoing: sx, incoming: sy }) {
  return {
    send: sx > 0 && cy > 0 ? Math.max(sx, cy) : 0, // broker → client
    receive: cx > 0 && sy > 0 ? Math.max(cx, sy) : 0, // client → broker
  };
}

/**
 * Sends "\n" when the connection has been quiet for `send` ms, and fails the connection when
 * the client has been silent for `receive` × `tolerance` ms. The connection provides
 * `lastSent`, `lastReceived` (ms timestamps), `sendHeartbeat()` and `fail(error)`.
 */
export class HeartbeatTimers {
  constructor(conn, { send, receive }, tolerance) {
    this.conn = conn;
    this.send = send;
    this.receive = receive;
    this.tolerance = tolerance;
    this.sendTimer = null;
    this.receiveTimer = null;
  }

  start() {
    if (this.send > 0) this.armSend(this.send);
    if (this.receive > 0) this.armReceive(this.receive * this.tolerance);
  }

  stop() {
    clearTimeout(this.sendTimer);
    clearTimeout(this.receiveTimer);
    this.sendTimer = this.receiveTimer = null;
  }

  armSend(delay) {
    this.sendTimer = setTimeout(() => this.onSendTimer(), Math.max(1, delay));
    this.sendTimer.unref?.();
  }

  armReceive(delay) {
    this.receiveTimer = setTimeout(() => this.onReceiveTimer(), Math.max(1, delay));
    this.receiveTimer.unref?.();
  }

  onSendTimer() {
    this.sendTimer = null;
    const quiet = Date.now() - this.conn.lastSent;
    if (quiet >= this.send) {
      this.conn.sendHeartbeat();
      if (this.stopped()) return;
      this.armSend(this.send);
    } else {
      this.armSend(this.send - quiet);
    }
  }

  onReceiveTimer() {
    this.receiveTimer = null;
    const limit = this.receive * this.tolerance;
    const silent = Date.now() - this.conn.lastReceived;
    if (silent >= limit) {
      this.conn.fail(new ProtocolError('heart-beat timeout', {
        detail: `no data from the client for ${silent} ms; the negotiated heart-beat is ${this.receive} ms`,
        closeCode: CLOSE.POLICY,
      }));
    } else {
      this.armReceive(limit - silent);
    }
  }

  /** Whether the connection closed (and so called stop()) meanwhile. */
  stopped() {
    return this.conn.isClosed();
  }
}
