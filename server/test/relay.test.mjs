// The relay (server/main.mjs --broker tcp://...) against a scripted fake
// broker: one STOMP frame per SockJS/WebSocket message on every transport,
// raw-chunk mode, the websocket-disabled variant, and close propagation.

import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startFakeBroker, frame } from '../test-support/fake-broker.mjs';
import { startServer } from '../test-support/processes.mjs';
import { openSockJS, openWs } from '../test-support/clients.mjs';

const CONNECT = frame('CONNECT', { 'accept-version': '1.2', host: '/' });
const CONNECTED = frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' });
const MSG1 = frame('MESSAGE', { destination: '/topic/a', 'message-id': '1', subscription: '0' }, 'caf\u00e9 \u20ac \u{1F600} \u2028\u2029 "q" \\ end');
const MSG2 = frame('MESSAGE', { destination: '/topic/a', 'message-id': '2', subscription: '0' }, 'nul\0inside\nand\0more', { contentLength: true });
const MSG3 = frame('MESSAGE', { destination: '/topic/a', 'message-id': '3', subscription: '0' }, 'third');
const BIG = frame('MESSAGE', { destination: '/topic/a', 'message-id': '4', subscription: '0' }, 'x'.repeat(200 * 1024) + '\u00e9', { contentLength: true });

// Broker -> client, chunked to split a frame inside a UTF-8 character, merge
// a frame end with a whole frame and the start of the next, and put a
// heart-beat on its own.
function scriptedChunks() {
  const all = Buffer.from(CONNECTED + MSG1 + '\n' + MSG2 + MSG3 + '\n' + BIG);
  const inEuro = Buffer.from(CONNECTED + MSG1).indexOf(Buffer.from('\u20ac')) + 1;
  const inMsg3 = Buffer.from(CONNECTED + MSG1 + '\n' + MSG2).length + 5;
  const beforeHb = Buffer.from(CONNECTED + MSG1 + '\n' + MSG2 + MSG3).length;
  return { all, chunks: [all.subarray(0, inEuro), all.subarray(inEuro, inMsg3), all.subarray(inMsg3, beforeHb), all.subarray(beforeHb, beforeHb + 1), all.subarray(beforeHb + 1)] };
}
const EXPECTED_FRAMES = [CONNECTED, MSG1, MSG2, MSG3, BIG];

// Each message must be exactly one frame (plus EOLs that came with it) or a
// heart-beat; together they must be the bytes the broker sent.
function assertAligned(messages, allText) {
  assert.equal(messages.join(''), allText, 'messages concatenate to what the broker sent');
  const frames = [];
  for (const m of messages) {
    if (/^[\r\n]+$/.test(m)) continue;
    const body = m.replace(/[\r\n]+$/, '');
    assert.ok(body.endsWith('\0'), `message ends with its frame's NUL: ${JSON.stringify(m.slice(-40))}`);
    frames.push(body);
  }
  assert.deepEqual(frames, EXPECTED_FRAMES);
}

let broker;
let relay;
let noWs;
let raw;
test.before(async () => {
  broker = await startFakeBroker();
  // Three relays at once: normal, websocket disabled, raw chunks.
  [relay, noWs, raw] = await Promise.all([
    startServer(['--broker', broker.url, '--sockjs', '/stomp', '--ws', '/ws', '--disconnect-delay', '300']),
    startServer(['--broker', broker.url, '--sockjs', '/stomp', '--no-websocket', '--disconnect-delay', '300']),
    startServer(['--broker', broker.url, '--sockjs', '/stomp', '--ws', '/ws', '--raw-chunks', '--disconnect-delay', '300']),
  ]);
});
test.after(async () => {
  await Promise.all([relay, noWs, raw].map((p) => p?.stop()));
  await broker?.close();
});

const sockjsUrl = (p) => p.info.url + p.info.sockjs;
const wsUrl = (p) => p.info.url.replace('http', 'ws') + p.info.ws;

const TRANSPORTS = [
  ['sockjs websocket', () => openSockJS(sockjsUrl(relay), ['websocket'])],
  ['sockjs xhr-streaming', () => openSockJS(sockjsUrl(relay), ['xhr-streaming'])],
  ['sockjs xhr-polling', () => openSockJS(sockjsUrl(relay), ['xhr-polling'])],
  ['raw ws', () => openWs(wsUrl(relay))],
];

for (const [name, open] of TRANSPORTS) {
  test(`${name}: one frame per message, NUL bodies intact, split chunks re-joined; both directions`, async () => {
    const client = await open().opened;
    const tcp = broker.nextConnection();
    client.send(CONNECT);
    const conn = await tcp;
    assert.equal(await conn.nextFrame(), CONNECT);
    // Client -> broker: a frame sent in two messages arrives whole (bytes as they come).
    client.send('SEND\ndestination:/queue/x\n\nhello ');
    client.send('\u00e9\0');
    assert.equal(await conn.nextFrame(), 'SEND\ndestination:/queue/x\n\nhello \u00e9\0');
    const { all, chunks } = scriptedChunks();
    await conn.writeChunks(chunks);
    await client.until((c) => c.messages.join('').length >= all.toString().length, 5000, 'every byte');
    assertAligned(client.messages, all.toString());
    // The broker ends TCP: the client's session closes with 1000.
    conn.end();
    const closed = await client.closedEvent();
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, 'Broker closed the connection');
  });

  test(`${name}: a client close ends the broker's TCP connection`, async () => {
    const client = await open().opened;
    const tcp = broker.nextConnection();
    client.send(CONNECT);
    const conn = await tcp;
    await conn.nextFrame();
    client.close();
    await conn.ended;
  });
}

test('raw-chunks relay passes TCP chunks through, split and merged', async () => {
  for (const open of [() => openSockJS(sockjsUrl(raw), ['xhr-streaming']), () => openWs(wsUrl(raw))]) {
    const client = await open().opened;
    const tcp = broker.nextConnection();
    client.send(CONNECT);
    const conn = await tcp;
    await conn.nextFrame();
    const { all, chunks } = scriptedChunks();
    await conn.writeChunks(chunks);
    await client.until((c) => c.messages.join('').length >= all.toString().length, 5000, 'every byte');
    assert.equal(client.messages.join(''), all.toString());
    // Not frame-aligned: some message holds part of a frame, or several NULs.
    const misaligned = client.messages.filter((m) => !/\0[\r\n]*$/.test(m) || m.split('\0').length > 2);
    assert.ok(misaligned.length > 0, 'some message is split or merged');
    client.close();
    await conn.ended;
  }
});

test('websocket-disabled relay: /info says so, and SockJS falls back to xhr-streaming', async () => {
  const info = await (await fetch(sockjsUrl(noWs) + '/info')).json();
  assert.equal(info.websocket, false);
  const client = await openSockJS(sockjsUrl(noWs), ['websocket', 'xhr-streaming']).opened;
  assert.equal(client.sock.transport, 'xhr-streaming');
  const tcp = broker.nextConnection();
  client.send(CONNECT);
  const conn = await tcp;
  await conn.nextFrame();
  conn.write(CONNECTED);
  await client.messagesN(1);
  assert.deepEqual(client.messages, [CONNECTED]);
  client.close();
  await conn.ended;
});

test('a malformed frame from the broker closes the session with 1002', async () => {
  const client = await openWs(wsUrl(relay)).opened;
  const tcp = broker.nextConnection();
  client.send(CONNECT);
  const conn = await tcp;
  await conn.nextFrame();
  conn.write('MESSAGE\ncontent-length:2\n\nabcdef\0');
  const closed = await client.closedEvent();
  assert.equal(closed.code, 1002);
  assert.match(closed.reason, /Malformed frame from broker/);
  await conn.ended;
});

test('an unreachable broker closes the session with 1011 and the reason', async () => {
  const spare = net.createServer();
  await new Promise((r) => spare.listen(0, '127.0.0.1', r));
  const deadPort = spare.address().port;
  await new Promise((r) => spare.close(r));
  const dead = await startServer(['--broker', `tcp://127.0.0.1:${deadPort}`, '--ws', '/ws']);
  try {
    const client = await openWs(wsUrl(dead)).opened;
    const closed = await client.closedEvent();
    assert.equal(closed.code, 1011);
    assert.match(closed.reason, /ECONNREFUSED/);
  } finally {
    await dead.stop();
  }
});
