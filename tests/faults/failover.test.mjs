// Failover across an array of URLs: `client([dead, live])` connects through the second; and a
// client connected through the first of two relays moves to the second when the first dies
// (and stays dead), with the stream going on and nothing lost.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RABBITMQ, saveFigures, skipWithoutRabbitMQ as skip } from './support/env.mjs';
import { deadPort, startRelay } from './support/servers.mjs';
import { checkStream, faultRun, figures, openBrowser, pageErrors, queueName } from './support/stream.mjs';

let browser;
let page;
let otherPage;

before(async () => {
  if (skip) return;
  browser = await openBrowser();
  [page, otherPage] = await Promise.all([browser.page(), browser.page()]);
});

after(async () => {
  await browser?.close();
});

afterEach(() => {
  if (page) assert.deepEqual([...pageErrors(page), ...pageErrors(otherPage)], []);
});

// Connects client(urls) with callbacks, waits for CONNECTED, proves the connection works with a
// receipted SEND, and reports what happened on the way.
async function failover(urls) {
  return page.evaluate(async ({ urls }) => {
    const client = W.client(urls, { heartbeat: false, reconnect: { delay: 100 }, timeout: 2000 });
    const states = [];
    client.onstatechange = (s) => states.push({ state: s, attempt: client.reconnectAttempt });
    const errors = [];
    let connects = 0;
    const t0 = performance.now();
    const connected = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not connected after 10 s: ${JSON.stringify(states)} ${JSON.stringify(errors)}`)), 10_000);
      client.connect(
        { login: 'guest', passcode: 'guest' },
        (frame) => {
          connects += 1;
          clearTimeout(timer);
          resolve(frame);
        },
        (e) => errors.push(e && e.command ? e.command : { code: e && e.code, reason: e && e.reason }),
      );
    });
    const connectMs = Math.round(performance.now() - t0);
    const receipt = await client.send(`/queue/webstomp-faults-failover-${Date.now()}`, 'hello', { receipt: true });
    const attempt = client.reconnectAttempt;
    await client.disconnect();
    return { server: connected.headers.server, connectMs, states, errors, connects, receipt: receipt.command, attempt, transport: client.transport, finalState: client.state };
  }, { urls });
}

test('failover: client([dead ws URL, live ws URL]) connects through the second', { skip, timeout: 30_000 }, async (t) => {
  const dead = `ws://127.0.0.1:${await deadPort()}/ws`;
  const r = await failover([dead, RABBITMQ.wsUrl]);
  t.diagnostic(`connected after ${r.connectMs} ms; states ${r.states.map((s) => `${s.state}#${s.attempt}`).join(' ')}; error callbacks ${JSON.stringify(r.errors)}`);
  assert.match(r.server, /RabbitMQ/);
  assert.equal(r.receipt, 'RECEIPT');
  assert.equal(r.connects, 1);
  assert.equal(r.transport, 'websocket-raw');
  const names = r.states.map((s) => s.state);
  assert.equal(names[0], 'connecting');
  assert.ok(names.includes('reconnecting'), `it reconnected: ${names}`);
  assert.ok(r.states.some((s) => s.state === 'reconnecting' && s.attempt >= 1), 'the attempt number is reported');
  assert.deepEqual(names.slice(-3), ['connected', 'disconnecting', 'closed']);
  assert.ok(r.connectMs < 5000, `connected within 5 s (${r.connectMs} ms)`);
});

test('failover: client([dead SockJS URL, live ws URL]) connects through the second', { skip, timeout: 30_000 }, async (t) => {
  const dead = `http://127.0.0.1:${await deadPort()}/chat`;
  const r = await failover([dead, RABBITMQ.wsUrl]);
  t.diagnostic(`connected after ${r.connectMs} ms; states ${r.states.map((s) => `${s.state}#${s.attempt}`).join(' ')}`);
  assert.equal(r.receipt, 'RECEIPT');
  assert.equal(r.transport, 'websocket-raw');
  assert.ok(r.states.some((s) => s.state === 'reconnecting'), 'it reconnected');
  assert.ok(r.connectMs < 5000, `connected within 5 s (${r.connectMs} ms)`);
});

test('failover mid-stream: the first of two relays dies, the clients move to the second, nothing lost', { skip, timeout: 90_000 }, async (t) => {
  const [first, second] = await Promise.all([startRelay(), startRelay()]);
  try {
    const r = await faultRun({
      producerPage: page,
      consumerPage: otherPage,
      url: [first.ws, second.ws],
      options: { heartbeat: { outgoing: 1000, incoming: 1000 }, reconnect: { delay: 100, maxDelay: 500 }, timeout: 2000 },
      dest: queueName('failover'),
      fault: () => first.kill(),
      // Nothing to repair: the second relay is up all along.
      restore: () => {},
      outageMs: 0,
    });
    t.diagnostic(figures(r));
    await saveFigures('failover-relay', { timings: r.timings, counts: r.counts, log: r.log });
    checkStream(r);
  } finally {
    await Promise.all([first.kill(), second.stop()]);
  }
});
