// The relay (server/main.mjs relaying to RabbitMQ's STOMP port) killed with SIGKILL mid-stream
// and started again on the same port, on each transport: raw STOMP over WebSocket, and SockJS
// websocket, xhr-streaming and xhr-polling. A producer page streams numbered messages with
// receipts, a consumer page subscribes (client-individual acks, so what RabbitMQ had pushed
// into the dead relay is redelivered); both must reconnect, re-subscribe and lose nothing.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveFigures, skipWithoutRabbitMQ as skip } from './support/env.mjs';
import { startRelay } from './support/servers.mjs';
import { checkStream, faultRun, figures, openBrowser, pageErrors, queueName } from './support/stream.mjs';

let browser;
let producerPage;
let consumerPage;
let relay;

before(async () => {
  if (skip) return;
  [browser, relay] = await Promise.all([openBrowser(), startRelay()]);
  [producerPage, consumerPage] = await Promise.all([browser.page(), browser.page()]);
});

after(async () => {
  await browser?.close();
  await relay?.stop();
});

afterEach(() => {
  if (producerPage) assert.deepEqual([...pageErrors(producerPage), ...pageErrors(consumerPage)], []);
});

const CASES = [
  { transport: 'websocket-raw', url: () => relay.ws, transports: undefined },
  { transport: 'websocket', url: () => relay.sockjs, transports: ['websocket'] },
  { transport: 'xhr-streaming', url: () => relay.sockjs, transports: ['xhr-streaming'] },
  { transport: 'xhr-polling', url: () => relay.sockjs, transports: ['xhr-polling'] },
];

for (const c of CASES) {
  test(`relay killed and restarted, ${c.transport}: reconnect, re-subscribe, nothing lost`, { skip, timeout: 90_000 }, async (t) => {
    const options = {
      heartbeat: { outgoing: 1000, incoming: 1000 },
      reconnect: { delay: 100, maxDelay: 500 },
      timeout: 2000,
      ...(c.transports ? { transports: c.transports } : {}),
    };
    const r = await faultRun({
      producerPage,
      consumerPage,
      url: c.url(),
      options,
      dest: queueName(`relay-${c.transport}`),
      fault: () => relay.kill(),
      restore: async () => {
        relay = await startRelay(relay.port);
      },
    });
    t.diagnostic(figures(r));
    await saveFigures(`relay-restart-${c.transport}`, { timings: r.timings, counts: r.counts, log: r.log });
    checkStream(r);
    for (const role of [r.producer, r.consumer]) {
      assert.ok(role.connects.length >= 2, `${role.name} connected again`);
      assert.deepEqual([...new Set(role.connects.map((x) => x.transport))], [c.transport], `${role.name} stays on ${c.transport}`);
    }
  });
}
