// The connection lifecycle seen by the server that embeds the broker: receive() never throws,
// transports that fail, closed(), broker.close(), and every timer cleared.

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { rawSession } from '../testing/raw-session.js';
import { sleep } from '../testing/stomp-client.js';

let broker;
afterEach(() => broker?.close());

/** Tracks the timers created through the global setTimeout until restore(). */
function trackTimers() {
  const live = new Set();
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  globalThis.setTimeout = (fn, ms, ...args) => {
    const timer = realSet(() => {
      live.delete(timer);
      fn(...args);
    }, ms);
    live.add(timer);
    return timer;
  };
  globalThis.clearTimeout = (timer) => {
    live.delete(timer);
    realClear(timer);
  };
  return {
    live,
    restore() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

test('receive() never throws, whatever it is given, before or after CONNECT', () => {
  const internal = [];
  broker = createBroker({ logger: { error: (...args) => internal.push(args) } });
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = ['CONNECT\n', 'accept-version:1.2\n', '\n', '\0', 'SEND\n', 'destination:/queue/a\n', 'ACK\n', 'id:1\n',
    'SUBSCRIBE\nid:1\ndestination:/queue/a\nack:client\n\n\0', 'content-length:3\n', '\\', ':', '\r', 'é', '\xff', 'NACK\n'];
  for (let round = 0; round < 300; round++) {
    const s = rawSession(broker);
    if (round % 2) s.connect();
    for (let i = 0; i < 20; i++) {
      const piece = pieces[Math.floor(rand() * pieces.length)];
      assert.doesNotThrow(() => s.send(rand() < 0.5 ? piece : Buffer.from(piece, 'latin1')));
    }
    if (s.closes.length > 0) assert.equal(s.frames.at(-1).command, 'ERROR', `round ${round}`);
  }
  assert.deepEqual(internal, [], 'random input is a client error, never an internal one');
  const s = rawSession(broker);
  s.connect();
  for (const odd of [null, undefined, 42, {}, [1, 2]]) assert.doesNotThrow(() => s.send(odd));
  assert.equal(s.last('ERROR').get('message'), 'internal broker error');
  assert.deepEqual(s.closes, [[1011, 'internal broker error']]);
});

test('a transport whose send() throws is treated as gone', () => {
  broker = createBroker();
  let fail = false;
  const closes = [];
  const conn = broker.attach({
    send() {
      if (fail) throw new Error('socket is gone');
    },
    close: (code) => closes.push(code),
  });
  conn.receive('CONNECT\naccept-version:1.2\n\n\0SUBSCRIBE\nid:1\ndestination:/topic/a\n\n\0');
  assert.equal(broker.stats().subscriptions, 1);
  fail = true;
  assert.doesNotThrow(() => conn.receive('SEND\ndestination:/topic/a\n\nx\0'));
  assert.equal(broker.stats().connections, 0);
  assert.equal(broker.stats().subscriptions, 0);
  assert.deepEqual(closes, []);
});

test('a transport whose close() throws does not break the broker', () => {
  broker = createBroker();
  const conn = broker.attach({ send() {}, close() { throw new Error('already closed'); } });
  assert.doesNotThrow(() => conn.receive('BOGUS\n\n\0'));
  assert.equal(broker.stats().connections, 0);
});

test('closed() forgets the session, redelivers its unacked queue messages, and is idempotent', () => {
  broker = createBroker();
  const a = rawSession(broker);
  a.connect();
  a.send('SUBSCRIBE\nid:1\ndestination:/queue/a\nack:client\n\n\0SEND\ndestination:/queue/a\n\nm\0');
  assert.equal(a.last('MESSAGE').get('ack'), '1');
  a.conn.closed();
  a.conn.closed();
  a.send('SEND\ndestination:/queue/a\n\nignored\0');
  assert.deepEqual(broker.stats(), { connections: 0, destinations: 0, subscriptions: 0, heldMessages: 1, heldBytes: 513 });
  assert.deepEqual(a.closes, []); // the transport closed itself: the broker does not close it again
});

test('every timer is cleared when sessions close, and on broker.close()', async () => {
  const timers = trackTimers();
  try {
    broker = createBroker({ heartbeat: { outgoing: 1000, incoming: 1000 }, connectTimeout: 1000 });
    const waiting = rawSession(broker); // connect timer
    const beating = rawSession(broker);
    beating.connect('accept-version:1.2\nheart-beat:1000,1000\n'); // two heart-beat timers
    assert.equal(timers.live.size, 3);
    beating.conn.closed();
    assert.equal(timers.live.size, 1);
    const again = rawSession(broker);
    again.connect('accept-version:1.2\nheart-beat:1000,1000\n');
    again.send('DISCONNECT\n\n\0');
    assert.equal(timers.live.size, 1);
    const failing = rawSession(broker);
    failing.connect('accept-version:1.2\nheart-beat:1000,1000\n');
    failing.send('BOGUS\n\n\0');
    assert.equal(timers.live.size, 1);
    const last = rawSession(broker);
    last.connect('accept-version:1.2\nheart-beat:1000,1000\n');
    broker.close();
    assert.equal(timers.live.size, 0);
    assert.deepEqual(waiting.closes, [[1001, 'broker shutting down']]);
    assert.deepEqual(last.closes, [[1001, 'broker shutting down']]);
  } finally {
    timers.restore();
  }
});

test('after broker.close(), attach() closes the new transport at once', async () => {
  broker = createBroker();
  broker.close();
  broker.close();
  const s = rawSession(broker);
  assert.deepEqual(s.closes, [[1001, 'broker closed']]);
  assert.doesNotThrow(() => s.connect());
  assert.equal(s.frames.length, 0);
  await sleep(1);
});

test('attach() checks the transport', () => {
  broker = createBroker();
  assert.throws(() => broker.attach({ send() {} }), TypeError);
  assert.throws(() => broker.attach(null), TypeError);
});

test('the session id is exposed to the server, and unique', () => {
  broker = createBroker();
  const a = rawSession(broker);
  const b = rawSession(broker);
  assert.match(a.conn.session, /^session-[0-9a-f]{8}-\d+$/);
  assert.notEqual(a.conn.session, b.conn.session);
  assert.equal(a.connect().get('session'), a.conn.session);
});
