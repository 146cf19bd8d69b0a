// One client session: decodes what the client sends, runs each frame's command, writes frames
// back through the transport, and cleans everything up when either side closes.

import { Decoder } from './decoder.js';
import { encodeFrame } from './encoder.js';
import { CLOSE, ParseError, ProtocolError } from './errors.js';
import { HEARTBEAT } from './frame.js';
import { HeartbeatTimers } from './heartbeat.js';
import { handleConnect } from './connect.js';
import { COMMAND_HANDLERS } from './handlers.js';
import { Transactions } from './transactions.js';

/** The most bytes of a WebSocket close reason. */
const MAX_REASON = 120;

export class Connection {
  constructor(broker, transport, session) {
    const { options } = broker;
    this.broker = broker;
    this.options = options;
    this.log = options.logger;
    this.transport = transport;
    this.session = session;
    this.state = 'new'; // 'new' (awaiting CONNECT) → 'connected' → 'closed'
    this.version = '1.0'; // how frames are encoded; set by CONNECT
    this.decoder = new Decoder({
      maxFrameSize: options.maxFrameSize,
      maxHeaders: options.maxHeaders,
      maxHeaderLine: options.maxHeaderLine,
    });
    /** subscription id → Subscription */
    this.subscriptions = new Map();
    /** ackId → delivery awaiting ACK, over all subscriptions */
    this.deliveries = new Map();
    this.ackSeq = 0;
    this.transactions = new Transactions(options);
    this.heartbeat = null;
    this.failing = false;
    this.lastSent = this.lastReceived = Date.now();
    this.connectTimer = null;
    if (options.connectTimeout > 0) {
      this.connectTimer = setTimeout(() => this.fail(new ProtocolError('no CONNECT frame in time', {
        detail: `a session must start with CONNECT or STOMP within ${options.connectTimeout} ms`,
        closeCode: CLOSE.POLICY,
      })), options.connectTimeout);
      this.connectTimer.unref?.();
    }
  }

  isClosed() {
    return this.state === 'closed';
  }

  /** Data from the client, in any chunking. Never throws. */
  receive(data) {
    if (this.isClosed()) return;
    this.lastReceived = Date.now();
    try {
      this.decoder.push(data);
      while (!this.isClosed()) {
        const item = this.decoder.next();
        if (item === null) return;
        if (item !== HEARTBEAT) this.handle(item);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** The transport went away: forget the session. Never throws. */
  closed() {
    if (this.isClosed()) return;
    this.log.debug(`broker: session ${this.session} transport closed`);
    this.teardown();
  }

  /** Runs one frame; throws ParseError/ProtocolError to fail the connection. */
  handle(frame) {
    const { command } = frame;
    const isConnect = command === 'CONNECT' || command === 'STOMP';
    const receipt = isConnect ? undefined : frame.get('receipt');
    try {
      if (this.state === 'new') {
        if (!isConnect) {
          throw new ProtocolError('expected CONNECT', {
            detail: `the first frame of a session must be CONNECT or STOMP, got ${command}`,
          });
        }
        handleConnect(this, frame);
        return;
      }
      if (isConnect) throw new ProtocolError('already connected', { detail: `${command} sent on a connected session` });
      const handler = COMMAND_HANDLERS[command];
      if (!handler) {
        throw new ProtocolError(`unexpected ${command} frame`, { detail: `${command} is a server frame, not one a client sends` });
      }
      handler(this, frame);
    } catch (error) {
      if (error instanceof ProtocolError && receipt !== undefined) error.receiptId ??= receipt;
      throw error;
    }
    if (receipt !== undefined) this.sendFrame('RECEIPT', [['receipt-id', receipt]]);
    if (command === 'DISCONNECT') this.closeWith(CLOSE.NORMAL, 'DISCONNECT');
  }

  /** CONNECT succeeded: from now on frames use `version`, and heart-beats run. */
  connected(version, beats) {
    this.state = 'connected';
    this.version = version;
    this.decoder.version = version;
    clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (beats.send > 0 || beats.receive > 0) {
      this.heartbeat = new HeartbeatTimers(this, beats, this.options.heartbeat.tolerance);
      this.heartbeat.start();
    }
  }

  /**
   * Sends `envelope` as a MESSAGE for `sub`; whether this connection took it (a client-ack
   * delivery stays this connection's to settle or redeliver, even if the connection then closes).
   */
  deliver(sub, envelope) {
    if (this.isClosed() || !sub.active) return false;
    const { message } = envelope;
    const headers = [
      ['destination', message.destination],
      ['message-id', message.id],
      ['subscription', sub.id],
    ];
    if (sub.ack !== 'auto') {
      if (this.deliveries.size >= this.options.maxUnacked) {
        this.fail(new ProtocolError('too many unacknowledged messages', {
          detail: `this session has ${this.deliveries.size} messages awaiting ACK (maxUnacked)`,
          closeCode: CLOSE.POLICY,
        }));
        return false;
      }
      const ackId = String(++this.ackSeq);
      const delivery = { ackId, envelope, sub };
      this.deliveries.set(ackId, delivery);
      sub.pending.set(ackId, delivery);
      if (this.version === '1.2') headers.push(['ack', ackId]);
    }
    if (envelope.attempts > 0) headers.push(['redelivered', 'true']);
    headers.push(...message.headers);
    const written = this.sendFrame('MESSAGE', headers, message.body);
    return written || sub.ack !== 'auto';
  }

  /** Settles deliveries (ACK or NACK): they no longer await anything. */
  settle(deliveries) {
    for (const d of deliveries) {
      d.sub.pending.delete(d.ackId);
      this.deliveries.delete(d.ackId);
    }
  }

  sendFrame(command, headers, body = '') {
    return this.write(encodeFrame(command, headers, body, this.version));
  }

  sendHeartbeat() {
    this.write('\n');
  }

  /** Hands one frame to the transport; whether it was accepted. */
  write(text) {
    if (this.isClosed()) return false;
    try {
      this.transport.send(text);
    } catch (error) {
      this.log.warn(`broker: session ${this.session}: transport.send failed (${error?.message}); closing`);
      this.closed();
      return false;
    }
    this.lastSent = Date.now();
    const buffered = this.transport.bufferedAmount;
    if (!this.failing && typeof buffered === 'number' && buffered > this.options.maxBufferedBytes) {
      this.fail(new ProtocolError('slow consumer', {
        detail: `${buffered} bytes are waiting to be sent to this client (maxBufferedBytes ${this.options.maxBufferedBytes})`,
        closeCode: CLOSE.POLICY,
      }));
    }
    return true;
  }

  /** Sends an ERROR frame for `error`, then closes. Never throws. */
  fail(error) {
    if (this.isClosed() || this.failing) return;
    this.failing = true;
    let message;
    let detail = '';
    let code;
    const headers = [];
    if (error instanceof ParseError) {
      message = error.message;
      code = error.closeCode;
    } else if (error instanceof ProtocolError) {
      message = error.message;
      detail = error.detail;
      code = error.closeCode;
      if (error.receiptId !== undefined) headers.push(['receipt-id', error.receiptId]);
      headers.push(...error.headers);
    } else {
      this.log.error(`broker: session ${this.session}: internal error`, error);
      message = 'internal broker error';
      code = CLOSE.INTERNAL;
    }
    this.log.info(`broker: session ${this.session}: ERROR ${message}${detail ? `: ${detail}` : ''}`);
    try {
      headers.unshift(['message', message]);
      if (detail) headers.push(['content-type', 'text/plain']);
      this.sendFrame('ERROR', headers, detail);
    } catch (sendError) {
      this.log.error(`broker: session ${this.session}: could not send ERROR`, sendError);
    }
    this.closeWith(code, message);
  }

  /** Closes the transport and forgets the session. Never throws. */
  closeWith(code, reason) {
    if (this.isClosed()) return;
    this.teardown();
    try {
      this.transport.close(code, truncate(reason));
    } catch (error) {
      this.log.warn(`broker: session ${this.session}: transport.close failed (${error?.message})`);
    }
  }

  /** Stops timers, aborts transactions, drops subscriptions and redelivers unacked messages. */
  teardown() {
    this.state = 'closed';
    clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.heartbeat?.stop();
    this.heartbeat = null;
    this.transactions.clear();
    this.decoder = null;
    const subs = [...this.subscriptions.values()];
    this.subscriptions.clear();
    const { router } = this.broker;
    try {
      for (const sub of subs) router.unsubscribe(sub);
      for (const sub of subs) this.release(sub);
    } catch (error) {
      this.log.error(`broker: session ${this.session}: error while redelivering`, error);
    }
    this.deliveries.clear();
    this.broker.forget(this);
  }

  /** Gives back `sub`'s unacknowledged messages for redelivery (the sub is already inactive). */
  release(sub) {
    const pending = [...sub.pending.values()];
    this.settle(pending);
    for (const d of pending) this.broker.router.redeliver(d.envelope, sub);
  }
}

/** `reason` cut to at most MAX_REASON UTF-8 bytes (a WebSocket close reason allows 123). */
function truncate(reason) {
  let out = String(reason);
  while (Buffer.byteLength(out) > MAX_REASON) out = out.slice(0, -1);
  return out;
}
