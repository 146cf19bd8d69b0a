#!/usr/bin/env node
// Starts every SockJS peer the browser suite tests/web_sockjs.rs needs, on free ports of
// 127.0.0.1, writes their URLs to an env file (KEY=VALUE lines), and runs until SIGINT/SIGTERM,
// then stops them all. scripts/sockjs-servers.sh runs it in the background.
//
//   SOCKJS_URL           the relay (server/main.mjs --sockjs /stomp), every transport
//   SOCKJS_CLOSE_HOOK    POST ?code=&reason= closes every session of SOCKJS_URL (with CORS)
//   SOCKJS_NOWS_URL      a relay with websocket disabled
//   SOCKJS_REFUSE_URL    a proxy refusing WebSocket upgrades (HTTP 400) before SOCKJS_URL
//   SOCKJS_HANG_URL      a proxy that never answers WebSocket upgrades, before SOCKJS_URL
//   SOCKJS_BUFFER_URL    a proxy holding each response until it ends, before SOCKJS_NOWS_URL
//   SOCKJS_RAW_URL       a relay passing the broker's TCP chunks as they come
//   SOCKJS_KILL_URL      a relay that POST SOCKJS_KILL_CONTROL kills (SIGKILL) and restarts
//   SOCKJS_SCRIPT_URL    scripts/sockjs-scripted.mjs: garbage frames, HTTP errors
//   EMBEDDED_WS_URL      the dev server's raw STOMP-over-WebSocket endpoint with its in-process
//                        embedded broker (server/main.mjs --ws /ws), for tests/web_embedded.rs;
//                        it offers 1 s heart-beats, as RabbitMQ grants what a client asks
//
// usage: node scripts/sockjs-servers.mjs --out FILE [--broker tcp://host:port|embedded]
// Every relay uses the same broker. With `embedded` (the default) this process runs the embedded
// broker (server/broker/) behind a TCP port of its own, so that the relays, the raw-chunks one
// included, reach it as they would reach RabbitMQ.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { writeFileSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startScripted } from './sockjs-scripted.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(ROOT, 'server', 'main.mjs');
const PROXY = path.join(ROOT, 'server', 'proxy.mjs');
const PREFIX = '/stomp';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const envFile = arg('out');
let broker = arg('broker', process.env.STOMP_BROKER || 'embedded');
if (!envFile) {
  process.stderr.write('usage: node scripts/sockjs-servers.mjs --out FILE [--broker B]\n');
  process.exit(2);
}
const log = (line) => process.stderr.write(`[sockjs-servers] ${line}\n`);
const children = new Set();

// Runs `node script args...` and resolves with its child and the JSON line it announces.
function start(name, script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let announced = false;
    const timer = setTimeout(() => reject(new Error(`${name} did not announce itself within 10 s`)), 10000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (announced) return;
      try {
        const info = JSON.parse(line);
        announced = true;
        clearTimeout(timer);
        resolve({ child, info });
      } catch {
        log(`${name}: ${line}`);
      }
    });
    child.on('exit', (code, signal) => {
      if (!announced) {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${signal ?? code}) before announcing itself`));
      }
    });
  });
}

const relay = (name, extra = [], port) =>
  start(name, SERVER, ['--sockjs', PREFIX, '--broker', broker, ...(port ? ['--port', String(port)] : []), ...extra]);
const proxy = (name, mode, target) => start(name, PROXY, ['--mode', mode, '--target', target]);

// The killable relay: POST /__kill on the scripted server kills it, then starts it again on
// the same port (so the next test run finds it).
let kill = { child: null, port: 0 };
async function killRelay() {
  const victim = kill.child;
  if (!victim) throw new Error('the killable relay is not running');
  const gone = new Promise((r) => victim.once('exit', r));
  victim.kill('SIGKILL');
  await gone;
  setTimeout(async () => {
    try {
      kill.child = (await relay('kill relay (restarted)', [], kill.port)).child;
    } catch (err) {
      log(`restarting the killable relay failed: ${err.message}`);
    }
  }, 200);
  return { killed: true };
}

// The embedded broker on a TCP port of 127.0.0.1, one broker session per connection.
async function embeddedBroker() {
  const { createBroker } = await import('../server/broker/index.js');
  const instance = createBroker();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const session = instance.attach({
      send: (data) => socket.writable && socket.write(data),
      close: () => socket.end(),
    });
    socket.on('data', (data) => session.receive(data));
    socket.on('close', () => session.closed());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `tcp://127.0.0.1:${server.address().port}`,
    stop: () => {
      instance.close();
      server.close();
    },
  };
}

let scripted = null;
let embedded = null;
async function stopAll() {
  embedded?.stop();
  const exited = [...children].map((child) => new Promise((r) => child.once('exit', r)));
  for (const child of children) child.kill('SIGTERM');
  await scripted?.stop().catch(() => {});
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 4000))]);
}

async function main() {
  if (broker === 'embedded') {
    embedded = await embeddedBroker();
    broker = embedded.url;
  }
  const [a, nows] = await Promise.all([relay('relay', ['--control', '/control']), relay('no-websocket relay', ['--no-websocket'])]);
  const [refuse, hang, buffer, killed] = await Promise.all([
    proxy('refuse proxy', 'refuse-upgrade', a.info.url),
    proxy('hang proxy', 'hang-upgrade', a.info.url),
    proxy('buffer proxy', 'buffer-streaming', nows.info.url),
    relay('kill relay'),
  ]);
  kill = { child: killed.child, port: killed.info.port };
  // The relay's control hook answers without CORS headers: a page calls it through this one.
  const closeAll = async (params) => {
    const res = await fetch(`${a.info.url}/control/close?${params}`, { method: 'POST' });
    return res.json();
  };
  scripted = await startScripted({ hooks: { kill: killRelay, close: closeAll }, log });
  const env = {
    SOCKJS_URL: a.info.url + PREFIX,
    SOCKJS_CLOSE_HOOK: scripted.url + '/__close',
    SOCKJS_NOWS_URL: nows.info.url + PREFIX,
    SOCKJS_REFUSE_URL: refuse.info.url + PREFIX,
    SOCKJS_HANG_URL: hang.info.url + PREFIX,
    SOCKJS_BUFFER_URL: buffer.info.url + PREFIX,
    SOCKJS_KILL_URL: killed.info.url + PREFIX,
    SOCKJS_KILL_CONTROL: scripted.url + '/__kill',
    SOCKJS_SCRIPT_URL: scripted.url,
    SOCKJS_RAW_URL: (await relay('raw-chunks relay', ['--raw-chunks'])).info.url + PREFIX,
    EMBEDDED_WS_URL: (await start('embedded broker', SERVER, ['--ws', '/ws', '--broker', 'embedded', '--stomp-heartbeat', '1000,1000'])).info.url.replace(/^http/, 'ws') + '/ws',
    SOCKJS_BROKER: embedded ? 'embedded' : broker,
  };
  const text = Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join('');
  writeFileSync(envFile + '.tmp', text);
  renameSync(envFile + '.tmp', envFile);
  process.stdout.write(text);
  log(`ready (broker ${broker}); env in ${envFile}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stopAll().finally(() => process.exit(0));
  });
}
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

main().catch(async (err) => {
  log(`error: ${err.message}`);
  await stopAll();
  process.exit(1);
});
