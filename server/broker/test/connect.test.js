// CONNECT → CONNECTED: version negotiation, CONNECTED headers, and what happens before CONNECT.
// Driven by @stomp/stompjs where it can be, by raw frames where stompjs never sends them.

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { connectClient, collect, withReceipt, until } from '../testing/stomp-client.js';
import { rawSession } from '../testing/raw-session.js';

let broker;
afterEach(() => broker?.close());

for (const version of ['1.0', '1.1', '1.2']) {
  test(`stompjs offering only ${version} gets ${version}, and can publish and subscribe`, async () => {
    broker = createBroker();
    const s = await connectClient(broker, { versions: [version] });
    assert.equal(s.connected.headers.version, version);
    assert.equal(s.client.connectedVersion, version);
    const inbox = collect(s.client, '/topic/v');
    await withReceipt(s.client, (receipt) => s.client.publish({ destination: '/topic/v', body: `hi ${version}`, headers: { receipt } }));
    assert.equal((await inbox.next()).body, `hi ${version}`);
    await s.client.deactivate();
  });
}

test('stompjs offering 1.2,1.1,1.0 gets the highest: 1.2, with server, session and heart-beat', async () => {
  broker = createBroker({ server: 'test-broker/1' });
  const a = await connectClient(broker);
  const b = await connectClient(broker);
  const { headers } = a.connected;
  assert.equal(headers.version, '1.2');
  assert.equal(headers.server, 'test-broker/1');
  assert.equal(headers['heart-beat'], '10000,10000');
  assert.match(headers.session, /^session-/);
  assert.notEqual(headers.session, b.connected.headers.session);
  await a.client.deactivate();
  await b.client.deactivate();
});

test('STOMP 1.0 CONNECTED has no heart-beat header', async () => {
  broker = createBroker();
  const s = await connectClient(broker, { versions: ['1.0'], heartbeatIncoming: 50, heartbeatOutgoing: 50 });
  assert.equal(s.connected.headers['heart-beat'], undefined);
  await s.client.deactivate();
});

test('without accept-version the session is STOMP 1.0', () => {
  broker = createBroker();
  const s = rawSession(broker);
  const connected = s.connect('login:guest\npasscode:guest\n');
  assert.equal(connected.command, 'CONNECTED');
  assert.equal(connected.get('version'), '1.0');
});

test('the STOMP command connects like CONNECT, and any host is accepted', () => {
  broker = createBroker();
  for (const host of ['/', 'example.org', 'vhost:with:colons', '']) {
    const s = rawSession(broker);
    s.send(`STOMP\naccept-version:1.1,1.2\nhost:${host}\n\n\0`);
    assert.equal(s.frames[0].command, 'CONNECTED', host);
  }
  const s = rawSession(broker);
  s.send('STOMP\naccept-version:1.2\n\n\0');
  assert.equal(s.frames[0].get('version'), '1.2');
});

test('CONNECT headers are not unescaped: a backslash in a passcode is fine', () => {
  broker = createBroker();
  const s = rawSession(broker);
  assert.equal(s.connect('accept-version:1.2\npasscode:a\\tb\\\n').command, 'CONNECTED');
});

test('no common version: ERROR with a version header, then close', () => {
  broker = createBroker();
  const s = rawSession(broker);
  s.connect('accept-version:2.0,3.1\n');
  const error = s.last('ERROR');
  assert.equal(error.get('message'), 'unsupported STOMP version');
  assert.equal(error.get('version'), '1.0,1.1,1.2');
  assert.deepEqual(s.closes, [[1002, 'unsupported STOMP version']]);
});

test('a frame before CONNECT gets ERROR and close', () => {
  broker = createBroker();
  const s = rawSession(broker);
  s.send('SEND\ndestination:/topic/a\n\nx\0');
  assert.equal(s.frames.length, 1);
  assert.equal(s.frames[0].command, 'ERROR');
  assert.equal(s.frames[0].get('message'), 'expected CONNECT');
  assert.equal(s.closes.length, 1);
  s.send('CONNECT\naccept-version:1.2\n\n\0'); // ignored: the session is over
  assert.equal(s.frames.length, 1);
});

test('heart-beat EOLs before CONNECT are fine', () => {
  broker = createBroker();
  const s = rawSession(broker);
  s.send('\n\r\n\n');
  assert.equal(s.connect().command, 'CONNECTED');
});

test('a second CONNECT gets ERROR and close', async () => {
  broker = createBroker();
  const s = await connectClient(broker);
  s.ws.inject('CONNECT\naccept-version:1.2\n\n\0');
  const closed = await s.closed;
  assert.equal(s.errors[0].headers.message, 'already connected');
  assert.equal(closed.code, 1002);
});

test('an invalid heart-beat header gets ERROR', () => {
  broker = createBroker();
  const s = rawSession(broker);
  s.connect('accept-version:1.2\nheart-beat:fast\n');
  assert.equal(s.last('ERROR').get('message'), 'invalid heart-beat header');
  assert.equal(s.closes.length, 1);
});

test('no CONNECT within connectTimeout: ERROR and close', async () => {
  broker = createBroker({ connectTimeout: 30 });
  const s = rawSession(broker);
  await until(() => s.closes.length > 0, 'the close');
  assert.equal(s.last('ERROR').get('message'), 'no CONNECT frame in time');
  assert.equal(s.closes[0][0], 1008);
});
