// End to end against RabbitMQ: the dev server in relay mode (--broker tcp://...), every page
// session relayed to RabbitMQ's STOMP port. `/topic/chat.lobby` is routing key `chat.lobby` on
// amq.topic there. scripts/rabbitmq.sh starts the test broker; npm test sets the port.
import { test, before, after } from 'node:test';
import { startServer, launchChromium } from './helpers.mjs';
import { chatScenario } from './scenario.mjs';

const port = process.env.RABBITMQ_STOMP_PORT;
const host = process.env.RABBITMQ_STOMP_HOST || '127.0.0.1';
const skip = port
  ? false
  : 'RABBITMQ_STOMP_PORT is not set: start the test broker with `scripts/rabbitmq.sh start` and export test-output/rabbitmq/env';

let server;
let browser;

before(async () => {
  if (skip) return;
  [server, browser] = await Promise.all([startServer(['--broker', `tcp://${host}:${port}`]), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('RabbitMQ relay, raw WebSocket: chat, presence, leave notice, rooms kept apart', { skip, timeout: 30_000 }, async () => {
  await chatScenario(browser, server.url, {
    tag: 'rabbitmq-raw',
    room: 'lobby',
    otherRoom: 'garden',
    a: { nick: 'ivan', transport: 'raw' },
    b: { nick: 'judy', transport: 'raw' },
    others: [{ nick: 'ken', transport: 'raw' }],
  });
});

test('RabbitMQ relay, SockJS: a websocket page and an xhr-polling page chat', { skip, timeout: 30_000 }, async () => {
  await chatScenario(browser, server.url, {
    tag: 'rabbitmq-sockjs',
    room: 'lobby',
    otherRoom: 'patio',
    a: { nick: 'liam', transport: 'websocket' },
    b: { nick: 'mia', transport: 'xhr-polling' },
    others: [{ nick: 'noah', transport: 'xhr-streaming' }],
  });
});
