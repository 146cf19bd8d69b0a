// SEND, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT and RECEIPT with @stomp/stompjs clients: topic
// fan-out, queue round-robin, held queue messages, MESSAGE headers.

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { connectClient, collect, sleep, sync, withReceipt } from '../testing/stomp-client.js';

let broker;
let sessions = [];
afterEach(async () => {
  for (const s of sessions) if (s.client.connected) await s.client.deactivate();
  sessions = [];
  broker?.close();
});

async function clients(n, options) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await connectClient(broker, options));
  sessions.push(...out);
  return out;
}

test('RECEIPT for SEND, SUBSCRIBE, UNSUBSCRIBE and DISCONNECT, after each took effect', async () => {
  broker = createBroker();
  const [s] = await clients(1);
  const { client } = s;
  const received = [];
  let sub;
  const subscribed = await withReceipt(client, (receipt) => {
    sub = client.subscribe('/topic/r', (m) => received.push(m.body), { receipt });
  });
  assert.equal(subscribed.command, 'RECEIPT');
  const sent = await withReceipt(client, (receipt) => client.publish({ destination: '/topic/r', body: 'one', headers: { receipt } }));
  assert.match(sent.headers['receipt-id'], /^receipt-/);
  assert.deepEqual(received, ['one']); // the MESSAGE came before the SEND's RECEIPT
  await withReceipt(client, (receipt) => sub.unsubscribe({ receipt }));
  await withReceipt(client, (receipt) => client.publish({ destination: '/topic/r', body: 'two', headers: { receipt } }));
  assert.deepEqual(received, ['one']);
  let disconnected;
  client.onDisconnect = (frame) => {
    disconnected = frame;
  };
  await client.deactivate(); // stompjs sends DISCONNECT with a receipt and waits for it
  assert.equal(disconnected.command, 'RECEIPT');
  assert.equal((await s.closed).code, 1000);
  assert.equal(broker.stats().connections, 0);
});

test('SEND to a topic fans out to every subscription, on every connection', async () => {
  broker = createBroker();
  const [a, b, c] = await clients(3);
  const a1 = collect(a.client, '/topic/chat.room1');
  const b1 = collect(b.client, '/topic/chat.room1');
  const b2 = collect(b.client, '/topic/chat.room1');
  const other = collect(c.client, '/topic/chat.room2');
  await Promise.all([sync(a.client), sync(b.client), sync(c.client)]);
  c.client.publish({ destination: '/topic/chat.room1', body: 'hello room 1' });
  for (const inbox of [a1, b1, b2]) assert.equal((await inbox.next()).body, 'hello room 1');
  await sync(c.client);
  assert.equal(other.messages.length, 0);
  const ids = [a1, b1, b2].map((i) => i.messages[0].headers.subscription);
  assert.equal(new Set(ids.slice(1)).size, 2, 'each subscription is named in its MESSAGE');
});

test('SEND to a queue round-robins among its subscribers', async () => {
  broker = createBroker();
  const [a, b, producer] = await clients(3);
  const qa = collect(a.client, '/queue/work');
  const qb = collect(b.client, '/queue/work');
  await Promise.all([sync(a.client), sync(b.client)]);
  for (let i = 0; i < 6; i++) producer.client.publish({ destination: '/queue/work', body: `job ${i}` });
  await sync(producer.client);
  await Promise.all([sync(a.client), sync(b.client)]);
  assert.deepEqual(qa.messages.map((m) => m.body), ['job 0', 'job 2', 'job 4']);
  assert.deepEqual(qb.messages.map((m) => m.body), ['job 1', 'job 3', 'job 5']);
});

test('a queue without subscribers holds its messages (bounded) until one subscribes', async () => {
  broker = createBroker({ maxQueueDepth: 3 });
  const [producer, consumer] = await clients(2);
  for (let i = 0; i < 5; i++) producer.client.publish({ destination: '/queue/later', body: `m${i}` });
  await sync(producer.client);
  assert.equal(broker.stats().heldMessages, 3);
  const inbox = collect(consumer.client, '/queue/later');
  await sync(consumer.client);
  assert.deepEqual(inbox.messages.map((m) => m.body), ['m0', 'm1', 'm2']);
  assert.equal(broker.stats().heldMessages, 0);
});

test('MESSAGE headers: destination, message-id, subscription, user headers, content-length; no ack in auto mode', async () => {
  broker = createBroker();
  const [a] = await clients(1);
  const inbox = collect(a.client, '/topic/h');
  await sync(a.client);
  a.client.publish({
    destination: '/topic/h',
    body: 'héllo ☃',
    headers: { 'content-type': 'text/plain;charset=utf-8', 'x-trace': 'a:b\\c\nd', 'x-line': 'a:b\nd', 'message-id': 'spoofed', receipt: 'r-h' },
  });
  const m = await inbox.next();
  assert.equal(m.headers.destination, '/topic/h');
  assert.match(m.headers['message-id'], /^message-/);
  assert.equal(m.headers.subscription, inbox.subscription.id);
  assert.equal(m.headers['content-type'], 'text/plain;charset=utf-8');
  // stompjs decodes `\\c` as `\:` (its sequential-replace bug), so check the wire for that one.
  assert.equal(m.headers['x-line'], 'a:b\nd');
  const raw = a.ws.received.find((t) => t.startsWith('MESSAGE'));
  assert.match(raw, /^x-trace:a\\cb\\\\c\\nd$/m);
  assert.equal(m.headers['content-length'], String(Buffer.byteLength('héllo ☃')));
  assert.equal(m.headers.ack, undefined);
  assert.equal(m.headers.receipt, undefined);
  assert.equal(m.body, 'héllo ☃');
  assert.equal(raw.match(/^message-id:/gm).length, 1, 'the SEND cannot set message-id');
});

test('a body with NUL bytes (binary, content-length) arrives whole', async () => {
  broker = createBroker();
  const [a, b] = await clients(2);
  const inbox = collect(b.client, '/queue/bin');
  await sync(b.client);
  a.client.publish({ destination: '/queue/bin', binaryBody: new Uint8Array([104, 0, 105, 0, 0]) });
  const m = await inbox.next();
  assert.deepEqual([...m.binaryBody], [104, 0, 105, 0, 0]);
});

test('frames split into 1..7-byte pieces by the transport still work (UTF-8 split too)', async () => {
  broker = createBroker();
  for (const chunkSize of [1, 2, 3, 7]) {
    const [a] = await clients(1, { chunkSize });
    const inbox = collect(a.client, '/topic/split');
    await sync(a.client);
    a.client.publish({ destination: '/topic/split', body: `naïve 😀 ${'x'.repeat(50)}`, headers: { k: 'v€' } });
    const m = await inbox.next();
    assert.equal(m.body, `naïve 😀 ${'x'.repeat(50)}`, `chunk ${chunkSize}`);
    assert.equal(m.headers.k, 'v€');
  }
});

test('SEND to a destination without subscribers is dropped quietly (topics)', async () => {
  broker = createBroker();
  const [a] = await clients(1);
  await withReceipt(a.client, (receipt) => a.client.publish({ destination: '/topic/nobody', body: 'x', headers: { receipt } }));
  const inbox = collect(a.client, '/topic/nobody');
  await sync(a.client);
  await sleep(10);
  assert.equal(inbox.messages.length, 0);
  assert.equal(broker.stats().heldMessages, 0);
});

test('closing the socket without DISCONNECT drops the session and its subscriptions', async () => {
  broker = createBroker();
  const [a, b] = await clients(2);
  collect(a.client, '/topic/gone');
  collect(a.client, '/queue/gone');
  await sync(a.client);
  assert.equal(broker.stats().subscriptions, 2);
  a.ws.close();
  await a.closed;
  assert.equal(broker.stats().subscriptions, 0);
  assert.equal(broker.stats().connections, 1);
  await sync(b.client);
});
