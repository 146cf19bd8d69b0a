// The package under a strict Content-Security-Policy (headless Chromium): a page served by the
// dev server with `Content-Security-Policy: default-src 'self'; script-src 'self'
// 'wasm-unsafe-eval'` (no eval, no inline script, no blob: workers; connections to its own
// origin only) imports ./pkg/webstomp_wasm.js and chats with the embedded broker over a raw
// WebSocket and over SockJS (websocket, xhr-streaming, xhr-polling) on the same origin. No
// `securitypolicyviolation` may occur.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PKG, launchChromium, openPage, requireBuiltPackage, startDevServer } from './support.mjs';
import { ROOT } from '../js/support/browser.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

let server;
let browser;
let page;

before(async () => {
  await requireBuiltPackage();
  server = await startDevServer([
    '--static', `/=${join(ROOT, 'tests/security/csp-page')}`,
    '--static', `/pkg=${PKG}`,
    '--ws', '/ws',
    '--sockjs', '/chat',
    '--header', `Content-Security-Policy: ${STRICT_CSP}`,
  ]);
  browser = await launchChromium();
  page = await openPage(browser, server.url + '/');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('strict CSP', { timeout: 60_000 }, () => {
  test('the page is served with the policy, and the policy is enforced', async () => {
    const response = await fetch(server.url + '/');
    assert.equal(response.headers.get('content-security-policy'), STRICT_CSP);
    const r = await page.evaluate(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { evalAllowed: window.evalAllowed, evalError: window.evalError, violations: window.violations.splice(0) };
    });
    assert.equal(r.evalAllowed, false, 'new Function() is refused under the policy');
    assert.equal(r.evalError, 'EvalError');
    assert.equal(r.violations.length, 1, JSON.stringify(r.violations));
    assert.match(r.violations[0].directive, /^script-src/);
    assert.equal(r.violations[0].blocked, 'eval');
  });

  const transports = [
    ['raw WebSocket', (base) => base.replace('http', 'ws') + '/ws', {}],
    ['SockJS websocket', (base) => base + '/chat', { transports: ['websocket'] }],
    ['SockJS xhr-streaming', (base) => base + '/chat', { transports: ['xhr-streaming'] }],
    ['SockJS xhr-polling', (base) => base + '/chat', { transports: ['xhr-polling'] }],
  ];
  for (const [name, url, options] of transports) {
    test(`${name}: connect, subscribe, send and receive with no violation`, async () => {
      const r = await page.evaluate(
        async ({ url, options }) => {
          const within = (p, ms, what) =>
            Promise.race([p, new Promise((_, fail) => setTimeout(() => fail(new Error(`no ${what} within ${ms} ms`)), ms))]);
          const c = webstomp.client(url, { heartbeat: { outgoing: 200, incoming: 200 }, ...options });
          await within(c.connect({ login: 'guest', passcode: 'guest' }), 8000, 'CONNECTED');
          const topic = '/topic/csp-' + Math.random().toString(36).slice(2);
          const got = [];
          c.subscribe(topic, (m) => got.push(m.body), { receipt: 'sub' });
          await within(c.send(topic, 'hello under CSP é😀', { receipt: true }), 5000, 'the receipt');
          await within(new Promise((resolve) => {
            const check = () => (got.length ? resolve() : setTimeout(check, 10));
            check();
          }), 5000, 'the message');
          // Heart-beats (timers) run for a while too.
          await new Promise((resolve) => setTimeout(resolve, 500));
          const transport = c.transport;
          await within(c.disconnect(), 5000, 'disconnect()');
          await new Promise((resolve) => setTimeout(resolve, 50));
          return { got, transport, state: c.state, violations: window.violations.splice(0) };
        },
        { url: url(server.url), options },
      );
      assert.deepEqual(r.violations, [], 'no Content-Security-Policy violation');
      assert.deepEqual(r.got, ['hello under CSP é😀']);
      assert.equal(r.transport, options.transports?.[0] ?? 'websocket-raw');
      assert.equal(r.state, 'closed');
    });
  }

  // The connections above were checked against connect-src: the same client to another
  // origin is refused by the policy.
  test('a connection to another origin is blocked by the policy', async () => {
    const r = await page.evaluate(async () => {
      const c = webstomp.client('ws://127.0.0.1:9/ws', { heartbeat: false });
      c.connect().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      c.disconnect();
      return { violations: window.violations.splice(0) };
    });
    assert.ok(
      r.violations.some((v) => /^connect-src/.test(v.directive) && v.blocked.startsWith('ws://127.0.0.1:9')),
      JSON.stringify(r),
    );
    // Chromium logs the refusal as a console error: the one expected.
    page.problems = page.problems.filter((p) => !/Connecting to 'ws:\/\/127\.0\.0\.1:9\/ws' violates/.test(p));
  });

  // Chromium fires only `error` on a WebSocket the policy blocks (readyState CLOSED, no close
  // event). `timeout: 1000` bounds the transport's opening.
  const blocked = (bound) =>
    page.evaluate(async (bound) => {
      const c = webstomp.client('ws://127.0.0.1:9/ws', { heartbeat: false, timeout: 1000 });
      const t0 = Date.now();
      const outcome = await Promise.race([
        c.connect().then(() => 'connected', (e) => ({ code: e.code, reason: e.reason, ms: Date.now() - t0 })),
        new Promise((resolve) => setTimeout(() => resolve(`not settled after ${bound} ms`), bound)),
      ]);
      const state = c.state;
      if (state !== 'closed') c.disconnect();
      window.violations.splice(0);
      return { outcome, state };
    }, bound);
  const dropRefusals = () => {
    page.problems = page.problems.filter((p) => !/Connecting to 'ws:\/\/127\.0\.0\.1:9\/ws' violates/.test(p));
  };

  test('a connection the policy blocks does not hang: connect() rejects, the client closes', async () => {
    const r = await blocked(8000);
    dropRefusals();
    assert.equal(typeof r.outcome.code, 'number', JSON.stringify(r));
    assert.equal(r.state, 'closed', JSON.stringify(r));
  });

  test('a connection the policy blocks fails at once, as a failed WebSocket (1006)', async () => {
    const r = await blocked(8000);
    dropRefusals();
    assert.equal(r.outcome.code, 1006, JSON.stringify(r));
    assert.ok(r.outcome.ms < 500, JSON.stringify(r));
  });

  test('no page errors', () => {
    assert.deepEqual(page.problems, []);
  });
});
