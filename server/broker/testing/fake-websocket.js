// An in-process stand-in for a browser WebSocket, wired to broker.attach(), for driving the
// broker with @stomp/stompjs (`webSocketFactory: () => new FakeWebSocket(broker)`) in Node.
//
// Both directions are asynchronous and in order, like a real socket: each message is handed
// over in its own macrotask. Extras for tests:
//   chunkSize  split each client message into pieces of this many UTF-8 bytes (as Buffers)
//   sent / received   every raw client → broker / broker → client message
//   inject(data)      raw data to the broker as if the client had sent it
//   pause() / resume() hold broker → client messages; the transport's bufferedAmount counts them
//   closeInfo         { code, reason, by } once closed

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export class FakeWebSocket {
  static CONNECTING = CONNECTING;
  static OPEN = OPEN;
  static CLOSING = CLOSING;
  static CLOSED = CLOSED;

  constructor(broker, { url = 'ws://in-process/ws', chunkSize = 0 } = {}) {
    this.url = url;
    this.protocol = '';
    this.extensions = '';
    this.binaryType = 'blob';
    this.readyState = CONNECTING;
    this.bufferedAmount = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this.chunkSize = chunkSize;
    this.sent = [];
    this.received = [];
    this.closeInfo = null;
    this.paused = false;
    this.held = []; // broker → client messages waiting while paused
    this.heldBytes = 0;
    const ws = this;
    this.transport = {
      send(text) {
        ws.fromBroker(text);
      },
      close(code, reason) {
        ws.closedByBroker(code, reason);
      },
      get bufferedAmount() {
        return ws.heldBytes;
      },
    };
    setImmediate(() => {
      if (this.readyState !== CONNECTING) return;
      this.conn = broker.attach(this.transport);
      this.readyState = OPEN;
      this.onopen?.({ type: 'open' });
    });
  }

  /** WebSocket.send: client → broker. */
  send(data) {
    if (this.readyState !== OPEN) throw new Error('InvalidStateError: the fake WebSocket is not open');
    this.sent.push(data);
    this.inject(data);
  }

  /** Hands raw data to the broker as if the client had sent it. */
  inject(data) {
    const pieces = this.chunkSize > 0 ? split(data, this.chunkSize) : [data];
    for (const piece of pieces) {
      setImmediate(() => {
        if (this.readyState === OPEN) this.conn.receive(piece);
      });
    }
  }

  /** WebSocket.close: the client goes away; the broker is told after what is in flight. */
  close(code = 1000, reason = '') {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    const wasOpen = this.readyState === OPEN;
    this.readyState = CLOSING;
    setImmediate(() => {
      if (wasOpen) this.conn.closed();
      this.finish(code, reason, 'client');
    });
  }

  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
    for (const text of this.held.splice(0)) this.deliver(text);
    this.heldBytes = 0;
  }

  // ---- broker side ----

  fromBroker(text) {
    if (this.readyState !== OPEN) return;
    if (this.paused) {
      this.held.push(text);
      this.heldBytes += Buffer.byteLength(text);
      return;
    }
    this.deliver(text);
  }

  deliver(text) {
    setImmediate(() => {
      if (this.readyState !== OPEN && this.readyState !== CLOSING) return;
      this.received.push(text);
      this.onmessage?.({ type: 'message', data: text });
    });
  }

  closedByBroker(code, reason) {
    if (this.readyState === CLOSED || this.closeInfo) return;
    this.readyState = CLOSING;
    // After the messages already in flight, like a WebSocket closing handshake.
    setImmediate(() => this.finish(code, reason, 'broker'));
  }

  finish(code, reason, by) {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.closeInfo = { code, reason, by };
    this.onclose?.({ type: 'close', code, reason, wasClean: true });
  }
}

/** `data` as Buffers of at most `size` bytes (splitting UTF-8 characters too). */
function split(data, size) {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
