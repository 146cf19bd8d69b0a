// The front proxy (server/proxy.mjs) in each mode, in front of an in-process
// server whose sessions go to the stand-in broker.

import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApp } from '../lib/app.mjs';
import { createStandInBroker } from '../test-support/stand-in-broker.mjs';
import { startProxy } from '../test-support/processes.mjs';
import { openSockJS, openWs } from '../test-support/clients.mjs';

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\n\n\0';
const CONNECTED = 'CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const BLACKHOLE_AFTER = 1000;

let app;
const proxies = {};
test.before(async () => {
  app = await startApp({ backend: createStandInBroker(), sockjs: { prefix: '/stomp', disconnectDelay: 300 }, wsPath: '/ws' });
  const modes = ['pass', 'refuse-upgrade', 'hang-upgrade', 'buffer-streaming', 'blackhole'];
  const started = await Promise.all(modes.map((mode) => startProxy(['--target', app.url, '--mode', mode, ...(mode === 'blackhole' ? ['--after', String(BLACKHOLE_AFTER)] : [])])));
  modes.forEach((m, i) => (proxies[m] = started[i]));
});
test.after(async () => {
  await Promise.all(Object.values(proxies).map((p) => p.stop()));
  await app.stop();
});

const via = (mode) => ({ sockjs: proxies[mode].info.url + '/stomp', ws: proxies[mode].info.url.replace('http', 'ws') + '/ws' });

async function connectAndEcho(client, body = 'hi') {
  client.send(CONNECT);
  client.send(`SEND\ndestination:/queue/a\n\n${body}\0`);
  await client.messagesN(2, 5000);
  assert.equal(client.messages[0], CONNECTED);
  assert.equal(client.messages[1], `MESSAGE\ndestination:/queue/a\nmessage-id:1\nsubscription:0\n\n${body}\0`);
}

// Reads a streaming POST for ms and reports what arrived live.
function readLive(url, ms) {
  return new Promise((resolve) => {
    let status = null;
    let got = '';
    const req = http.request(url, { method: 'POST', agent: false }, (res) => {
      status = res.statusCode;
      res.on('data', (c) => (got += c));
    });
    req.on('error', () => {});
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve({ status, got });
    }, ms);
  });
}

test('pass: HTTP streaming, polling, SockJS websocket and raw ws all go through', async () => {
  const { sockjs, ws } = via('pass');
  for (const transports of [['websocket'], ['xhr-streaming'], ['xhr-polling']]) {
    const c = await openSockJS(sockjs, transports).opened;
    assert.equal(c.sock.transport, transports[0]);
    // 200 KiB through xhr-streaming: sockjs-node ends the response at 128 KiB, the client re-opens.
    await connectAndEcho(c, transports[0] === 'xhr-polling' ? 'hi' : 'y'.repeat(200 * 1024));
    c.close();
  }
  const raw = await openWs(ws).opened;
  assert.equal(raw.sock.protocol, 'v12.stomp');
  await connectAndEcho(raw);
  raw.close();
  const live = await readLive(sockjs + '/000/live1/xhr_streaming', 800);
  assert.equal(live.status, 200);
  assert.match(live.got, /^h{2048}\no\n/, 'prelude and open frame arrive live');
});

test('refuse-upgrade: WebSocket upgrades get HTTP 400; SockJS falls back to xhr-streaming', async () => {
  const { sockjs, ws } = via('refuse-upgrade');
  await assert.rejects(openWs(ws).opened, /Unexpected server response: 400/);
  const c = await openSockJS(sockjs, ['websocket', 'xhr-streaming', 'xhr-polling']).opened;
  assert.equal(c.sock.transport, 'xhr-streaming');
  await connectAndEcho(c);
  c.close();
});

test('hang-upgrade: the upgrade is never answered; SockJS falls back to xhr-streaming after its timeout', async () => {
  const { sockjs, ws } = via('hang-upgrade');
  const hung = openWs(ws);
  const outcome = await Promise.race([hung.opened.then(() => 'opened', () => 'failed'), sleep(700).then(() => 'pending')]);
  assert.equal(outcome, 'pending');
  hung.sock.terminate();
  const started = Date.now();
  const c = await openSockJS(sockjs, ['websocket', 'xhr-streaming', 'xhr-polling']).opened;
  assert.equal(c.sock.transport, 'xhr-streaming');
  assert.ok(Date.now() - started >= 300, 'waited for the websocket attempt to time out');
  await connectAndEcho(c);
  c.close();
});

test('buffer-streaming: streaming delivers nothing live; SockJS falls back to xhr-polling', async () => {
  const { sockjs, ws } = via('buffer-streaming');
  const live = await readLive(sockjs + '/000/live2/xhr_streaming', 400);
  assert.deepEqual(live, { status: null, got: '' }, 'nothing arrives while the response is open');
  const c = await openSockJS(sockjs, ['xhr-streaming', 'xhr-polling']).opened;
  assert.equal(c.sock.transport, 'xhr-polling');
  await connectAndEcho(c);
  c.close();
  // Upgrades are not this mode's business.
  const raw = await openWs(ws).opened;
  await connectAndEcho(raw);
  raw.close();
});

test('blackhole: after the connection is up (and --after ms), nothing passes and nothing closes', async () => {
  const { ws } = via('blackhole');
  const c = await openWs(ws).opened;
  const opened = Date.now();
  await connectAndEcho(c); // within the first BLACKHOLE_AFTER ms
  await sleep(Math.max(0, BLACKHOLE_AFTER - (Date.now() - opened)) + 100);
  c.send('SEND\ndestination:/queue/a\n\nlost\0');
  await sleep(400);
  assert.equal(c.messages.length, 2, 'nothing more arrived');
  assert.equal(c.closed, null, 'not closed');
  // New HTTP requests are held, not answered.
  const held = await Promise.race([fetch(proxies.blackhole.info.url + '/stomp/info').then(() => 'answered'), sleep(300).then(() => 'held')]);
  assert.equal(held, 'held');
  c.sock.terminate();
});

test('the mode can be switched at run time', async () => {
  const control = proxies.pass.info.url + '/__proxy/mode';
  const { ws } = via('pass');
  const c = await openWs(ws).opened;
  await connectAndEcho(c);
  const r = await (await fetch(control + '?mode=blackhole&after=0', { method: 'POST' })).json();
  assert.deepEqual(r, { mode: 'blackhole', after: 0, blackholed: true });
  c.send('SEND\ndestination:/queue/a\n\nlost\0');
  await sleep(300);
  assert.equal(c.messages.length, 2);
  assert.equal(c.closed, null);
  assert.equal((await (await fetch(control + '?mode=pass', { method: 'POST' })).json()).mode, 'pass');
  assert.equal((await fetch(control + '?mode=nonsense', { method: 'POST' })).status, 400);
  const again = await openWs(ws).opened;
  await connectAndEcho(again);
  again.close();
  c.sock.terminate();
});
