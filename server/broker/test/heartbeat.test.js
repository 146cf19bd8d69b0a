// Heart-beats both ways with short intervals, negotiated with @stomp/stompjs.

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { connectClient, sleep, sync, within } from '../testing/stomp-client.js';
import { rawSession } from '../testing/raw-session.js';

let broker;
afterEach(() => broker?.close());

test('the broker sends heart-beats at the negotiated interval, max(sx, cy)', async () => {
  broker = createBroker({ heartbeat: { outgoing: 40, incoming: 0 } });
  const s = await connectClient(broker, { heartbeatIncoming: 10 });
  assert.equal(s.connected.headers['heart-beat'], '40,0');
  const times = [];
  s.client.onHeartbeatReceived = () => times.push(Date.now());
  await sleep(300);
  assert.ok(times.length >= 3, `${times.length} heart-beats in 300 ms`);
  assert.ok(times.length <= 8, `${times.length} heart-beats in 300 ms: faster than 40 ms`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 35, `gap ${times[i] - times[i - 1]} ms`);
  assert.ok(s.ws.received.includes('\n'));
  await s.client.deactivate();
});

test('the client heart-beats keep a quiet session alive well past the interval × 2', async () => {
  broker = createBroker({ heartbeat: { outgoing: 0, incoming: 20 } });
  const s = await connectClient(broker, { heartbeatOutgoing: 20 });
  await sleep(200);
  assert.ok(s.ws.sent.filter((d) => d === '\n').length >= 3, 'stompjs sent heart-beats');
  await sync(s.client); // still connected
  assert.equal(s.errors.length, 0);
  await s.client.deactivate();
});

test('a client that stops sending is closed after the interval × 2, with an ERROR', async () => {
  broker = createBroker({ heartbeat: { outgoing: 0, incoming: 30 } });
  const s = await connectClient(broker, { heartbeatOutgoing: 30 });
  let lastSent = Date.now();
  const send = s.ws.send.bind(s.ws);
  s.ws.send = (data) => {
    if (data === '\n') return; // the client falls silent
    lastSent = Date.now();
    send(data);
  };
  const closed = await within(s.closed, 2000, 'the close');
  const silence = Date.now() - lastSent;
  assert.ok(silence >= 58, `closed after only ${silence} ms of silence`);
  assert.equal(s.errors[0].headers.message, 'heart-beat timeout');
  assert.equal(closed.code, 1008);
});

test('the broker requires beats no more often than its incoming bound, max(cx, sy)', async () => {
  broker = createBroker({ heartbeat: { outgoing: 0, incoming: 60 } });
  const s = rawSession(broker);
  s.connect('accept-version:1.2\nheart-beat:5,0\n'); // the client offers 5 ms; 60 ms applies
  await sleep(80); // beyond 2 × 5 ms, within 2 × 60 ms
  assert.equal(s.closes.length, 0);
  s.send('\n');
  await sleep(80);
  assert.equal(s.closes.length, 0);
  await sleep(100);
  assert.equal(s.last('ERROR').get('message'), 'heart-beat timeout');
});

test('no heart-beats when either side says 0', async () => {
  broker = createBroker({ heartbeat: { outgoing: 20, incoming: 20 } });
  const s = await connectClient(broker, { heartbeatIncoming: 0, heartbeatOutgoing: 0 });
  await sleep(120);
  assert.equal(s.ws.received.filter((d) => d === '\n').length, 0);
  await sync(s.client);
  assert.equal(s.errors.length, 0);
  await s.client.deactivate();
});

test('STOMP 1.0 sessions have no heart-beats', async () => {
  broker = createBroker({ heartbeat: { outgoing: 20, incoming: 20 } });
  const s = await connectClient(broker, { versions: ['1.0'], heartbeatIncoming: 20, heartbeatOutgoing: 20 });
  await sleep(120);
  assert.equal(s.ws.received.filter((d) => d === '\n').length, 0);
  await sync(s.client);
  assert.equal(s.errors.length, 0);
  await s.client.deactivate();
});
