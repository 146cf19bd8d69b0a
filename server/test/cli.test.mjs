// The command-line programs: flags, the JSON ready line, the backend choice,
// and a clean stop on SIGTERM/SIGINT that closes every session.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeBroker } from '../test-support/fake-broker.mjs';
import { startServer } from '../test-support/processes.mjs';
import { openSockJS, openWs } from '../test-support/clients.mjs';

const MAIN = fileURLToPath(new URL('../main.mjs', import.meta.url));
const PROXY = fileURLToPath(new URL('../proxy.mjs', import.meta.url));
const BROKER = fileURLToPath(new URL('../broker/index.js', import.meta.url));
const run = (script, args, env = {}) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 5000, env: { ...process.env, ...env } });
const CONNECT = 'CONNECT\naccept-version:1.2\nhost:/\n\n\0';

test('usage errors exit 2 with the usage text; --help exits 0', () => {
  const help = run(MAIN, ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--sockjs P/);
  for (const args of [['--bogus'], ['--port'], ['--port', 'abc'], ['--no-websocket=1'], ['stray'], ['--header', 'no colon']]) {
    const r = run(MAIN, args);
    assert.equal(r.status, 2, `${args} -> ${r.status} ${r.stderr}`);
    assert.match(r.stderr, /usage:/);
  }
  assert.equal(run(PROXY, []).status, 2);
  const badMode = run(PROXY, ['--target', 'http://127.0.0.1:1', '--mode', 'chaos']);
  assert.equal(badMode.status, 1);
  assert.match(badMode.stderr, /unknown mode "chaos"/);
  const raw = run(MAIN, ['--raw-chunks']);
  assert.equal(raw.status, 1);
  assert.match(raw.stderr, /--raw-chunks applies only to --broker tcp/);
  assert.match(run(MAIN, ['--broker', 'http://x']).stderr, /expected tcp:\/\/host:port/);
});

test('the default backend is the embedded broker (server/broker/)', { timeout: 10000 }, async () => {
  if (!fs.existsSync(BROKER)) {
    const r = run(MAIN, ['--ws', '/ws'], { STOMP_BROKER: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /embedded broker .* is not there/);
    return;
  }
  const server = await startServer(['--ws', '/ws', '--sockjs', '/chat'], { env: { STOMP_BROKER: '' } });
  try {
    assert.equal(server.info.broker, 'embedded');
    const ws = await openWs(server.info.url.replace('http', 'ws') + '/ws').opened;
    const sj = await openSockJS(server.info.url + '/chat', ['xhr-polling']).opened;
    for (const c of [ws, sj]) {
      c.send(CONNECT);
      await c.messagesN(1);
      assert.match(c.messages[0], /^CONNECTED\n/);
      c.close();
    }
  } finally {
    await server.stop();
  }
});

test('--stomp-heartbeat sets the embedded broker\'s CONNECTED heart-beat; it is refused for a relay or a bad value', { timeout: 10000 }, async () => {
  const server = await startServer(['--ws', '/ws', '--broker', 'embedded', '--stomp-heartbeat', '1000,500']);
  try {
    const ws = await openWs(server.info.url.replace('http', 'ws') + '/ws').opened;
    ws.send('CONNECT\naccept-version:1.2\nhost:/\nheart-beat:1000,1000\n\n\0');
    await ws.messagesN(1);
    assert.match(ws.messages[0], /^CONNECTED\n(.*\n)*heart-beat:1000,500\n/);
    ws.close();
  } finally {
    await server.stop();
  }
  for (const [args, error] of [
    [['--stomp-heartbeat', '1000'], /--stomp-heartbeat wants "SX,SY"/],
    [['--stomp-heartbeat', '1000,1000', '--broker', 'tcp://127.0.0.1:1'], /--stomp-heartbeat applies only to the embedded broker/],
  ]) {
    const r = run(MAIN, args, { STOMP_BROKER: '' });
    assert.equal(r.status, 1, `${args} -> ${r.status} ${r.stderr}`);
    assert.match(r.stderr, error);
  }
});

test('STOMP_BROKER picks the relay; SIGTERM closes sessions with 1001, ends TCP, exits 0', async () => {
  const broker = await startFakeBroker();
  const server = await startServer(['--sockjs', '/stomp', '--ws', '/ws'], { env: { STOMP_BROKER: broker.url } });
  try {
    assert.match(server.info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      { sockjs: server.info.sockjs, ws: server.info.ws, broker: server.info.broker },
      { sockjs: '/stomp', ws: '/ws', broker: broker.url },
    );
    const ws = await openWs(server.info.url.replace('http', 'ws') + '/ws').opened;
    const sj = await openSockJS(server.info.url + '/stomp', ['xhr-streaming']).opened;
    const [a, b] = [await broker.nextConnection(), await broker.nextConnection()];
    const started = Date.now();
    const { code, signal } = await server.stop('SIGTERM');
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    assert.ok(Date.now() - started < 2000, 'stopped promptly');
    assert.deepEqual(await ws.closedEvent(), { code: 1001, reason: 'Server shutting down' });
    assert.deepEqual(await sj.closedEvent(), { code: 1001, reason: 'Server shutting down' });
    await Promise.all([a.ended, b.ended]);
  } finally {
    await server.stop();
    await broker.close();
  }
});

test('SIGINT stops it too, and two instances run side by side', async () => {
  const broker = await startFakeBroker();
  const [one, two] = await Promise.all([startServer(['--broker', broker.url, '--ws', '/ws']), startServer(['--broker', broker.url, '--ws', '/ws'])]);
  assert.notEqual(one.info.port, two.info.port);
  assert.deepEqual(await one.stop('SIGINT'), { code: 0, signal: null });
  assert.deepEqual(await two.stop('SIGINT'), { code: 0, signal: null });
  await broker.close();
});
