// RabbitMQ stopped mid-stream and started again (scripts/rabbitmq.sh stop, then start: the
// run's own broker, same ports, empty state). A producer page streams numbered messages with
// receipts to a /queue/ destination, a consumer page subscribes; both talk to Web-STOMP
// directly and must reconnect, re-subscribe and lose nothing. The broker is always started
// again, so the suites after this one still have it.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RABBITMQ, rabbitmq, saveFigures, skipWithoutRabbitMQ as skip } from './support/env.mjs';
import { checkStream, faultRun, figures, openBrowser, pageErrors, queueName } from './support/stream.mjs';

let browser;
let producerPage;
let consumerPage;
let brokerDown = false;

before(async () => {
  if (skip) return;
  browser = await openBrowser();
  [producerPage, consumerPage] = await Promise.all([browser.page(), browser.page()]);
});

after(async () => {
  if (brokerDown) await rabbitmq('start');
  await browser?.close();
});

afterEach(() => {
  if (producerPage) assert.deepEqual([...pageErrors(producerPage), ...pageErrors(consumerPage)], []);
});

test('RabbitMQ stopped mid-stream and started again: both clients reconnect, re-subscribe, nothing is lost', { skip, timeout: 120_000 }, async (t) => {
  const r = await faultRun({
    producerPage,
    consumerPage,
    url: RABBITMQ.wsUrl,
    options: { heartbeat: { outgoing: 1000, incoming: 1000 }, reconnect: { delay: 100, maxDelay: 1000 }, timeout: 3000 },
    dest: queueName('rabbitmq'),
    fault: async () => {
      brokerDown = true;
      await rabbitmq('stop');
    },
    restore: async () => {
      await rabbitmq('start');
      brokerDown = false;
    },
    // The start script takes seconds; the clients retry meanwhile.
    recoverWithinMs: 30_000,
  });
  t.diagnostic(figures(r));
  await saveFigures('rabbitmq-restart', { timings: r.timings, counts: r.counts, log: r.log });
  checkStream(r);
  assert.ok(r.timings.producer.attempts >= 1 && r.timings.consumer.attempts >= 1, 'reconnect attempts were counted');
});
