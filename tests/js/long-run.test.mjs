// Long run on one page (headless Chromium, the dev server's embedded broker): 10,000
// subscribe/unsubscribe cycles on one connection and 300 connect/disconnect cycles over a raw
// WebSocket (/ws), then fewer cycles on each SockJS transport. After each run, with garbage
// collected (CDP HeapProfiler.collectGarbage), the JS heap (Runtime.getHeapUsage) and the
// WebAssembly memory are within 10% of where they were after a warm-up, and the live timers,
// intervals, listeners and sockets are back to that baseline (the page counts them:
// tests/js/long-run-page/instrument.js, installed before the package loads).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchChromium, openPage, PKG, requireBuiltPackage, ROOT } from './support/browser.mjs';
import { startDevServer } from './support/dev-server.mjs';

let server;
let browser;
let page;
let cdp;

before(async () => {
  await requireBuiltPackage();
  server = await startDevServer([
    '--static', `/=${join(ROOT, 'tests/js/long-run-page')}`,
    '--static', `/pkg=${PKG}`,
    '--ws', '/ws',
    '--sockjs', '/chat',
  ]);
  browser = await launchChromium();
  page = await openPage(browser, server.url + '/');
  cdp = await page.context().newCDPSession(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** JS heap after full garbage collections, WebAssembly memory, and the page's live counts. */
async function measure() {
  // Settle: timers that are due fire, closes finish.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const inPage = await page.evaluate(() => ({ wasmBytes: webstomp.wasmMemoryBytes(), ...liveCounts() }));
  return { jsHeap: usedSize, ...inPage };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

/** Checks `end` against `start`: memory within 10%, the live counts equal. */
function assertBackToBaseline(t, what, start, end) {
  t.diagnostic(
    `${what}: JS heap ${kb(start.jsHeap)} -> ${kb(end.jsHeap)}, wasm memory ${kb(start.wasmBytes)} -> ${kb(end.wasmBytes)}, ` +
      `timeouts ${start.timeouts} -> ${end.timeouts}, listeners ${start.listeners} -> ${end.listeners}, ` +
      `sockets created ${end.socketsCreated - start.socketsCreated}`,
  );
  const detail = JSON.stringify({ start, end });
  assert.ok(end.jsHeap <= start.jsHeap * 1.1, `${what}: JS heap grew more than 10%: ${detail}`);
  assert.ok(end.wasmBytes <= start.wasmBytes * 1.1, `${what}: WebAssembly memory grew more than 10%: ${detail}`);
  for (const key of ['timeouts', 'intervals', 'listeners', 'socketsOpen', 'socketsWithHandlers']) {
    assert.equal(end[key], start[key], `${what}: live ${key}: ${detail}`);
  }
}

const wsUrl = () => server.url.replace('http', 'ws') + '/ws';

describe('long run on one page', { timeout: 600_000 }, () => {
  test('10,000 subscribe/unsubscribe cycles on one connection', async (t) => {
    // The cycles, in the page: `n` subscribe/unsubscribe pairs on the connected client, with a
    // receipt every 100 so that the broker keeps up.
    const cycles = (n) =>
      page.evaluate(async (n) => {
        const c = window.longRunClient;
        for (let i = 0; i < n; i++) {
          const sub = c.subscribe('/topic/long-run.' + (i % 7), () => {});
          sub.unsubscribe();
          if (i % 100 === 99) await c.send('/queue/long-run-barrier', '', { receipt: true });
        }
        return c.state;
      }, n);
    await page.evaluate(async (url) => {
      window.longRunClient = webstomp.client(url, { heartbeat: false });
      await window.longRunClient.connect({});
    }, wsUrl());
    await cycles(500);
    const start = await measure();
    for (let done = 0; done < 10_000; done += 1000) assert.equal(await cycles(1000), 'connected');
    const end = await measure();
    // The connection still works: a message goes round.
    const body = await page.evaluate(async () => {
      const c = window.longRunClient;
      const got = new Promise((resolve) => c.subscribe('/topic/long-run.check', (m) => resolve(m.body), { receipt: 'check' }));
      c.send('/topic/long-run.check', 'after 10,000 cycles');
      let timer;
      const b = await Promise.race([got, new Promise((resolve) => { timer = setTimeout(() => resolve('(no message)'), 5000); })]);
      clearTimeout(timer);
      await c.disconnect();
      window.longRunClient = null;
      return b;
    });
    assert.equal(body, 'after 10,000 cycles');
    assertBackToBaseline(t, '10,000 subscribe/unsubscribe cycles', start, end);
  });

  // `n` clients, one after the other: connect, subscribe, a message round trip on every 10th,
  // disconnect; each client is dropped after its cycle.
  const connectCycles = (url, n, options) =>
    page.evaluate(
      async ({ url, n, options }) => {
        for (let i = 0; i < n; i++) {
          const c = webstomp.client(url, { heartbeat: { outgoing: 1000, incoming: 1000 }, ...options });
          await c.connect({});
          const topic = '/topic/long-run.connect';
          if (i % 10 === 0) {
            const got = new Promise((resolve) => c.subscribe(topic, (m) => resolve(m.body)));
            await c.send('/queue/long-run-barrier', '', { receipt: true });
            c.send(topic, 'ping ' + i);
            await got;
          } else {
            c.subscribe(topic, () => {});
          }
          await c.disconnect();
          if (c.state !== 'closed') throw new Error(`cycle ${i}: state ${c.state} after disconnect()`);
          // A page this small seldom needs a major collection: without one, every dropped
          // client's engine waits in WebAssembly memory to be finalised. Collect now and then,
          // the same in the warm-up and in the measured run, as a busier page would.
          if (i % 25 === 24) gc();
        }
      },
      { url, n, options },
    );

  // WebAssembly memory never shrinks: its size is the high-water mark of what the engines
  // (and those of dropped clients, until the JS garbage collector finalises them) used. A
  // warm-up lets it reach that mark first; a leak would push it on.
  test('300 connect/disconnect cycles over a raw WebSocket', async (t) => {
    await connectCycles(wsUrl(), 100);
    const start = await measure();
    const t0 = Date.now();
    await connectCycles(wsUrl(), 300);
    t.diagnostic(`300 cycles in ${Date.now() - t0} ms`);
    const end = await measure();
    assert.equal(end.socketsCreated - start.socketsCreated, 300);
    assertBackToBaseline(t, '300 connect/disconnect cycles', start, end);
  });

  for (const transport of ['websocket', 'xhr-streaming', 'xhr-polling']) {
    test(`30 connect/disconnect cycles over SockJS ${transport}`, async (t) => {
      const url = server.url + '/chat';
      const options = { transports: [transport] };
      await connectCycles(url, 10, options);
      const start = await measure();
      await connectCycles(url, 30, options);
      const end = await measure();
      assertBackToBaseline(t, `30 cycles over SockJS ${transport}`, start, end);
    });
  }

  test('no page errors', () => {
    assert.deepEqual(page.problems, []);
  });
});
