// ACK and NACK with @stomp/stompjs in `client` (cumulative) and `client-individual` modes, per
// version, and redelivery on NACK, UNSUBSCRIBE and disconnect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { clientsOf, collect, sleep, sync, withReceipt } from '../testing/stomp-client.js';

let broker;
const client = clientsOf(() => broker);

async function sendAll(producer, destination, bodies) {
  for (const body of bodies) producer.client.publish({ destination, body });
  await sync(producer.client);
}

const bodies = (inbox) => inbox.messages.map((m) => m.body);

test('client-individual: MESSAGE has an ack header; the unacked message is redelivered on disconnect', async () => {
  broker = createBroker();
  const producer = await client();
  const a = await client();
  const inbox = collect(a.client, '/queue/ci', { ack: 'client-individual' });
  await sync(a.client);
  await sendAll(producer, '/queue/ci', ['m0', 'm1']);
  const [m0, m1] = [await inbox.next(), await inbox.next()];
  assert.ok(m0.headers.ack && m1.headers.ack && m0.headers.ack !== m1.headers.ack);
  await withReceipt(a.client, (receipt) => m1.ack({ receipt }));
  a.ws.close(); // gone without acking m0
  await a.closed;
  assert.equal(broker.stats().heldMessages, 1);
  const b = await client();
  const again = collect(b.client, '/queue/ci');
  await sync(b.client);
  assert.deepEqual(bodies(again), ['m0']);
  assert.equal(again.messages[0].headers.redelivered, 'true');
  assert.equal(again.messages[0].headers['message-id'], m0.headers['message-id']);
});

test('client mode: an ACK is cumulative', async () => {
  broker = createBroker();
  const producer = await client();
  const a = await client();
  const inbox = collect(a.client, '/queue/c', { ack: 'client' });
  await sync(a.client);
  await sendAll(producer, '/queue/c', ['m0', 'm1', 'm2']);
  await inbox.next();
  const m1 = await inbox.next();
  await inbox.next();
  await withReceipt(a.client, (receipt) => m1.ack({ receipt })); // settles m0 and m1
  a.ws.close();
  await a.closed;
  const b = await client();
  const again = collect(b.client, '/queue/c');
  await sync(b.client);
  assert.deepEqual(bodies(again), ['m2']);
});

test('NACK on a queue redelivers to another subscriber, marked redelivered', async () => {
  broker = createBroker();
  const a = await client();
  const b = await client();
  const qa = collect(a.client, '/queue/n', { ack: 'client-individual' }, (m) => m.nack());
  await sync(a.client);
  const qb = collect(b.client, '/queue/n');
  await sync(b.client);
  a.client.publish({ destination: '/queue/n', body: 'job' }); // round-robin starts with a
  const got = await qb.next();
  assert.equal(got.body, 'job');
  assert.equal(got.headers.redelivered, 'true');
  assert.deepEqual(bodies(qa), ['job']);
  assert.equal(qa.messages[0].headers.redelivered, undefined);
});

test('NACK in client mode is cumulative; a lone subscriber gets the messages back', async () => {
  broker = createBroker();
  const a = await client();
  let nacked = false;
  const inbox = collect(a.client, '/queue/cn', { ack: 'client' }, (m) => {
    if (m.body === 'm1' && !nacked) {
      nacked = true;
      m.nack(); // settles m0 and m1: both come back
    }
  });
  await sync(a.client);
  await sendAll(a, '/queue/cn', ['m0', 'm1', 'm2']);
  for (let i = 0; i < 5; i++) await inbox.next();
  assert.deepEqual(bodies(inbox), ['m0', 'm1', 'm2', 'm0', 'm1']);
  assert.deepEqual(inbox.messages.map((m) => m.headers.redelivered), [undefined, undefined, undefined, 'true', 'true']);
});

test('NACK on a topic redelivers to the same subscription', async () => {
  broker = createBroker();
  const a = await client();
  let first = true;
  const inbox = collect(a.client, '/topic/tn', { ack: 'client-individual' }, (m) => {
    if (first) m.nack();
    else m.ack();
    first = false;
  });
  await sync(a.client);
  a.client.publish({ destination: '/topic/tn', body: 'news' });
  await inbox.next();
  const again = await inbox.next();
  assert.equal(again.body, 'news');
  assert.equal(again.headers.redelivered, 'true');
  assert.equal(again.headers.subscription, inbox.subscription.id);
});

test('unacked topic messages of a closed connection are dropped, not sent elsewhere', async () => {
  broker = createBroker();
  const a = await client();
  const b = await client();
  const qa = collect(a.client, '/topic/drop', { ack: 'client' });
  const qb = collect(b.client, '/topic/drop');
  await Promise.all([sync(a.client), sync(b.client)]);
  b.client.publish({ destination: '/topic/drop', body: 'once' });
  await qa.next();
  await qb.next();
  a.ws.close();
  await a.closed;
  await sync(b.client);
  assert.deepEqual(bodies(qb), ['once']);
  assert.equal(broker.stats().heldMessages, 0);
});

test('UNSUBSCRIBE with unacked queue messages redelivers them to the remaining subscriber', async () => {
  broker = createBroker();
  const a = await client();
  const b = await client();
  const qa = collect(a.client, '/queue/u', { ack: 'client-individual' });
  await sync(a.client);
  await sendAll(b, '/queue/u', ['m0', 'm1']);
  await qa.next();
  await qa.next();
  const qb = collect(b.client, '/queue/u');
  await sync(b.client);
  await withReceipt(a.client, (receipt) => qa.subscription.unsubscribe({ receipt }));
  await sync(b.client);
  assert.deepEqual(bodies(qb), ['m0', 'm1']);
});

test('STOMP 1.1: MESSAGE has no ack header; ACK names message-id and subscription', async () => {
  broker = createBroker();
  const a = await client({ versions: ['1.1'] });
  const inbox = collect(a.client, '/queue/v11', { ack: 'client-individual' });
  await sync(a.client);
  await sendAll(a, '/queue/v11', ['m0', 'm1']);
  const m0 = await inbox.next();
  await inbox.next();
  assert.equal(m0.headers.ack, undefined);
  await withReceipt(a.client, (receipt) => m0.ack({ receipt }));
  const ack = a.ws.sent.find((t) => typeof t === 'string' && t.startsWith('ACK'));
  assert.match(ack, /^message-id:/m);
  assert.match(ack, /^subscription:/m);
  a.ws.close();
  await a.closed;
  const b = await client({ versions: ['1.1'] });
  const again = collect(b.client, '/queue/v11');
  await sync(b.client);
  assert.deepEqual(bodies(again), ['m1']);
});

test('STOMP 1.0: ACK by message-id', async () => {
  broker = createBroker();
  const a = await client({ versions: ['1.0'] });
  const inbox = collect(a.client, '/queue/v10', { ack: 'client' });
  await sync(a.client);
  await sendAll(a, '/queue/v10', ['m0', 'm1']);
  await inbox.next();
  const m1 = await inbox.next();
  await withReceipt(a.client, (receipt) => m1.ack({ receipt })); // cumulative
  a.ws.close();
  await a.closed;
  assert.equal(broker.stats().heldMessages, 0);
});

test('a message NACKed more than maxRedeliveries times is dropped', async () => {
  broker = createBroker({ maxRedeliveries: 2 });
  const a = await client();
  const inbox = collect(a.client, '/queue/poison', { ack: 'client-individual' }, (m) => m.nack());
  await sync(a.client);
  a.client.publish({ destination: '/queue/poison', body: 'bad' });
  for (let i = 0; i < 3; i++) await inbox.next();
  await sync(a.client);
  await sleep(20);
  assert.equal(inbox.messages.length, 3);
  assert.equal(broker.stats().heldMessages, 0);
});

test('an ACK for no pending message is ignored', async () => {
  broker = createBroker();
  const a = await client();
  await withReceipt(a.client, (receipt) => a.client.ack('no-such-id', 'no-such-sub', { receipt }));
  await withReceipt(a.client, (receipt) => a.client.nack('42', 'sub-0', { receipt }));
  assert.equal(a.errors.length, 0);
});
