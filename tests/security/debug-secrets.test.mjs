// The debug output never holds a passcode or an Authorization value in full (headless Chromium,
// against the dev server's embedded broker: raw STOMP over WebSocket at /ws, SockJS at /chat on
// each transport). Secrets travel on CONNECT (both connect() forms), on SUBSCRIBE and on SEND,
// and come back on the MESSAGE the broker delivers (it copies the SEND's headers), with debug
// as a function and as `true` (console.debug); frames are also split into small WebSocket
// messages. Lines must show that the headers were there, masked.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PAGE, PKG, assertNoProblems, startDevServer, startPage } from './support.mjs';

const PASSCODE = 'pa55-Secret-9f3e1c';
const TOKEN = 'secret-token-7d2a4b';
const BASIC = 'dXNlcjpzZWNyZXQtYmFzaWMtNDJx';
// Pieces that would give the secrets away even if not in full.
const LEAKS = [PASSCODE, TOKEN, BASIC, '9f3e1c', '7d2a4b', 'NDJx'];

let server;
let ctx;
let page;
const consoleLines = [];

before(async () => {
  server = await startDevServer(['--static', `/=${PAGE}`, '--static', `/pkg=${PKG}`, '--ws', '/ws', '--sockjs', '/chat', '--control', '/control']);
  ctx = await startPage(server.url);
  page = ctx.page;
  page.on('console', (m) => {
    if (m.type() === 'debug') consoleLines.push(m.text());
  });
});

after(async () => {
  await ctx?.close();
  await server?.stop();
});

afterEach(() => assertNoProblems(page));

/**
 * In the page: a client to `url` with `options`, connected with the secrets (`form`: 'login'
 * for connect(login, passcode, ...), else headers), subscribed with an Authorization header,
 * then a SEND carrying both secrets that comes back as a MESSAGE, then disconnect. Returns
 * the debug lines.
 */
function exchange(url, options, form) {
  return page.evaluate(
    async ({ url, options, form, PASSCODE, TOKEN, BASIC }) => {
      const lines = [];
      const debug = options.debug === true ? true : (l) => lines.push(l);
      const c = W.client(url, { heartbeat: false, ...options, debug });
      const connected = new Promise((resolve, reject) => {
        if (form === 'login') c.connect('guest', PASSCODE, resolve, reject);
        else c.connect({ login: 'guest', passcode: PASSCODE, Authorization: `Bearer ${TOKEN}` }, resolve, reject);
      });
      await H.within(connected, 8000, 'CONNECTED');
      const topic = '/topic/secrets-' + Math.random().toString(36).slice(2);
      let got = null;
      c.subscribe(topic, (m) => { got = m; }, { Authorization: `Bearer ${TOKEN}` });
      await H.within(c.send(topic, 'hello', { Authorization: `Basic ${BASIC}`, passcode: PASSCODE, 'x-api-token': TOKEN, receipt: true }), 5000, 'the receipt');
      await H.until(() => got, 5000, 'the MESSAGE');
      const echoed = got.headers.authorization ?? got.headers.Authorization;
      await H.within(c.disconnect(), 5000, 'disconnect()');
      return { lines, echoed, transport: c.transport };
    },
    { url, options, form, PASSCODE, TOKEN, BASIC },
  );
}

function assertMasked(lines, context) {
  const all = lines.join('\n');
  for (const leak of LEAKS) assert.ok(!all.includes(leak), `${context}: the debug output holds ${JSON.stringify(leak)}:\n${all}`);
}

describe('debug output masks passcodes and Authorization values', { timeout: 120_000 }, () => {
  const transports = [
    ['raw WebSocket', () => server.url.replace('http', 'ws') + '/ws', {}],
    ['raw WebSocket, frames split into 16-byte messages', () => server.url.replace('http', 'ws') + '/ws', { maxWebSocketFrameSize: 16 }],
    ['SockJS websocket', () => server.url + '/chat', { transports: ['websocket'] }],
    ['SockJS xhr-streaming', () => server.url + '/chat', { transports: ['xhr-streaming'] }],
    ['SockJS xhr-polling', () => server.url + '/chat', { transports: ['xhr-polling'] }],
  ];
  for (const [name, url, options] of transports) {
    test(`${name}: CONNECT (both forms), SUBSCRIBE, SEND and the echoed MESSAGE`, async () => {
      for (const form of ['headers', 'login']) {
        const r = await exchange(url(), options, form);
        const context = `${name}, connect with ${form}`;
        assert.equal(r.echoed, `Basic ${BASIC}`, `${context}: the broker echoes the SEND's Authorization (the MESSAGE checks masking too)`);
        assertMasked(r.lines, context);
        // The headers were logged, masked.
        const connect = r.lines.find((l) => l.startsWith('>>> CONNECT'));
        assert.match(connect ?? '', /\npasscode:\*\*\*\n/, `${context}: ${connect}`);
        if (form === 'headers') assert.match(connect, /\nAuthorization:Bearer \*\*\*\n/, context);
        assert.ok(r.lines.some((l) => l.startsWith('>>> SUBSCRIBE') && l.includes('Authorization:Bearer ***')), context);
        const send = r.lines.find((l) => l.startsWith('>>> SEND'));
        assert.match(send ?? '', /Authorization:Basic \*\*\*/, `${context}: ${send}`);
        assert.match(send, /passcode:\*\*\*/, context);
        assert.match(send, /x-api-token:\*\*\*/, context);
        const message = r.lines.find((l) => l.startsWith('<<< MESSAGE'));
        assert.match(message ?? '', /Authorization:Basic \*\*\*/i, `${context}: ${message}`);
      }
    });
  }

  test('debug: true logs to console.debug, masked the same way', async () => {
    consoleLines.length = 0;
    await exchange(server.url.replace('http', 'ws') + '/ws', { debug: true }, 'headers');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(consoleLines.some((l) => l.startsWith('>>> CONNECT') && l.includes('passcode:***')), consoleLines.join('\n'));
    assertMasked(consoleLines, 'console.debug');
  });

  test('errors about a bad secret header never show its value', async () => {
    const r = await page.evaluate(
      ({ PASSCODE, TOKEN }) => {
        const messages = [];
        const c = W.over(new H.FakeSocket(), { heartbeat: false });
        for (const headers of [{ passcode: `${PASSCODE}\n` }, { Authorization: `Bearer ${TOKEN}\r` }, { passcode: `${PASSCODE}\0` }]) {
          try {
            c.connect(headers, () => {});
            messages.push('accepted');
          } catch (e) {
            messages.push(`${e.constructor.name}: ${e.message}`);
          }
        }
        return messages;
      },
      { PASSCODE, TOKEN },
    );
    for (const m of r) assert.match(m, /^TypeError: /);
    assertMasked(r, 'error messages');
  });
});

// Needs options.reconnect: the CONNECT sent again after a lost connection is masked too.
describe('debug output across a reconnect', { timeout: 60_000 }, () => {
  test('the CONNECT of the reconnect is masked', async () => {
    const r = await page.evaluate(
      async ({ url, control, PASSCODE, TOKEN }) => {
        const lines = [];
        const c = W.client(url, { heartbeat: false, debug: (l) => lines.push(l), reconnect: { delay: 50, jitter: 0, maxAttempts: 3 } });
        const states = [];
        c.onstatechange = (s) => states.push(s);
        await H.within(c.connect({ login: 'guest', passcode: PASSCODE, Authorization: `Bearer ${TOKEN}` }), 8000, 'CONNECTED');
        // The server drops every session: the client reconnects.
        await fetch(control + '/close?code=4500&reason=test', { method: 'POST' });
        let timedOut = null;
        await H.until(() => states.filter((s) => s === 'connected').length >= 2, 8000, 'the second CONNECTED').catch((e) => {
          timedOut = e.message;
        });
        await H.within(c.disconnect(), 5000, 'disconnect()').catch(() => {});
        return { lines, states, timedOut };
      },
      { url: server.url.replace('http', 'ws') + '/ws', control: server.url + '/control', PASSCODE, TOKEN },
    );
    assertMasked(r.lines, 'across a reconnect');
    assert.equal(r.timedOut, null, JSON.stringify(r.states));
    const connects = r.lines.filter((l) => l.startsWith('>>> CONNECT'));
    assert.equal(connects.length, 2, connects.join('\n'));
    for (const l of connects) assert.match(l, /passcode:\*\*\*/);
  });
});
