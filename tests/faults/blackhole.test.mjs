// A black-holing proxy: connections through server/proxy.mjs stay open but nothing passes
// either way once it is switched to `blackhole` (POST /__proxy/mode). The clients ask for
// heart-beats of 500 ms both ways (RabbitMQ rounds them up to whole seconds), so each must notice
// within the negotiated interval times the tolerance (2), plus a margin for timers, and report
// it (state leaves `connected`); then, once the proxy passes again, reconnect,
// and the stream must go on with nothing lost (sends that went into the black hole are
// re-sent, messages pushed into it redelivered).
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveFigures, skipWithoutRabbitMQ as skip } from './support/env.mjs';
import { startFaultProxy, startRelay } from './support/servers.mjs';
import { checkStream, faultRun, figures, openBrowser, pageErrors, queueName } from './support/stream.mjs';

const HEARTBEAT = 500;
const TOLERANCE = 2;
// Timer lateness and the check's own period, on a loaded 2-core machine.
const MARGIN = 600;

let browser;
let producerPage;
let consumerPage;
let relay;
let proxy;

before(async () => {
  if (skip) return;
  [browser, relay] = await Promise.all([openBrowser(), startRelay()]);
  proxy = await startFaultProxy(relay.url);
  [producerPage, consumerPage] = await Promise.all([browser.page(), browser.page()]);
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await relay?.stop();
});

afterEach(async () => {
  await proxy?.mode('pass');
  if (producerPage) assert.deepEqual([...pageErrors(producerPage), ...pageErrors(consumerPage)], []);
});

// The incoming interval both sides agreed on (ms): the larger of what the client asked for and
// what the server offers to send, per the STOMP spec.
function incomingInterval(connected) {
  const [serverSends] = String(connected.heartBeat ?? '0,0').split(',').map(Number);
  return serverSends === 0 ? 0 : Math.max(HEARTBEAT, serverSends);
}

const CASES = [
  { transport: 'websocket-raw', url: () => proxy.url.replace(/^http/, 'ws') + '/ws' },
  { transport: 'xhr-streaming', url: () => proxy.url + '/chat', transports: ['xhr-streaming'] },
];

for (const c of CASES) {
  test(`black-holed connection, ${c.transport}: loss detected within the heart-beat bound, then reconnect`, { skip, timeout: 90_000 }, async (t) => {
    const r = await faultRun({
      producerPage,
      consumerPage,
      url: c.url(),
      options: {
        heartbeat: { outgoing: HEARTBEAT, incoming: HEARTBEAT },
        reconnect: { delay: 100, maxDelay: 500 },
        // Attempts into the black hole hang: each must give up soon.
        timeout: 1000,
        ...(c.transports ? { transports: c.transports } : {}),
      },
      dest: queueName(`blackhole-${c.transport}`),
      // Connected a while first: no false alarm before the fault (checkStream).
      steadyMs: 2000,
      fault: () => proxy.mode('blackhole'),
      restore: () => proxy.mode('pass'),
      detectWithinMs: 10_000,
      outageMs: 1500,
    });
    t.diagnostic(figures(r));
    const bounds = {};
    for (const role of [r.producer, r.consumer]) {
      const interval = incomingInterval(role.connects[0]);
      bounds[role.name] = { interval, bound: interval * TOLERANCE + MARGIN, detectMs: r.timings[role.name].detectMs };
      t.diagnostic(`${role.name}: negotiated incoming ${interval} ms (heart-beat ${role.connects[0].heartBeat}), detected after ${bounds[role.name].detectMs} ms (bound ${bounds[role.name].bound} ms)`);
    }
    await saveFigures(`blackhole-${c.transport}`, { bounds, timings: r.timings, counts: r.counts, log: r.log });
    for (const [name, { interval, bound, detectMs }] of Object.entries(bounds)) {
      assert.ok(interval > 0, `${name}: heart-beats were negotiated`);
      assert.ok(detectMs !== null && detectMs <= bound, `${name} noticed the black hole after ${detectMs} ms; bound ${bound} ms`);
    }
    checkStream(r);
  });
}
