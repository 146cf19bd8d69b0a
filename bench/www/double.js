// The socket double every client gets in the deliver and publish scenarios: WebSocket-shaped
// (`readyState`, `on*` handlers, `send`, `close`), it opens in a later task, answers CONNECT with
// CONNECTED, then keeps whatever is sent (the publish check) and pushes what it is told to.
// Cheap on purpose: a push calls `onmessage` in a loop with MessageEvents built beforehand.
// Constructing a MessageEvent from script costs 2-4 µs here, more than some clients spend on a
// whole frame: built per message, it would weigh on every client alike and squash the ratios.

import { CONNECTED_FRAME } from './frames.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()();

/** Resolves in a new macrotask (no 4 ms clamp, unlike setTimeout). */
export function nextTask() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

export class SocketDouble {
  constructor() {
    this.readyState = CONNECTING;
    this.protocol = 'v12.stomp';
    this.binaryType = 'blob';
    this.url = 'ws://127.0.0.1/bench';
    this.bufferedAmount = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    /** Everything sent after CONNECT, as given to send(). */
    this.sent = [];
    this.connectSeen = false;
    setTimeout(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.(new Event('open'));
    });
  }

  send(data) {
    if (this.readyState !== OPEN) throw new Error('SocketDouble.send: not open');
    if (this.connectSeen) {
      this.sent.push(data);
      return;
    }
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    if (/^(CONNECT|STOMP)\r?\n/.test(text)) {
      this.connectSeen = true;
      setTimeout(() => this.receive(CONNECTED_FRAME));
    }
  }

  close(code = 1000, reason = '') {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    setTimeout(() => this.onclose?.(new CloseEvent('close', { code, reason, wasClean: true })));
  }

  /** Delivers one socket message now, as the browser would. */
  receive(data) {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  /**
   * Delivers `total` messages cycling through `events` (from `messageEvents`), `batch` per task;
   * `afterBatch` runs after each batch (memory sampling).
   */
  async push(events, total, batch, afterBatch) {
    const mask = events.length - 1; // a power of two
    for (let i = 0; i < total;) {
      const end = Math.min(total, i + batch);
      for (; i < end; i++) this.onmessage(events[i & mask]);
      afterBatch?.();
      await nextTask();
    }
  }
}

/** One MessageEvent per payload, for `push`. */
export const messageEvents = (payloads) => payloads.map((data) => new MessageEvent('message', { data }));
