// The JS API against a real RabbitMQ with Web-STOMP, in headless Chromium: `client('ws://…')`
// and `over(new WebSocket(…))`. The broker is the test run's own (scripts/rabbitmq.sh start);
// its URL comes from RABBITMQ_WS_URL, which `npm test` always sets. Without it these tests are
// skipped, saying so.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from './support/suite.mjs';

const URL_ = process.env.RABBITMQ_WS_URL;
const skip = URL_
  ? false
  : 'RABBITMQ_WS_URL is unset: start a broker with `scripts/rabbitmq.sh start` and export the URLs it prints';

// Skipped per test (not per suite), so that the closing summary counts them as skipped.
const test_ = (name, fn) => test(name, { skip }, fn);

describe('against RabbitMQ (Web-STOMP)', { timeout: 40_000 }, () => {
  const suite = pageSuite({ skip });
  // Runs `fn(url, arg)` in the page; `W` and `H` are globals there (see page/index.html).
  const run = (fn, arg) => suite.run(fn, { url: URL_, ...arg });

  test_('connect (Promise and callback forms) and disconnect', async () => {
    const r = await run(async ({ url }) => {
      const c = W.client(url, { heartbeat: false });
      const states = [];
      c.onstatechange = (s) => states.push(s);
      const before = { state: c.state, transport: c.transport };
      const frame = await H.within(c.connect('guest', 'guest'), 5000, 'CONNECTED');
      const during = { connected: c.connected, version: c.version, transport: c.transport, state: c.state };
      const disconnected = await H.within(c.disconnect(), 5000, 'disconnect()');
      const c2 = W.client([url], { heartbeat: { outgoing: 10000, incoming: 10000 } });
      const frame2 = await H.within(
        new Promise((resolve, reject) => c2.connect('guest', 'guest', resolve, reject, '/')),
        5000,
        'CONNECTED (callback form, host /)',
      );
      const hb = frame2.headers['heart-beat'];
      await H.within(new Promise((resolve) => c2.disconnect(resolve)), 5000, 'the disconnect callback');
      return {
        before,
        command: frame.command,
        server: frame.headers.server,
        during,
        disconnected,
        states,
        after: { connected: c.connected, state: c.state },
        version2: frame2.headers.version,
        hb,
        state2: c2.state,
      };
    });
    assert.deepEqual(r.before, { state: 'idle', transport: undefined });
    assert.equal(r.command, 'CONNECTED');
    assert.match(r.server, /RabbitMQ/);
    assert.deepEqual(r.during, { connected: true, version: '1.2', transport: 'websocket-raw', state: 'connected' });
    assert.equal(r.disconnected, undefined);
    assert.deepEqual(r.states, ['connecting', 'connected', 'disconnecting', 'closed']);
    assert.deepEqual(r.after, { connected: false, state: 'closed' });
    assert.equal(r.version2, '1.2');
    assert.match(r.hb, /^\d+,\d+$/);
    assert.equal(r.state2, 'closed');
  });

  test_('subscribe, send and receive: text, binary with NUL bytes, headers', async () => {
    const r = await run(async ({ url }) => {
      const c = W.client(url, { heartbeat: false, binary: true });
      await H.within(c.connect({ login: 'guest', passcode: 'guest' }), 5000, 'CONNECTED');
      const queue = `/queue/webstomp-js-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const got = [];
      const sub = c.subscribe(queue, (m) => got.push(m), { 'auto-delete': 'true' });
      // The SUBSCRIBE is in place once its receipt arrives.
      await H.within(c.send(queue, 'warm-up', { receipt: true }), 5000, 'the warm-up receipt');
      const headers = Object.freeze({ 'content-type': 'text/plain', 'x-note': 'ünï:code' });
      c.send(queue, 'héllo ✓', headers);
      // NUL bytes, but valid UTF-8: RabbitMQ's Web-STOMP answers in text frames by default
      // (web_stomp.ws_frame = text), which cannot carry other bytes to a browser.
      c.send(queue, new Uint8Array([0, 1, 2, 0, 127]));
      await H.until(() => got.length === 3, 5000, 'three messages');
      const [, text, bin] = got;
      await H.within(c.disconnect(), 5000, 'disconnect()');
      return {
        sub: sub.id,
        bodies: got.map((m) => m.body.slice(0, 8)),
        text: { body: text.body, type: text.headers['content-type'], note: text.headers['x-note'], sub: text.headers.subscription, dest: text.headers.destination },
        bin: Array.from(bin.binaryBody),
        fns: [typeof text.ack, typeof text.nack],
        queue,
      };
    });
    assert.equal(r.sub, 'sub-0');
    assert.equal(r.bodies[0], 'warm-up');
    assert.deepEqual(r.text, { body: 'héllo ✓', type: 'text/plain', note: 'ünï:code', sub: 'sub-0', dest: r.queue });
    assert.deepEqual(r.bin, [0, 1, 2, 0, 127]);
    assert.deepEqual(r.fns, ['function', 'function']);
  });

  test_('receipts: send(…, {receipt: true}) resolves with the RECEIPT, onreceipt sees it', async () => {
    const r = await run(async ({ url }) => {
      const c = W.client(url, { heartbeat: false });
      await H.within(c.connect('guest', 'guest'), 5000, 'CONNECTED');
      const seen = [];
      c.onreceipt = (f) => seen.push(f.headers['receipt-id']);
      const queue = `/queue/webstomp-js-receipt-${Date.now()}`;
      const f1 = await H.within(c.send(queue, 'one', { receipt: true, 'auto-delete': 'true' }), 5000, 'receipt 1');
      const f2 = await H.within(c.send(queue, 'two', { receipt: 'js-receipt-2' }), 5000, 'receipt 2');
      await H.within(c.disconnect(), 5000, 'disconnect()');
      return { f1: [f1.command, f1.headers['receipt-id']], f2: [f2.command, f2.headers['receipt-id']], seen };
    });
    assert.equal(r.f1[0], 'RECEIPT');
    assert.ok(r.f1[1]);
    assert.deepEqual(r.f2, ['RECEIPT', 'js-receipt-2']);
    assert.deepEqual(r.seen, [r.f1[1], 'js-receipt-2']);
  });

  test_('a refused login rejects with the ERROR frame; protocols pick the version; over(new WebSocket)', async () => {
    const r = await run(async ({ url }) => {
      const bad = W.client(url, { heartbeat: false });
      const e = await H.within(bad.connect('guest', 'wrong-password').then(() => 'resolved', (e) => e), 5000, 'the rejection');
      // RabbitMQ 3.10 keeps the socket open after its "Bad CONNECT" ERROR: close it.
      await H.within(bad.disconnect(), 5000, 'disconnect() after ERROR');
      const v11 = W.client(url, { heartbeat: false, protocols: ['v11.stomp'] });
      await H.within(v11.connect('guest', 'guest'), 5000, 'CONNECTED 1.1');
      const version = v11.version;
      await H.within(v11.disconnect(), 5000, 'disconnect() 1.1');
      const ws = new WebSocket(url, ['v12.stomp']);
      const viaOver = W.over(ws, { heartbeat: false });
      await H.within(viaOver.connect('guest', 'guest'), 5000, 'CONNECTED over a WebSocket');
      const overState = [viaOver.transport, viaOver.version];
      await H.within(viaOver.disconnect(), 5000, 'disconnect() over');
      return { e: { command: e.command, message: e.headers?.message, body: e.body }, badState: bad.state, version, overState, wsState: ws.readyState };
    });
    assert.equal(r.e.command, 'ERROR');
    assert.equal(r.e.message, 'Bad CONNECT');
    assert.match(r.e.body, /Access refused/);
    assert.equal(r.badState, 'closed');
    assert.equal(r.version, '1.1');
    assert.deepEqual(r.overState, ['over', '1.2']);
    assert.equal(r.wsState, 3, 'the WebSocket is closed after disconnect');
  });

  test_('ack in client-individual mode; nack redelivers', async () => {
    const r = await run(async ({ url }) => {
      const c = W.client(url, { heartbeat: false });
      await H.within(c.connect('guest', 'guest'), 5000, 'CONNECTED');
      const queue = `/queue/webstomp-js-ack-${Date.now()}`;
      const got = [];
      c.subscribe(queue, (m) => {
        got.push([m.body, m.headers.redelivered]);
        if (m.body === 'nack-me' && m.headers.redelivered !== 'true') m.nack();
        else m.ack();
      }, { ack: 'client-individual', 'auto-delete': 'true' });
      await H.within(c.send(queue, 'ack-me', { receipt: true }), 5000, 'receipt');
      c.send(queue, 'nack-me');
      await H.until(() => got.length === 3, 5000, 'the redelivery');
      await H.within(c.disconnect(), 5000, 'disconnect()');
      return got;
    });
    assert.deepEqual(r, [['ack-me', 'false'], ['nack-me', 'false'], ['nack-me', 'true']]);
  });
});
