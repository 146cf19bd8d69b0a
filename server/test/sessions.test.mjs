// Sessions joined to an in-process backend with the embedded broker's
// interface (a stand-in until server/broker/ lands): subprotocol
// negotiation, close propagation both ways, the control hook, and garbage
// from clients that must not hurt the server.

import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startApp } from '../lib/app.mjs';
import { chooseStompProtocol, wsCloseCode, wsCloseReason } from '../lib/ws-endpoint.mjs';
import { createStandInBroker } from '../test-support/stand-in-broker.mjs';
import { openSockJS, openWs } from '../test-support/clients.mjs';

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\n\n\0';
const CONNECTED = 'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0';

let broker;
let app;
let wsUrl;
let sockjsUrl;
test.before(async () => {
  broker = createStandInBroker();
  app = await startApp({ backend: broker, sockjs: { prefix: '/chat', disconnectDelay: 300 }, wsPath: '/ws', controlPath: '/_control' });
  wsUrl = app.url.replace('http', 'ws') + '/ws';
  sockjsUrl = app.url + '/chat';
});
test.after(async () => {
  await app.stop();
  assert.ok(broker.events.some(([e]) => e === 'broker-close'), 'stop() closes the backend');
});

test('chooseStompProtocol picks the best offered STOMP version', () => {
  assert.equal(chooseStompProtocol(['v10.stomp', 'v12.stomp', 'v11.stomp']), 'v12.stomp');
  assert.equal(chooseStompProtocol(new Set(['v11.stomp', 'v10.stomp'])), 'v11.stomp');
  assert.equal(chooseStompProtocol(['V10.STOMP']), 'v10.stomp');
  assert.equal(chooseStompProtocol(['mqtt']), false);
  assert.equal(chooseStompProtocol([]), false);
  assert.equal(wsCloseCode(2000), 1011);
  assert.equal(wsCloseCode(1006), 1011);
  assert.equal(wsCloseCode(3000), 3000);
  assert.equal(Buffer.byteLength(wsCloseReason('\u20ac'.repeat(100))) <= 123, true);
});

test('the ws endpoint answers with the best subprotocol the client offers', async () => {
  const cases = [
    [['v10.stomp', 'v11.stomp', 'v12.stomp'], 'v12.stomp'],
    [['v11.stomp', 'v10.stomp'], 'v11.stomp'],
    [['v10.stomp'], 'v10.stomp'],
    [[], ''],
  ];
  for (const [offered, expected] of cases) {
    const c = await openWs(wsUrl, offered).opened;
    assert.equal(c.sock.protocol, expected, `offered ${offered}`);
    c.send(CONNECT);
    await c.messagesN(1);
    assert.deepEqual(c.messages, [CONNECTED]);
    c.close();
    await c.closedEvent();
  }
  // Only non-STOMP protocols: no subprotocol chosen, so the client fails the handshake.
  const other = openWs(wsUrl, ['mqtt']);
  await assert.rejects(other.opened, /no subprotocol/i);
});

test('the backend closing (DISCONNECT + receipt) closes the client; closed() is called once', async () => {
  for (const open of [() => openWs(wsUrl), () => openSockJS(sockjsUrl, ['xhr-streaming']), () => openSockJS(sockjsUrl, ['websocket'])]) {
    const c = await open().opened;
    const conn = broker.all.at(-1);
    c.send(CONNECT);
    c.send('DISCONNECT\nreceipt:77\n\n\0');
    const closed = await c.closedEvent();
    assert.deepEqual(closed, { code: 1000, reason: 'Bye' });
    assert.deepEqual(c.messages, [CONNECTED, 'RECEIPT\nreceipt-id:77\n\n\0']);
    await new Promise((r) => setTimeout(r, 400)); // past disconnect_delay: SockJS reports its close late
    assert.equal(conn.closedCalls, 1);
  }
});

test('a client going away reaches the backend as closed()', async () => {
  for (const open of [() => openWs(wsUrl), () => openSockJS(sockjsUrl, ['xhr-polling'])]) {
    const c = await open().opened;
    c.send(CONNECT);
    await c.messagesN(1);
    const conns = broker.conns.size;
    c.close();
    const start = Date.now();
    while (broker.conns.size >= conns && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
    assert.equal(broker.conns.size, conns - 1);
  }
});

test('control hook: list sessions, close them all with a chosen code', async () => {
  const ws = await openWs(wsUrl).opened;
  const sj = await openSockJS(sockjsUrl, ['xhr-streaming']).opened;
  const list = await (await fetch(app.url + '/_control/sessions')).json();
  assert.equal(list.count, 2);
  assert.deepEqual(list.sessions.map((s) => s.kind).sort(), ['sockjs/xhr-streaming', 'ws']);
  const res = await fetch(app.url + '/_control/close?code=3000&reason=' + encodeURIComponent('Go away!'), { method: 'POST' });
  assert.deepEqual(await res.json(), { closed: 2 });
  assert.deepEqual(await ws.closedEvent(), { code: 3000, reason: 'Go away!' });
  assert.deepEqual(await sj.closedEvent(), { code: 3000, reason: 'Go away!' });
  assert.equal((await fetch(app.url + '/_control/close?code=99', { method: 'POST' })).status, 400);
});

test('garbage from clients does not hurt the server', async () => {
  // Broken SockJS sends, unknown sessions, bad JSON.
  for (const body of ['not json', '{"a":1}', '', '["ok"']) {
    const r = await fetch(sockjsUrl + '/000/nosession/xhr_send', { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } });
    assert.ok([404, 500].includes(r.status), `${JSON.stringify(body)} -> ${r.status}`);
  }
  // Raw bytes that are not a WebSocket frame, after a valid upgrade; and a broken HTTP request.
  const c = await openWs(wsUrl).opened;
  c.sock._socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
  const closed = await c.closedEvent();
  assert.ok(closed.code >= 1000);
  await new Promise((resolve) => {
    const s = net.connect(new URL(app.url).port, '127.0.0.1', () => s.write('GARBAGE \x00\x01\r\n\r\n'));
    s.on('error', resolve);
    s.on('close', resolve);
    s.resume();
  });
  // Upgrades to SockJS URLs that are not websocket ones, and to unknown paths.
  await assert.rejects(openWs(app.url.replace('http', 'ws') + '/chat/info').opened, /Unexpected server response: 404/);
  await assert.rejects(openWs(app.url.replace('http', 'ws') + '/elsewhere').opened, /Unexpected server response: 404/);
  // Still serving.
  const ok = await openWs(wsUrl).opened;
  ok.send(CONNECT);
  await ok.messagesN(1);
  ok.close();
  const info = await (await fetch(sockjsUrl + '/info')).json();
  assert.equal(info.websocket, true);
});
