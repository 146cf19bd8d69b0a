// BEGIN / COMMIT / ABORT with @stomp/stompjs: SEND, ACK and NACK take effect at COMMIT only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../index.js';
import { rawSession } from '../testing/raw-session.js';
import { clientsOf, collect, sleep, sync, withReceipt } from '../testing/stomp-client.js';

let broker;
const client = clientsOf(() => broker);

const bodies = (inbox) => inbox.messages.map((m) => m.body);

test('SENDs in a transaction are delivered at COMMIT, in order, and not before', async () => {
  broker = createBroker();
  const a = await client();
  const inbox = collect(a.client, '/topic/tx');
  await sync(a.client);
  const tx = a.client.begin();
  for (const body of ['t1', 't2', 't3']) {
    await withReceipt(a.client, (receipt) => a.client.publish({ destination: '/topic/tx', body, headers: { transaction: tx.id, receipt } }));
  }
  await sleep(10);
  assert.deepEqual(bodies(inbox), []);
  a.client.commit(tx.id);
  await sync(a.client); // frames are handled in order: the commit took effect
  assert.deepEqual(bodies(inbox), ['t1', 't2', 't3']);
  assert.equal(inbox.messages[0].headers.transaction, undefined);
});

test('SENDs in an aborted transaction are never delivered', async () => {
  broker = createBroker();
  const a = await client();
  const inbox = collect(a.client, '/queue/tx');
  await sync(a.client);
  const tx = a.client.begin();
  a.client.publish({ destination: '/queue/tx', body: 'never', headers: { transaction: tx.id } });
  a.client.abort(tx.id);
  await sync(a.client); // frames are handled in order: the abort took effect
  a.client.publish({ destination: '/queue/tx', body: 'outside' });
  await sync(a.client);
  await sleep(10);
  assert.deepEqual(bodies(inbox), ['outside']);
  assert.equal(broker.stats().heldMessages, 0);
});

test('an ACK in a transaction settles at COMMIT; an aborted one does not', async () => {
  broker = createBroker();
  const a = await client();
  const inbox = collect(a.client, '/queue/txack', { ack: 'client-individual' });
  await sync(a.client);
  for (const body of ['m0', 'm1']) a.client.publish({ destination: '/queue/txack', body });
  const m0 = await inbox.next();
  const m1 = await inbox.next();
  const committed = a.client.begin();
  m0.ack({ transaction: committed.id });
  const aborted = a.client.begin();
  m1.ack({ transaction: aborted.id });
  a.client.commit(committed.id);
  await sync(a.client); // frames are handled in order: the commit took effect
  a.client.abort(aborted.id);
  await sync(a.client); // frames are handled in order: the abort took effect
  a.ws.close(); // m1 is still unacked: it is held for redelivery
  await a.closed;
  const b = await client();
  const again = collect(b.client, '/queue/txack');
  await sync(b.client);
  assert.deepEqual(bodies(again), ['m1']);
});

test('a NACK in a transaction redelivers at COMMIT only', async () => {
  broker = createBroker();
  const a = await client();
  const inbox = collect(a.client, '/queue/txnack', { ack: 'client-individual' });
  await sync(a.client);
  a.client.publish({ destination: '/queue/txnack', body: 'm' });
  const m = await inbox.next();
  const tx = a.client.begin();
  await withReceipt(a.client, (receipt) => m.nack({ transaction: tx.id, receipt }));
  await sleep(10);
  assert.equal(inbox.messages.length, 1);
  a.client.commit(tx.id);
  await sync(a.client); // frames are handled in order: the commit took effect
  const again = await inbox.next();
  assert.equal(again.headers.redelivered, 'true');
});

test('a transaction left open at disconnect is aborted', async () => {
  broker = createBroker();
  const a = await client();
  const b = await client();
  const inbox = collect(b.client, '/topic/open');
  await sync(b.client);
  const tx = a.client.begin();
  await withReceipt(a.client, (receipt) => a.client.publish({ destination: '/topic/open', body: 'x', headers: { transaction: tx.id, receipt } }));
  await a.client.deactivate();
  await sync(b.client);
  assert.deepEqual(bodies(inbox), []);
});

for (const [what, act] of [
  ['SEND', (c) => c.publish({ destination: '/topic/x', body: 'x', headers: { transaction: 'nope', receipt: 'r-unknown' } })],
  ['ACK', (c) => c.ack('1', 'sub-0', { transaction: 'nope', receipt: 'r-unknown' })],
  ['COMMIT', (c) => c.commit('nope')],
  ['ABORT', (c) => c.abort('nope')],
]) {
  test(`${what} naming an unknown transaction gets ERROR (with receipt-id) and close`, async () => {
    broker = createBroker();
    const a = await client();
    act(a.client);
    const closed = await a.closed;
    assert.equal(a.errors[0].headers.message, 'unknown transaction');
    if (what === 'SEND' || what === 'ACK') assert.equal(a.errors[0].headers['receipt-id'], 'r-unknown');
    assert.match(a.errors[0].body, /nope/);
    assert.equal(closed.code, 1002);
  });
}

test('BEGIN of a transaction already open gets ERROR', async () => {
  broker = createBroker();
  const a = await client();
  a.client.begin('t1');
  a.client.begin('t1');
  await a.closed;
  assert.equal(a.errors[0].headers.message, 'transaction already begun');
});

test('a committed transaction id can be used again', async () => {
  broker = createBroker();
  const a = await client();
  const inbox = collect(a.client, '/topic/again');
  await sync(a.client);
  for (const round of [1, 2]) {
    a.client.begin('same');
    a.client.publish({ destination: '/topic/again', body: `r${round}`, headers: { transaction: 'same' } });
    a.client.commit('same');
  await sync(a.client); // frames are handled in order: the commit took effect
  }
  assert.deepEqual(bodies(inbox), ['r1', 'r2']);
});

test('BEGIN, COMMIT and ABORT with a receipt header get a RECEIPT (raw frames)', () => {
  broker = createBroker();
  const s = rawSession(broker);
  s.connect();
  s.send('BEGIN\ntransaction:t\nreceipt:b\n\n\0COMMIT\ntransaction:t\nreceipt:c\n\n\0');
  s.send('BEGIN\ntransaction:u\nreceipt:b2\n\n\0ABORT\ntransaction:u\nreceipt:a\n\n\0');
  assert.deepEqual(s.frames.filter((f) => f.command === 'RECEIPT').map((f) => f.get('receipt-id')), ['b', 'c', 'b2', 'a']);
  s.send('COMMIT\ntransaction:t\nreceipt:late\n\n\0'); // t is over
  assert.equal(s.last('ERROR').get('message'), 'unknown transaction');
  assert.equal(s.last('ERROR').get('receipt-id'), 'late');
});
