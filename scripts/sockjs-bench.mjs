#!/usr/bin/env node
// Benchmark (not a test): the time from `webstomp.client(url)` to CONNECTED on each SockJS path,
// direct and through each fallback, measured in headless Chromium with the built package.
//
// usage: node scripts/sockjs-bench.mjs [--runs N] [--pkg DIR]
//   needs the peers of scripts/sockjs-servers.sh (their URLs from the environment, else from
//   test-output/sockjs/env) and a built package (scripts/build.sh; default DIR: pkg).
// Prints one line per path (median, min, max of N runs, the transport it ended on) and the
// issue's goals: a refused upgrade within 1.5x a direct xhr-streaming connect; a hanging one
// within the attempt timeout + 2 round trips. The fault proxies add a hop, so the baseline for
// both is xhr-streaming alone through such a proxy: /info, the stream's `o`, CONNECT-CONNECTED.

import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 5));
const PKG = path.resolve(ROOT, arg('pkg', 'pkg'));
const TIMEOUT = 5000; // the `timeout` option's default: the attempt timeout floor

function loadEnv() {
  const env = { ...process.env };
  const file = path.join(ROOT, 'test-output', 'sockjs', 'env');
  if (!env.SOCKJS_URL && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  if (!env.SOCKJS_URL) throw new Error('no SOCKJS_URL: run scripts/sockjs-servers.sh start first');
  return env;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>SockJS bench</title>
<script type="module">
import webstomp from './pkg/webstomp_wasm.js';
window.connectOnce = async (url, transports, timeout) => {
  const t0 = performance.now();
  const client = webstomp.client(url, { transports, timeout, heartbeat: false });
  try {
    await client.connect({ login: 'guest', passcode: 'guest', host: '/' });
    const ms = performance.now() - t0;
    return { ms, transport: client.transport };
  } catch (e) {
    return { error: e && (e.reason || (e.headers && e.headers.message) || String(e)) };
  } finally {
    await client.disconnect().catch(() => {});
  }
};
window.ready = true;
</script>`;

function serve() {
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(PAGE);
    }
    const file = path.join(PKG, path.normalize(url.pathname.replace(/^\/pkg\//, '/')));
    if (!url.pathname.startsWith('/pkg/') || !file.startsWith(PKG) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

async function main() {
  const env = loadEnv();
  if (!existsSync(path.join(PKG, 'webstomp_wasm.js'))) throw new Error(`no package in ${PKG}: run scripts/build.sh`);
  const paths = [
    ['direct websocket', env.SOCKJS_URL, ['websocket']],
    ['direct xhr-streaming', env.SOCKJS_URL, ['xhr-streaming']],
    ['direct xhr-polling', env.SOCKJS_URL, ['xhr-polling']],
    ['all transports, direct', env.SOCKJS_URL, undefined],
    ['websocket disabled (/info)', env.SOCKJS_NOWS_URL, undefined],
    // The fallback paths go through a proxy: their baseline is xhr-streaming through it alone.
    ['xhr-streaming via the proxy', env.SOCKJS_REFUSE_URL, ['xhr-streaming']],
    ['upgrade refused (HTTP 400)', env.SOCKJS_REFUSE_URL, undefined],
    ['upgrade hanging', env.SOCKJS_HANG_URL, undefined],
    ['streaming buffered', env.SOCKJS_BUFFER_URL, undefined],
  ];
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const results = {};
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 20000 });
    // One warm-up connect: the module, the connection pool and the relay's JIT.
    await page.evaluate(([u]) => window.connectOnce(u, undefined, 5000), [env.SOCKJS_URL]);
    console.log(`time to CONNECTED, ${RUNS} runs each (timeout option ${TIMEOUT} ms)`);
    for (const [name, url, transports] of paths) {
      const runs = [];
      let transport = null;
      for (let i = 0; i < RUNS; i++) {
        const r = await page.evaluate(([u, t, to]) => window.connectOnce(u, t ?? undefined, to), [url, transports ?? null, TIMEOUT]);
        if (r.error) throw new Error(`${name}: ${r.error}`);
        runs.push(r.ms);
        transport = r.transport;
      }
      const s = stats(runs);
      results[name] = s;
      console.log(`  ${name.padEnd(28)} -> ${String(transport).padEnd(13)} median ${s.median.toFixed(0).padStart(5)} ms  (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const direct = results['direct xhr-streaming'].median;
  const base = results['xhr-streaming via the proxy'].median;
  const refused = results['upgrade refused (HTTP 400)'].median;
  const hanging = results['upgrade hanging'].median;
  // xhr-streaming alone is /info + 2 round trips (the stream's `o`; CONNECT-CONNECTED).
  const rtt = base / 3;
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log('goals (medians):');
  console.log(`  refused upgrade ${refused.toFixed(0)} ms <= 1.5 x xhr-streaming alone through the same proxy ${(1.5 * base).toFixed(0)} ms: ${verdict(refused <= 1.5 * base)}`);
  console.log(`    (1.5 x direct xhr-streaming without the proxy hop: ${(1.5 * direct).toFixed(0)} ms)`);
  console.log(`  hanging upgrade ${hanging.toFixed(0)} ms <= /info + attempt timeout + 2 RTT ${(TIMEOUT + 3 * rtt).toFixed(0)} ms (RTT ${rtt.toFixed(1)} ms): ${verdict(hanging <= TIMEOUT + 3 * rtt)}`);
}

main().catch((e) => {
  process.stderr.write(`sockjs-bench: ${e.message}\n`);
  process.exit(1);
});
