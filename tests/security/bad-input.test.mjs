// Bad input through the public API, on every transport, in headless Chromium: the scripted
// server (scripts/sockjs-scripted.mjs and scripts/scripted-stomp.mjs, started here) sends STOMP
// garbage over a raw WebSocket and each SockJS transport, SockJS framing garbage, and HTTP
// errors. Each must reach the error callback (or reject connect()) with a close event naming
// the problem, close the client (4002 for bad STOMP), start a reconnect when
// `options.reconnect` asks for one, and leave the page's WebAssembly instance working. Every
// wait is bounded.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startScripted } from '../../scripts/sockjs-scripted.mjs';
import { assertNoProblems, freshClientWorks, startPage } from './support.mjs';

let scripted;
let ctx;
let page;

before(async () => {
  scripted = await startScripted();
  ctx = await startPage();
  page = ctx.page;
});

after(async () => {
  await ctx?.close();
  await scripted?.stop();
});

afterEach(() => assertNoProblems(page));

const TRANSPORTS = ['raw', 'websocket', 'xhr-streaming', 'xhr-polling'];

/** The URL of a STOMP case (scripts/scripted-stomp.mjs) over `transport`. */
function stompUrl(transport, name) {
  return transport === 'raw' ? `${scripted.url.replace('http', 'ws')}/raw/${name}` : `${scripted.url}/stomp.${name}`;
}

/**
 * Runs one connection in the page: `client(url, options)` with debug lines collected,
 * connect(headers, onConnect, onError) that subscribes to /queue/a, until the error callback
 * runs (or a message comes). With `reconnect` 'gives-up': until the client went to
 * 'reconnecting' and then ended closed by itself (options.reconnect.maxAttempts); with
 * 'reconnects': until it went to 'reconnecting' and was connected again. Then it disconnects
 * whatever is left and checks that nothing starts again. Every wait is bounded.
 */
function session(url, options = {}, reconnect = null) {
  return page.evaluate(
    async ({ url, options, reconnect }) => {
      const lines = [];
      const states = [];
      const attempts = [];
      const c = W.client(url, {
        heartbeat: false,
        maxFrameSize: 16384,
        timeout: 3000,
        ...options,
        debug: (l) => lines.push(l),
      });
      c.onstatechange = (s) => {
        states.push(s);
        if (s === 'reconnecting') attempts.push(c.reconnectAttempt);
      };
      const errors = [];
      let message = null;
      c.connect(
        {},
        () => c.subscribe('/queue/a', (m) => { message = m.body; }),
        (e) => errors.push(e.command ? { command: e.command, message: e.headers.message } : { ...e }),
      );
      let timedOut = null;
      let gaveUp = false;
      let reconnected = false;
      try {
        if (reconnect) {
          await H.until(() => states.includes('reconnecting'), 6000, 'the state reconnecting');
          if (reconnect === 'gives-up') {
            await H.until(() => c.state === 'closed', 8000, 'the client to give up (maxAttempts)');
            gaveUp = true;
          } else {
            const at = states.indexOf('reconnecting');
            await H.until(() => states.indexOf('connected', at) > at, 6000, 'CONNECTED again');
            reconnected = true;
          }
        } else {
          await H.until(() => errors.length || message !== null, 6000, 'the error callback or a message');
        }
      } catch (e) {
        timedOut = e.message;
      }
      const state = c.state;
      if (c.state !== 'closed' && c.state !== 'idle') {
        await H.within(c.disconnect(), 4000, 'disconnect()').catch((e) => { timedOut ??= e.message; });
      }
      // disconnect() ends it for good: no attempt starts afterwards.
      const settled = states.length;
      await H.sleep(reconnect ? 400 : 0);
      const after = states.slice(settled);
      return { errors, message, lines, states, attempts, state, finalState: c.state, after, gaveUp, reconnected, timedOut };
    },
    { url, options, reconnect },
  );
}

// STOMP garbage, the same on every transport: [case, close code, what the reason says].
const STOMP_CASES = [
  ['corrupt', 4002, /not a STOMP command/],
  ['content-length-text', 4002, /content-length "abc"/],
  ['content-length-negative', 4002, /content-length "-5"/],
  ['content-length-huge', 4002, /content-length "9{30}"/],
  ['missing-nul', 4002, /no NUL byte after its body/],
  ['bad-escape', 4002, /undefined escape sequence/],
  ['no-colon', 4002, /header line without a colon/],
  ['oversize', 4002, /larger than the limit of 16384 bytes/],
  ['oversize-endless', 4002, /larger than the limit of 16384 bytes/],
  // The stream ends inside a frame: the server's own close.
  ['content-length-past-end', 1000, /scripted end/],
  ['truncated-clean', 1000, /scripted end/],
  // A raw WebSocket's abnormal close has no reason.
  ['truncated', 1006, /^/],
];

describe('STOMP garbage on every transport', { timeout: 120_000 }, () => {
  for (const transport of TRANSPORTS) {
    test(`over ${transport}: the error callback gets the close, the client closes, the page survives`, async () => {
      const alive = await session(stompUrl(transport, 'alive'));
      assert.equal(alive.message, 'alive', `the scripted peer works over ${transport}: ${JSON.stringify(alive)}`);
      assert.deepEqual(alive.errors, []);

      const cases = transport === 'raw' ? [...STOMP_CASES, ['binary-garbage', 4002, /not a STOMP command/]] : STOMP_CASES;
      for (const [name, code, reason] of cases) {
        const r = await session(stompUrl(transport, name));
        const context = `${name} over ${transport}: ${JSON.stringify({ ...r, lines: undefined })}`;
        assert.equal(r.timedOut, null, context);
        assert.equal(r.errors.length, 1, context);
        assert.equal(r.errors[0].code, code, context);
        assert.match(r.errors[0].reason, reason, context);
        assert.equal(r.state, 'closed', context);
        assert.deepEqual(r.states, ['connecting', 'connected', 'closed'], context);
        if (code === 4002) {
          assert.match(r.errors[0].reason, /^invalid data from the server: /, context);
          assert.ok(
            r.lines.some((l) => l.startsWith('invalid data from the server: ') && reason.test(l)),
            `${context}: a debug line names the problem: ${JSON.stringify(r.lines)}`,
          );
        }
        assertNoProblems(page, context);
        assert.equal(await freshClientWorks(page), 'alive', `after ${name} over ${transport}`);
      }
    });
  }
});

// SockJS framing garbage and HTTP errors: [scenario, transports, close code, reason].
const SOCKJS_CASES = [
  ['bad-json', ['xhr-streaming'], 1002, /invalid JSON in SockJS 'a' frame/],
  ['ws-bad-json', ['websocket'], 1002, /invalid JSON in SockJS 'a' frame/],
  ['poll-truncated', ['xhr-polling'], 1002, /invalid JSON in SockJS 'a' frame/],
  ['bad-type', ['xhr-streaming'], 1002, /unknown SockJS frame type 'x'/],
  ['not-utf8', ['xhr-streaming'], 1002, /not valid UTF-8/],
  ['truncated', ['xhr-streaming'], 1002, /ended inside a frame/],
  ['close-unterminated', ['xhr-streaming'], 1002, /invalid JSON in SockJS 'c' frame/],
  ['close-no-reason', ['xhr-streaming'], 1002, /SockJS 'c' frame payload must be \[code, "reason"\]/],
  ['close-big-code', ['xhr-streaming'], 1002, /code 0-65535/],
  ['close-string', ['xhr-polling'], 1002, /SockJS 'c' frame payload must be/],
  ['ws-close-garbage', ['websocket'], 1002, /SockJS 'c' frame payload must be/],
  ['info-404', undefined, 1002, /Cannot connect to server: .*HTTP 404/],
  ['info-500', undefined, 1002, /Cannot connect to server: .*HTTP 500/],
  ['info-html', undefined, 1002, /not valid JSON/],
  ['receive-500', ['xhr-streaming'], 2000, /All transports failed/],
  ['receive-500', ['xhr-polling'], 2000, /All transports failed/],
  ['poll-404-after-open', ['xhr-polling'], 1006, /permanent: xhr answered HTTP 404/],
  ['stream-500-after-open', ['xhr-streaming'], 1006, /permanent: xhr_streaming answered HTTP 500/],
  ['send-404', ['xhr-streaming'], 1006, /Sending error: xhr_send answered HTTP 404/],
  ['send-500', ['xhr-streaming'], 1006, /Sending error: xhr_send answered HTTP 500/],
];

describe('SockJS garbage and HTTP errors', { timeout: 120_000 }, () => {
  test('each reaches the error callback with a close event naming it; the page survives', async () => {
    for (const [scenario, transports, code, reason] of SOCKJS_CASES) {
      const r = await session(`${scripted.url}/${scenario}`, { transports });
      const context = `${scenario} over ${transports ?? 'any'}: ${JSON.stringify(r)}`;
      assert.equal(r.timedOut, null, context);
      assert.equal(r.errors.length, 1, context);
      assert.equal(r.errors[0].code, code, context);
      assert.match(r.errors[0].reason, reason, context);
      assert.equal(r.state, 'closed', context);
      assert.equal(r.message, null);
      assertNoProblems(page, context);
    }
    assert.equal(await freshClientWorks(page), 'alive');
  });

  // A close the transport reports (not bad STOMP) is also written to the debug output.
  test('the debug output names the problem when the transport ends the connection', async () => {
    const missing = [];
    const cases = [
      ...SOCKJS_CASES.map(([s, transports]) => [`${scripted.url}/${s}`, { transports }]),
      ...TRANSPORTS.map((t) => [stompUrl(t, 'truncated'), t === 'raw' ? {} : { transports: [t] }]),
    ];
    for (const [url, options] of cases) {
      const r = await session(url, options);
      const { code, reason } = r.errors[0] ?? {};
      // A line that gives the close code, and the reason when there is one.
      if (!r.lines.some((l) => l.includes(String(code)) && l.includes(reason ?? ''))) {
        missing.push(`${url}: ${code} ${reason}`);
      }
    }
    assert.deepEqual(missing, [], 'connections that ended without a debug line saying why');
  });
});

describe('connect() without callbacks', { timeout: 60_000 }, () => {
  test('rejects with the close event when the attempt fails on bad input', async () => {
    const cases = [
      [stompUrl('raw', 'bad-connected'), {}, 4002, /content-length "x"/],
      [stompUrl('xhr-streaming', 'bad-connected'), { transports: ['xhr-streaming'] }, 4002, /content-length "x"/],
      [stompUrl('raw', 'connected-version'), {}, 4002, /STOMP version "2\.0"/],
      [`${scripted.url}/bad-json`, { transports: ['xhr-streaming'] }, 1002, /invalid JSON/],
      [`${scripted.url}/info-404`, {}, 1002, /HTTP 404/],
    ];
    for (const [url, options, code, reason] of cases) {
      const r = await page.evaluate(
        async ({ url, options }) => {
          const c = W.client(url, { heartbeat: false, timeout: 3000, ...options });
          const outcome = await H.within(
            c.connect().then(() => ({ resolved: true }), (e) => ({ rejected: { ...e, isError: e instanceof Error } })),
            6000,
            'connect() to settle',
          );
          return { outcome, state: c.state };
        },
        { url, options },
      );
      const context = `${url}: ${JSON.stringify(r)}`;
      assert.ok(r.outcome.rejected, context);
      assert.equal(r.outcome.rejected.code, code, context);
      assert.match(r.outcome.rejected.reason, reason, context);
      assert.equal(typeof r.outcome.rejected.wasClean, 'boolean', context);
      assert.equal(r.state, 'closed', context);
    }
    assert.equal(await freshClientWorks(page), 'alive');
  });
});

// With options.reconnect, bad input is a lost connection like any other: the client goes to
// 'reconnecting' (attempt 1 first). Where the server connects and then sends garbage, each
// attempt succeeds (CONNECTED resets the count) and the client keeps reconnecting until
// disconnect(); where the attempt itself fails, the client gives up after maxAttempts.
describe('bad input with options.reconnect', { timeout: 120_000 }, () => {
  const reconnect = { delay: 100, maxDelay: 100, jitter: 0, maxAttempts: 2 };
  // [what, URL (once the scripted server runs), options, 'reconnects' | 'gives-up']
  const cases = [
    ...TRANSPORTS.map((t) => [`corrupt over ${t}`, () => stompUrl(t, 'corrupt'), t === 'raw' ? {} : { transports: [t] }, 'reconnects']),
    ['oversize over raw', () => stompUrl('raw', 'oversize'), {}, 'reconnects'],
    ['truncated over raw', () => stompUrl('raw', 'truncated'), {}, 'reconnects'],
    ['truncated over xhr-streaming', () => stompUrl('xhr-streaming', 'truncated'), { transports: ['xhr-streaming'] }, 'reconnects'],
    ['garbage for CONNECTED over raw', () => stompUrl('raw', 'bad-connected'), {}, 'gives-up'],
    ['SockJS bad JSON', () => `${scripted.url}/bad-json`, { transports: ['xhr-streaming'] }, 'gives-up'],
    ['SockJS /info 404', () => `${scripted.url}/info-404`, {}, 'gives-up'],
  ];
  for (const [what, url, options, outcome] of cases) {
    test(`${what}: the client reconnects (${outcome === 'gives-up' ? 'and gives up after maxAttempts' : 'until disconnect()'})`, async () => {
      const r = await session(url(), { ...options, reconnect }, outcome);
      const context = `${what}: ${JSON.stringify({ ...r, lines: r.lines.slice(-5), errors: r.errors.slice(0, 3) })}`;
      assert.equal(r.timedOut, null, context);
      assert.ok(r.states.includes('reconnecting'), context);
      assert.equal(r.attempts[0], 1, `the first attempt is number 1: ${context}`);
      assert.ok(r.errors.length >= 1, `the error callback heard of the loss: ${context}`);
      if (outcome === 'gives-up') {
        assert.ok(r.gaveUp, `after maxAttempts the client ends closed by itself: ${context}`);
        assert.ok(r.errors.length >= 1 + reconnect.maxAttempts, `the error callback heard of every failure: ${context}`);
      } else {
        assert.ok(r.reconnected, context);
      }
      assert.equal(r.finalState, 'closed', context);
      assert.deepEqual(r.after, [], `nothing starts after disconnect(): ${context}`);
      assert.equal(await freshClientWorks(page), 'alive');
    });
  }
});
