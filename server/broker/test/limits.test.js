// Per-connection and per-broker bounds: a slow or greedy client is dropped with an ERROR, held
// queues stay bounded, and options are checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { clientsOf, collect, sync, until, within } from '../testing/stomp-client.js';
import { rawSession } from '../testing/raw-session.js';

let broker;
const client = clientsOf(() => broker);

test('a client that stops reading is dropped once its transport buffers maxBufferedBytes', async () => {
  broker = createBroker({ maxBufferedBytes: 10000 });
  const slow = await client();
  collect(slow.client, '/topic/firehose');
  await sync(slow.client);
  slow.ws.pause(); // reads nothing more: what the broker sends piles up in bufferedAmount
  const producer = await client();
  for (let i = 0; i < 30; i++) producer.client.publish({ destination: '/topic/firehose', body: 'x'.repeat(1000) });
  await sync(producer.client);
  await until(() => slow.ws.closeInfo !== null, 'the slow client to be dropped');
  assert.equal(slow.ws.closeInfo.code, 1008);
  assert.ok(slow.ws.held.at(-1).startsWith('ERROR\nmessage:slow consumer\n'));
  assert.ok(slow.ws.heldBytes < 10000 + 2000, `buffered ${slow.ws.heldBytes} bytes`);
  assert.equal(producer.errors.length, 0);
});

test('more than maxUnacked unacknowledged messages: ERROR, and its queue messages go to others', async () => {
  broker = createBroker({ maxUnacked: 2 });
  const greedy = await client();
  collect(greedy.client, '/queue/jobs', { ack: 'client-individual' }); // never acks
  await sync(greedy.client);
  const worker = await client();
  const done = collect(worker.client, '/queue/jobs');
  await sync(worker.client);
  for (let i = 0; i < 6; i++) worker.client.publish({ destination: '/queue/jobs', body: `job ${i}` });
  await within(greedy.closed, 2000, 'the greedy client to be dropped');
  assert.equal(greedy.errors[0].headers.message, 'too many unacknowledged messages');
  await until(() => done.messages.length === 6, 'all six jobs at the worker');
  assert.deepEqual(done.messages.map((m) => m.body).sort(), ['job 0', 'job 1', 'job 2', 'job 3', 'job 4', 'job 5']);
});

test('maxSubscriptions, maxTransactions and maxTransactionFrames', async () => {
  broker = createBroker({ maxSubscriptions: 2, maxTransactions: 1, maxTransactionFrames: 2 });
  let s = await client();
  for (const d of ['/topic/1', '/topic/2', '/topic/3']) s.client.subscribe(d, () => {});
  await s.closed;
  assert.equal(s.errors[0].headers.message, 'too many subscriptions');
  s = await client();
  s.client.begin('a');
  s.client.begin('b');
  await s.closed;
  assert.equal(s.errors[0].headers.message, 'too many transactions');
  s = await client();
  s.client.begin('a');
  for (let i = 0; i < 3; i++) s.client.publish({ destination: '/topic/t', body: 'x', headers: { transaction: 'a' } });
  await s.closed;
  assert.equal(s.errors[0].headers.message, 'transaction too large');
});

test('maxTransactionBytes bounds the bodies held in open transactions', async () => {
  broker = createBroker({ maxTransactionBytes: 1000 });
  const s = await client();
  s.client.begin('a');
  s.client.publish({ destination: '/topic/t', body: 'x'.repeat(600), headers: { transaction: 'a' } });
  await sync(s.client);
  s.client.publish({ destination: '/topic/t', body: 'x'.repeat(600), headers: { transaction: 'a' } });
  await s.closed;
  assert.equal(s.errors[0].headers.message, 'transaction too large');
});

test('held queue messages are bounded by maxHeldBytes across queues', () => {
  broker = createBroker({ maxHeldBytes: 3000 });
  const s = rawSession(broker);
  s.connect();
  for (let i = 0; i < 5; i++) s.send(`SEND\ndestination:/queue/q${i}\n\n${'x'.repeat(600)}\0`);
  const { heldMessages, heldBytes } = broker.stats();
  assert.equal(heldMessages, 2); // each costs 600 + 512 bytes
  assert.ok(heldBytes <= 3000);
});

test('createBroker rejects unknown and invalid options', () => {
  assert.throws(() => createBroker({ maxFrameSzie: 10 }), { name: 'TypeError', message: /unknown option "maxFrameSzie"/ });
  assert.throws(() => createBroker({ maxUnacked: -1 }), TypeError);
  assert.throws(() => createBroker({ heartbeat: { outgoing: 'fast' } }), TypeError);
  assert.throws(() => createBroker({ heartbeat: { every: 5 } }), TypeError);
  assert.throws(() => createBroker({ queuePrefixes: '/queue/' }), TypeError);
  assert.deepEqual(createBroker({ heartbeat: { outgoing: 5 } }).options.heartbeat, { outgoing: 5, incoming: 10000, tolerance: 2 });
});

test('queuePrefixes decides which destinations are queues', () => {
  broker = createBroker({ queuePrefixes: ['/work/'] });
  const s = rawSession(broker);
  s.connect();
  s.send('SEND\ndestination:/work/a\n\nheld\0SEND\ndestination:/queue/a\n\ndropped\0');
  assert.equal(broker.stats().heldMessages, 1);
});
