// Test harness: @stomp/stompjs clients connected to a broker through FakeWebSocket, and
// promise helpers for what they receive.

import { afterEach } from 'node:test';
import { Client, Versions } from '@stomp/stompjs';
import { FakeWebSocket } from './fake-websocket.js';

/** Rejects if `promise` has not settled within `ms`. */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `predicate()` is true (checked every few ms), or rejects after `ms`. */
export async function until(predicate, what, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * A stompjs Client on a FakeWebSocket to `broker`, activated; resolves once CONNECTED.
 * options: versions (['1.1'] etc.), heartbeatIncoming/Outgoing (ms, default 0), chunkSize,
 * connectHeaders. The result holds `client`, `ws` (the FakeWebSocket), `connected` (the
 * CONNECTED frame), `errors` (ERROR frames), `closed` (a promise of the close event) and
 * `heartbeatsReceived`.
 */
export async function connectClient(broker, options = {}) {
  const session = { errors: [], heartbeatsReceived: 0, ws: null };
  let onClose;
  session.closed = new Promise((resolve) => {
    onClose = resolve;
  });
  const config = {
    webSocketFactory: () => {
      session.ws = new FakeWebSocket(broker, { chunkSize: options.chunkSize ?? 0 });
      return session.ws;
    },
    reconnectDelay: 0,
    heartbeatIncoming: options.heartbeatIncoming ?? 0,
    heartbeatOutgoing: options.heartbeatOutgoing ?? 0,
    connectHeaders: options.connectHeaders ?? {},
    debug: () => {},
  };
  if (options.versions) config.stompVersions = new Versions(options.versions);
  const client = new Client(config);
  session.client = client;
  const connected = new Promise((resolve, reject) => {
    client.onConnect = resolve;
    client.onStompError = (frame) => {
      session.errors.push(frame);
      reject(new Error(`ERROR before CONNECTED: ${frame.headers.message}`));
    };
  });
  client.onWebSocketClose = (event) => onClose(event);
  client.onHeartbeatReceived = () => session.heartbeatsReceived++;
  client.activate();
  session.connected = await within(connected, 2000, 'CONNECTED');
  client.onStompError = (frame) => session.errors.push(frame);
  return session;
}

/**
 * Subscribes and collects messages. Returns { subscription, messages, next(ms) } where
 * next() resolves with the next message not yet taken.
 */
export function collect(client, destination, headers = {}, onMessage = () => {}) {
  const messages = [];
  const waiters = [];
  let taken = 0;
  const subscription = client.subscribe(destination, (message) => {
    messages.push(message);
    onMessage(message);
    while (waiters.length > 0 && taken < messages.length) waiters.shift()(messages[taken++]);
  }, headers);
  return {
    subscription,
    messages,
    next(ms = 1000) {
      if (taken < messages.length) return Promise.resolve(messages[taken++]);
      return within(new Promise((resolve) => waiters.push(resolve)), ms, `a message on ${destination}`);
    },
  };
}

let receiptSeq = 0;

/** Runs `send(receiptId)` and resolves with the RECEIPT frame for that id. */
export function withReceipt(client, send, ms = 1000) {
  const id = `receipt-${++receiptSeq}`;
  const got = new Promise((resolve) => client.watchForReceipt(id, resolve));
  send(id);
  return within(got, ms, `RECEIPT ${id}`);
}

/** A round trip through the broker: once it resolves, everything sent before was handled. */
export function sync(client) {
  return withReceipt(client, (receipt) => client.publish({ destination: '/topic/__sync', headers: { receipt } }));
}

/**
 * A test file's clients of the broker `getBroker()` returns: `client(options)` connects one
 * (see connectClient). After each test every client is deactivated and the broker closed.
 */
export function clientsOf(getBroker) {
  let sessions = [];
  afterEach(async () => {
    for (const s of sessions) if (s.client.connected) await s.client.deactivate();
    sessions = [];
    getBroker()?.close();
  });
  return async (options) => {
    const s = await connectClient(getBroker(), options);
    sessions.push(s);
    return s;
  };
}
