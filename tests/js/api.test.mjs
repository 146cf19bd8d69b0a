// The JS API as a user sees it (API.md), in headless Chromium, on a page that imports the built
// package natively (`import webstomp from './pkg/webstomp_wasm.js'`). The server side is played
// by a scripted WebSocket test double handed to `over()` (tests/js/page/harness.js).
//
// Functions given to `page.evaluate` run in the page: there `W` is the package's default export
// and `H` the harness.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from './support/suite.mjs';

// Every test leaves the page without uncaught errors or console errors, except those it
// expects and takes out of `page.problems` itself.
const suite = pageSuite();
const { run } = suite;

/** Takes the page problems matching `re` out of the list and returns them. */
function takeProblems(re) {
  const problems = suite.page.problems;
  const taken = problems.filter((p) => re.test(p));
  problems.splice(0, problems.length, ...problems.filter((p) => !re.test(p)));
  return taken;
}

const SUITE = { timeout: 30_000 };

describe('loading', SUITE, () => {
  test('default export and named exports are the same, and work right after import', async () => {
    const r = await run(() => ({
      defaultKeys: Object.keys(W).sort(),
      namedKeys: Object.keys(named).sort(),
      same: ['over', 'client', 'Client', 'VERSIONS'].every((k) => named[k] === W[k] && W[k] !== undefined),
      defaultIsDefault: named.default === W,
      types: [typeof W.over, typeof W.client, typeof W.Client],
      firstUse: window.firstUse,
      versions: {
        V1_0: W.VERSIONS.V1_0,
        V1_1: W.VERSIONS.V1_1,
        V1_2: W.VERSIONS.V1_2,
        supported: W.VERSIONS.supportedVersions(),
        protocols: W.VERSIONS.supportedProtocols(),
      },
      isClient: W.over(new H.FakeSocket()) instanceof W.Client,
      names: [W.Client.name, W.over.name, W.client.name],
    }));
    for (const k of ['Client', 'VERSIONS', 'client', 'over']) {
      assert.ok(r.defaultKeys.includes(k), `default export has ${k}`);
      assert.ok(r.namedKeys.includes(k), `named export ${k}`);
    }
    assert.ok(r.same);
    assert.ok(r.defaultIsDefault);
    assert.deepEqual(r.types, ['function', 'function', 'function']);
    assert.deepEqual(r.firstUse, { state: 'idle', connected: false, transport: 'over' });
    assert.deepEqual(r.versions, {
      V1_0: '1.0',
      V1_1: '1.1',
      V1_2: '1.2',
      supported: '1.2,1.1,1.0',
      protocols: ['v12.stomp', 'v11.stomp', 'v10.stomp'],
    });
    assert.ok(r.isClient);
    assert.deepEqual(r.names, ['Client', 'over', 'client'], 'the shipped (minified) module keeps its public names');
  });

  test('Client is not constructed directly; over() and client() check their arguments', async () => {
    const r = await run(() => ({
      direct: H.thrown(() => new W.Client(new H.FakeSocket())),
      over: [undefined, null, 5, 'ws://x', {}, { send() {} }, { close() {} }].map((s) => H.thrown(() => W.over(s))),
      closing: H.thrown(() => W.over(new H.FakeSocket({ readyState: 2 }))),
      closed: H.thrown(() => W.over(new H.FakeSocket({ readyState: 3 }))),
      client: [undefined, 5, [], 'ftp://x', 'localhost:15674', ['ws://a/ws', 5], {}].map((u) => H.thrown(() => W.client(u))),
      clientOk: [W.client('ws://127.0.0.1:9/ws').state, W.client(['wss://a.example/ws', 'ws://b.example/ws']).state],
    }));
    assert.equal(r.direct.name, 'TypeError');
    assert.match(r.direct.message, /over\(socket|client\(url/);
    for (const e of r.over) {
      assert.equal(e?.name, 'TypeError');
      assert.match(e.message, /over\(socket\)/);
    }
    assert.match(r.closing.message, /closing/);
    assert.match(r.closed.message, /closed/);
    for (const e of r.client) {
      assert.equal(e?.name, 'TypeError');
      assert.match(e.message, /client\(url\)/);
    }
    assert.deepEqual(r.clientOk, ['idle', 'idle']);
  });
});

describe('options', SUITE, () => {
  // The CONNECT frame a client with `options` sends (after the socket opens with `protocol`).
  const connectFrame = (options, protocol = 'v12.stomp') =>
    run(
      ({ options, protocol }) => {
        const sock = new H.FakeSocket();
        const client = W.over(sock, options);
        client.connect().catch(() => {});
        sock.open(protocol);
        const f = sock.frames()[0];
        sock.serverClose(1000);
        return { headers: f.headerList, text: sock.sent.every((m) => typeof m === 'string') };
      },
      { options, protocol },
    );

  test('defaults: accept-version 1.2,1.1,1.0, heart-beat 10000,10000, text messages, no host', async () => {
    const r = await connectFrame(undefined);
    assert.deepEqual(r.headers, [
      ['accept-version', '1.2,1.1,1.0'],
      ['heart-beat', '10000,10000'],
    ]);
    assert.ok(r.text, 'frames go as text messages by default');
    assert.deepEqual((await connectFrame(null)).headers, r.headers);
    assert.deepEqual((await connectFrame({})).headers, r.headers);
  });

  test('heartbeat: false, partial and explicit values', async () => {
    const hb = async (heartbeat) => Object.fromEntries((await connectFrame({ heartbeat })).headers)['heart-beat'];
    assert.equal(await hb(false), '0,0');
    assert.equal(await hb({}), '10000,10000');
    assert.equal(await hb({ outgoing: 0, incoming: 5000 }), '0,5000');
    assert.equal(await hb({ outgoing: 2500 }), '2500,10000');
  });

  test('heartbeat: heart-beats go out when nothing else does; silence from the server closes with 4000', async () => {
    const r = await run(async () => {
      const out = {};
      {
        const { client, sock } = await H.connectOver(W, {
          options: { heartbeat: { outgoing: 40, incoming: 0 } },
          connected: { 'heart-beat': '0,40' },
        });
        await H.sleep(200);
        const { frames, heartbeats } = H.parseStream(sock.bytes());
        out.outgoing = { frames: frames.length, heartbeats, state: client.state };
        sock.serverClose();
      }
      {
        const sock = new H.FakeSocket();
        const c = W.over(sock, { heartbeat: { outgoing: 0, incoming: 50 } });
        const errors = [];
        const t0 = Date.now();
        await new Promise((resolve) => {
          c.connect({}, resolve, (e) => errors.push(e));
          sock.open();
          sock.receive(H.frame('CONNECTED', { version: '1.2', 'heart-beat': '50,0' }));
        });
        await H.until(() => errors.length, 2000, 'the heart-beat timeout');
        out.incoming = { error: errors[0], ms: Date.now() - t0, state: c.state };
      }
      return out;
    });
    assert.equal(r.outgoing.frames, 0);
    assert.ok(r.outgoing.heartbeats >= 2, `${r.outgoing.heartbeats} heart-beats in 200 ms at 40 ms`);
    assert.equal(r.outgoing.state, 'connected');
    assert.equal(r.incoming.error.code, 4000);
    assert.match(r.incoming.error.reason, /no heart-beat from the server/);
    assert.ok(r.incoming.ms >= 90 && r.incoming.ms < 1500, `closed after ${r.incoming.ms} ms (50 ms x 2)`);
    assert.equal(r.incoming.state, 'closed');
  });

  test('protocols decide accept-version; the subprotocol gives the version when CONNECTED has none', async () => {
    const av = async (protocols) => Object.fromEntries((await connectFrame({ protocols })).headers)['accept-version'];
    assert.equal(await av(['v11.stomp', 'v10.stomp']), '1.1,1.0');
    assert.equal(await av(['v10.stomp']), '1.0');
    assert.equal(await av(['v10.stomp', 'v12.stomp']), '1.2,1.0');
    const versions = await run(async () => {
      const out = [];
      for (const protocol of ['v11.stomp', 'v10.stomp', '']) {
        const sock = new H.FakeSocket();
        const c = W.over(sock, { heartbeat: false });
        const p = c.connect();
        sock.open(protocol);
        sock.receive(H.frame('CONNECTED', {}));
        await H.within(p);
        out.push(c.version);
      }
      return out;
    });
    assert.deepEqual(versions, ['1.1', '1.0', '1.0']);
  });

  test('binary: true sends every frame as a binary message', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W, { options: { binary: true } });
      client.send('/q', 'héllo');
      client.subscribe('/q', () => {});
      return {
        kinds: sock.sent.map((m) => (typeof m === 'string' ? 'text' : 'binary')),
        frames: sock.frames().map((f) => [f.command, f.body]),
      };
    });
    assert.deepEqual(r.kinds, ['binary', 'binary']);
    assert.deepEqual(r.frames, [['SEND', 'héllo'], ['SUBSCRIBE', '']]);
  });

  test('maxWebSocketFrameSize splits frames into messages of at most that many bytes', async () => {
    const r = await run(async () => {
      const body = 'héllo wörld ✓✓✓ 🎉 end';
      const out = {};
      for (const binary of [false, true]) {
        const { client, sock } = await H.connectOver(W, { options: { maxWebSocketFrameSize: 16, binary } });
        client.send('/queue/split', body, { 'x-note': 'ünïcode' });
        const sizes = sock.sent.map((m) => (typeof m === 'string' ? new TextEncoder().encode(m).length : m.length));
        const f = sock.frames();
        out[binary ? 'binary' : 'text'] = {
          messages: sock.sent.length,
          max: Math.max(...sizes),
          kinds: [...new Set(sock.sent.map((m) => typeof m))],
          frame: [f.length, f[0].command, f[0].headers['x-note'], f[0].body === body],
        };
      }
      return out;
    });
    for (const [mode, o] of Object.entries(r)) {
      assert.ok(o.messages > 3, `${mode}: split into several messages`);
      assert.ok(o.max <= 16, `${mode}: no message over 16 bytes (largest ${o.max})`);
      assert.deepEqual(o.frame, [1, 'SEND', 'ünïcode', true], `${mode}: the pieces join into the frame`);
    }
    assert.deepEqual(r.text.kinds, ['string']);
    assert.deepEqual(r.binary.kinds, ['object']);
  });

  test('maxFrameSize: a larger incoming frame is a protocol error, not a crash', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false, maxFrameSize: 200 });
      const errors = [];
      const got = [];
      await new Promise((resolve) => {
        c.connect({}, resolve, (e) => errors.push(e));
        sock.open();
        sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      });
      c.subscribe('/q', (m) => got.push(m.body));
      sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q' }, 'small'));
      sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '2', destination: '/q' }, 'x'.repeat(300)));
      await H.until(() => errors.length, 2000, 'the error callback');
      return { got, errors, state: c.state, closeCalls: sock.closeCalls };
    });
    assert.deepEqual(r.got, ['small']);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].code, 4002);
    assert.match(r.errors[0].reason, /larger than the limit of 200 bytes/);
    assert.equal(r.state, 'closed');
    assert.equal(r.closeCalls[0].code, 4002);
  });

  test('the default maxFrameSize takes a 1 MB body', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      let body;
      client.subscribe('/q', (m) => { body = m.body; });
      sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q' }, 'ab'.repeat(512 * 1024)));
      await H.until(() => body, 2000, 'the message');
      return { length: body.length, state: client.state };
    });
    assert.deepEqual(r, { length: 1024 * 1024, state: 'connected' });
  });

  test('timeout: no CONNECTED in time closes with code 4001 and rejects', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { timeout: 100, heartbeat: false });
      const t0 = Date.now();
      const p = c.connect();
      sock.open();
      const e = await H.within(p.then(() => 'resolved', (e) => e), 3000, 'the rejection');
      return { e, ms: Date.now() - t0, state: c.state };
    });
    assert.equal(r.e.code, 4001);
    assert.match(r.e.reason, /no CONNECTED frame from the server within 100 ms/);
    assert.ok(r.ms >= 90 && r.ms < 2000, `rejected after ${r.ms} ms`);
    assert.equal(r.state, 'closed');
  });

  test('debug: true logs to console.debug, a function gets each line, the passcode never shows', async () => {
    const r = await run(async () => {
      const original = console.debug;
      const consoleLines = [];
      console.debug = (...a) => consoleLines.push(a.join(' '));
      try {
        const fnLines = [];
        await H.connectOver(W, { options: { debug: true }, headers: { login: 'me', passcode: 'Pa55-word-xyz' } });
        const { client, sock } = await H.connectOver(W, {
          options: { debug: (l) => fnLines.push(l) },
          headers: { login: 'me', passcode: 'Pa55-word-xyz', Authorization: 'Bearer tok-123456' },
        });
        const viaGetter = typeof client.debug;
        client.send('/q', 'hello');
        const before = fnLines.length;
        client.debug = false;
        const off = client.debug;
        client.send('/q', 'quiet');
        const afterOff = fnLines.length;
        const setterLines = [];
        client.debug = (l) => setterLines.push(l);
        client.send('/q', 'loud');
        const bad = H.thrown(() => { client.debug = 'verbose'; });
        sock.serverClose();
        return { consoleLines, fnLines, before, afterOff, off, viaGetter, setterLines, bad };
      } finally {
        console.debug = original;
      }
    });
    const all = [...r.consoleLines, ...r.fnLines, ...r.setterLines].join('\n');
    assert.ok(r.consoleLines.some((l) => l.startsWith('>>> CONNECT')), 'CONNECT logged to console.debug');
    assert.ok(r.consoleLines.some((l) => l.startsWith('<<< CONNECTED')));
    assert.ok(r.fnLines.some((l) => /^>>> CONNECT\n[^]*passcode:\*\*\*/.test(l)), 'passcode masked');
    assert.ok(!/Pa55/.test(all), 'the passcode never appears in debug output');
    assert.ok(!/tok-123456/.test(all), 'a bearer token never appears in debug output');
    assert.ok(r.fnLines.some((l) => l.startsWith('>>> SEND') && l.includes('hello')));
    assert.equal(r.viaGetter, 'function');
    assert.equal(r.afterOff, r.before, 'debug = false stops the lines');
    assert.equal(r.off, false);
    assert.ok(r.setterLines.some((l) => l.includes('loud')), 'the debug setter takes a new function');
    assert.equal(r.bad.name, 'TypeError');
    assert.match(r.bad.message, /debug/);
  });

  test('a wrong option type is a TypeError naming the option; unknown keys are ignored', async () => {
    const cases = [
      [5, /options must be an object/],
      ['fast', /options must be an object/],
      [{ protocols: 'v12.stomp' }, /options\.protocols/],
      [{ protocols: ['v12.stomp', 12] }, /options\.protocols/],
      [{ heartbeat: true }, /options\.heartbeat/],
      [{ heartbeat: 1000 }, /options\.heartbeat/],
      [{ heartbeat: null }, /options\.heartbeat/],
      [{ heartbeat: { outgoing: -1 } }, /options\.heartbeat\.outgoing/],
      [{ heartbeat: { incoming: 1.5 } }, /options\.heartbeat\.incoming/],
      [{ heartbeat: { outgoing: '1000' } }, /options\.heartbeat\.outgoing/],
      [{ debug: 'yes' }, /options\.debug/],
      [{ debug: 1 }, /options\.debug/],
      [{ binary: 'true' }, /options\.binary/],
      [{ binary: 1 }, /options\.binary/],
      [{ maxWebSocketFrameSize: -1 }, /options\.maxWebSocketFrameSize/],
      [{ maxWebSocketFrameSize: '16' }, /options\.maxWebSocketFrameSize/],
      [{ maxWebSocketFrameSize: 1.5 }, /options\.maxWebSocketFrameSize/],
      [{ maxFrameSize: 0 }, /options\.maxFrameSize/],
      [{ maxFrameSize: -5 }, /options\.maxFrameSize/],
      [{ maxFrameSize: 'big' }, /options\.maxFrameSize/],
      [{ timeout: -1 }, /options\.timeout/],
      [{ timeout: '5s' }, /options\.timeout/],
      [{ transports: 'websocket' }, /options\.transports/],
      [{ transports: ['carrier-pigeon'] }, /options\.transports/],
      [{ reconnect: 5 }, /options\.reconnect/],
      [{ reconnect: true }, /options\.reconnect/],
      [{ reconnect: { delay: -1 } }, /options\.reconnect\.delay/],
      [{ reconnect: { jitter: 2 } }, /options\.reconnect\.jitter/],
    ];
    const results = await run(
      (list) =>
        list.map((o) => [
          H.thrown(() => W.over(new H.FakeSocket(), o)),
          H.thrown(() => W.client('ws://127.0.0.1:9/ws', o)),
        ]),
      cases.map(([o]) => o),
    );
    results.forEach(([viaOver, viaClient], i) => {
      const [o, re] = cases[i];
      const label = JSON.stringify(o);
      for (const e of [viaOver, viaClient]) {
        assert.equal(e?.name, 'TypeError', `${label} is a TypeError`);
        assert.match(e.message, re, `${label}: ${e.message}`);
      }
    });
    // Values JSON cannot carry into the page.
    const special = await run(() => [
      H.thrown(() => W.over(new H.FakeSocket(), { maxWebSocketFrameSize: NaN })),
      H.thrown(() => W.over(new H.FakeSocket(), { maxFrameSize: Infinity })),
      H.thrown(() => W.over(new H.FakeSocket(), { timeout: Infinity })),
    ]);
    for (const e of special) assert.equal(e?.name, 'TypeError');
    const unknown = await run(async () => {
      const { client } = await H.connectOver(W, { options: { heartBeat: 'bogus', foo: 1, reconnect: false, debug: false } });
      return client.state;
    });
    assert.equal(unknown, 'connected');
  });
});

describe('connect', SUITE, () => {
  test('connect(headers, connectCallback, errorCallback) sends the headers and calls back with CONNECTED', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const frame = await new Promise((resolve, reject) => {
        const ret = c.connect({ login: 'guest', passcode: 'guest', host: '/', 'x-custom': 'a:b', n: 5, skip: undefined, none: null }, resolve, reject);
        if (ret !== undefined) reject(new Error('the callback form returned ' + ret));
        sock.open();
        sock.receive(H.frame('CONNECTED', { version: '1.2', server: 'fake/1', session: 's-1' }));
      });
      return { sent: sock.frames()[0].headerList, frame: H.plain(frame), keys: Object.keys(frame), connected: c.connected };
    });
    assert.deepEqual(r.sent, [
      ['accept-version', '1.2,1.1,1.0'],
      ['heart-beat', '0,0'],
      ['login', 'guest'],
      ['passcode', 'guest'],
      ['host', '/'],
      ['x-custom', 'a:b'],
      ['n', '5'],
    ]);
    assert.deepEqual(r.frame, {
      command: 'CONNECTED',
      headers: { version: '1.2', server: 'fake/1', session: 's-1' },
      body: '',
      binaryBody: { Uint8Array: [] },
    });
    assert.deepEqual(r.keys.sort(), ['binaryBody', 'body', 'command', 'headers']);
    assert.equal(r.connected, true);
  });

  test('connect(login, passcode, connectCallback, errorCallback, host): host only if given', async () => {
    const r = await run(async () => {
      const out = [];
      for (const host of ['vhost-1', undefined]) {
        const sock = new H.FakeSocket();
        const c = W.over(sock, { heartbeat: false });
        const frame = await new Promise((resolve, reject) => {
          c.connect('user', 'pw', resolve, reject, host);
          sock.open();
          sock.receive(H.frame('CONNECTED', { version: '1.1' }));
        });
        out.push({ sent: sock.frames()[0].headerList, command: frame.command, version: c.version });
      }
      // connect(connectCallback) alone, and connect(login, passcode) as a Promise.
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const viaFn = new Promise((resolve) => c.connect(resolve));
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      out.push((await H.within(viaFn)).command);
      const sock2 = new H.FakeSocket();
      const c2 = W.over(sock2, { heartbeat: false });
      const p = c2.connect('u2', 'p2');
      sock2.open();
      sock2.receive(H.frame('CONNECTED', { version: '1.2' }));
      out.push({ isPromise: p instanceof Promise, command: (await H.within(p)).command, sent: sock2.frames()[0].headerList });
      return out;
    });
    const hb = [['accept-version', '1.2,1.1,1.0'], ['heart-beat', '0,0']];
    assert.deepEqual(r[0], { sent: [...hb, ['login', 'user'], ['passcode', 'pw'], ['host', 'vhost-1']], command: 'CONNECTED', version: '1.1' });
    assert.deepEqual(r[1].sent, [...hb, ['login', 'user'], ['passcode', 'pw']]);
    assert.equal(r[2], 'CONNECTED');
    assert.deepEqual(r[3], { isPromise: true, command: 'CONNECTED', sent: [...hb, ['login', 'u2'], ['passcode', 'p2']] });
  });

  test('the Promise form rejects with the ERROR frame', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const p = c.connect({ login: 'bad' });
      sock.open();
      sock.receive(H.frame('ERROR', { message: 'Access refused', 'content-type': 'text/plain' }, 'Login failed'));
      const e = await H.within(p.then(() => 'resolved', (e) => e));
      sock.serverClose(1000);
      await H.sleep(10);
      return { e: H.plain(e), state: c.state };
    });
    assert.equal(r.e.command, 'ERROR');
    assert.equal(r.e.headers.message, 'Access refused');
    assert.equal(r.e.body, 'Login failed');
    assert.equal(r.state, 'closed');
  });

  test('the Promise form rejects with the close event when the socket closes first', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const p = c.connect();
      sock.open();
      sock.serverClose(1011, 'server going away', false);
      const e = await H.within(p.then(() => 'resolved', (e) => e));
      return { e, state: c.state, connected: c.connected };
    });
    assert.deepEqual(r.e, { code: 1011, reason: 'server going away', wasClean: false });
    assert.equal(r.state, 'closed');
    assert.equal(r.connected, false);
  });

  test('the error callback gets the ERROR frame, then the close event', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const errors = [];
      let connected = 0;
      c.connect({}, () => connected++, (e) => errors.push(H.plain(e)));
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      sock.receive(H.frame('ERROR', { message: 'bad destination' }, 'details'));
      sock.serverClose(1000, 'bye', true);
      await H.until(() => errors.length === 2);
      return { errors, connected };
    });
    assert.equal(r.connected, 1);
    assert.equal(r.errors[0].command, 'ERROR');
    assert.equal(r.errors[0].headers.message, 'bad destination');
    assert.equal(r.errors[0].body, 'details');
    assert.deepEqual(r.errors[1], { code: 1000, reason: 'bye', wasClean: true });
  });

  test('connect while connecting is refused and leaves the first connect alone', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const first = c.connect();
      const second = await c.connect().then(() => 'resolved', (e) => ({ name: e.constructor.name, message: e.message }));
      const third = H.thrown(() => c.connect({}, () => {}));
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      const f = await H.within(first, 1000, 'the first connect');
      return { second, third, first: f.command, connects: sock.commands() };
    });
    assert.equal(r.second.name, 'Error');
    assert.match(r.second.message, /connect called while the STOMP client is connecting/);
    assert.equal(r.third.name, 'Error');
    assert.equal(r.first, 'CONNECTED');
    assert.deepEqual(r.connects, ['CONNECT']);
  });

  test('onstatechange may read the client while connect() and disconnect() run', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const seen = [];
      c.onstatechange = (s) => seen.push([s, c.state, c.connected, c.transport, c.reconnectAttempt]);
      const p = c.connect();
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      await H.within(p, 1000, 'connect');
      c.disconnect();
      return { seen, problems: window.__problems ?? [] };
    });
    assert.deepEqual(r.seen[0], ['connecting', 'connecting', false, 'over', 0]);
    assert.deepEqual(r.seen[1], ['connected', 'connected', true, 'over', 0]);
    assert.equal(r.seen[2][0], 'disconnecting');
    assert.equal(r.seen[2][1], 'disconnecting');
  });

  test('an over() client whose socket closed says so on connect instead of hanging', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      await H.disconnect(client, sock);
      const promise = await H.within(client.connect().then(() => 'resolved', (e) => e.message));
      const callback = H.thrown(() => client.connect({}, () => {}));
      return { promise, callback, state: client.state };
    });
    assert.match(r.promise, /socket given to over\(\) has closed/);
    assert.match(r.callback.message, /socket given to over\(\) has closed/);
    assert.equal(r.state, 'closed');
  });

  test('connect checks its arguments', async () => {
    const r = await run(() => {
      const c = W.over(new H.FakeSocket(), { heartbeat: false });
      const f = () => {};
      return [
        H.thrown(() => c.connect(5)),
        H.thrown(() => c.connect([])),
        H.thrown(() => c.connect({}, 'callback')),
        H.thrown(() => c.connect({}, f, 'errback')),
        H.thrown(() => c.connect(f, 5)),
        H.thrown(() => c.connect('login', 5)),
        H.thrown(() => c.connect('login')),
        H.thrown(() => c.connect('login', 'pw', 'cb')),
        H.thrown(() => c.connect('login', 'pw', f, 'eb')),
        H.thrown(() => c.connect('login', 'pw', f, f, 5)),
        H.thrown(() => c.connect({ login: {} })),
        H.thrown(() => c.connect({ '': 'x' })),
        H.thrown(() => c.connect({ a: 'x\0y' })),
        c.state,
      ];
    });
    const state = r.pop();
    for (const e of r) assert.equal(e?.name, 'TypeError', JSON.stringify(e));
    assert.match(r[0].message, /connect headers must be an object/);
    assert.match(r[2].message, /connectCallback must be a function/);
    assert.match(r[3].message, /errorCallback must be a function/);
    assert.match(r[5].message, /passcode must be a string/);
    assert.match(r[9].message, /host must be a string/);
    assert.match(r[10].message, /header "login" must be a string/);
    assert.equal(state, 'idle', 'a refused connect changes nothing');
  });
});

describe('disconnect', SUITE, () => {
  test('disconnect(callback): DISCONNECT with a receipt, close on RECEIPT, then the callback', async () => {
    const r = await run(async () => {
      const { client, sock, states } = await H.connectOver(W);
      const log = [];
      const ret = client.disconnect(() => log.push(['callback', client.state, sock.readyState]));
      const f = sock.last();
      log.push(['sent', f.command, client.state]);
      sock.receive(H.frame('RECEIPT', { 'receipt-id': f.headers.receipt }));
      await H.until(() => log.length === 2, 2000, 'the disconnect callback');
      return { ret, log, receipt: f.headers.receipt, closeCalls: sock.closeCalls, states, connected: client.connected };
    });
    assert.equal(r.ret, undefined);
    assert.ok(r.receipt, 'DISCONNECT asks for a receipt');
    assert.deepEqual(r.log, [['sent', 'DISCONNECT', 'disconnecting'], ['callback', 'closed', 3]]);
    assert.equal(r.closeCalls.length, 1);
    assert.deepEqual(r.states, ['connecting', 'connected', 'disconnecting', 'closed']);
    assert.equal(r.connected, false);
  });

  test('disconnect() returns a Promise; the server closing without RECEIPT also ends it', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const p = client.disconnect({ receipt: 'bye-1', 'x-why': 'done' });
      const f = sock.last();
      const pendingBeforeClose = await H.isPending(p);
      sock.serverClose(1000, '', true); // RabbitMQ's Web-STOMP closes without a RECEIPT
      const value = await H.within(p, 1000, 'disconnect()');
      return { isPromise: p instanceof Promise, headers: f.headerList, pendingBeforeClose, value, state: client.state };
    });
    assert.ok(r.isPromise);
    assert.deepEqual(r.headers, [['receipt', 'bye-1'], ['x-why', 'done']]);
    assert.ok(r.pendingBeforeClose);
    assert.equal(r.value, undefined);
    assert.equal(r.state, 'closed');
  });

  test('disconnect(callback, headers), and a timeout when neither RECEIPT nor close comes', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      // A socket that never reports its close by itself: the client's own timeout must end it.
      sock.close = function (code, reason) { this.closeCalls.push({ code, reason }); };
      const c = W.over(sock, { heartbeat: false, timeout: 150 });
      const p = c.connect();
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      await H.within(p);
      const t0 = Date.now();
      let called = null;
      c.disconnect(() => { called = Date.now() - t0; }, { 'x-a': '1' });
      const headers = sock.last().headerList;
      await H.until(() => called !== null, 3000, 'the disconnect callback');
      return { headers, called, state: c.state, closeCalls: sock.closeCalls };
    });
    assert.deepEqual(r.headers.map(([k]) => k), ['x-a', 'receipt']);
    assert.ok(r.called >= 140 && r.called < 2000, `callback after ${r.called} ms`);
    assert.equal(r.state, 'closed');
    assert.ok(r.closeCalls.length >= 1, 'the client closed the socket');
  });

  test('disconnect before connect settles at once; bad arguments are TypeErrors', async () => {
    const r = await run(async () => {
      const c = W.over(new H.FakeSocket(), { heartbeat: false });
      let called = false;
      c.disconnect(() => { called = true; });
      const v = await H.within(c.disconnect(), 500);
      return {
        called,
        v,
        state: c.state,
        errors: [H.thrown(() => c.disconnect('cb')), H.thrown(() => c.disconnect(() => {}, 5)), H.thrown(() => c.disconnect(() => {}, { a: [] }))],
      };
    });
    assert.equal(r.called, true);
    assert.equal(r.v, undefined);
    assert.equal(r.state, 'idle');
    for (const e of r.errors) assert.equal(e?.name, 'TypeError');
    assert.match(r.errors[0].message, /disconnect callback must be a function/);
  });
});

describe('send', SUITE, () => {
  test('string bodies: content-length in UTF-8 bytes, the caller’s (frozen) headers untouched', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const headers = Object.freeze({ 'content-type': 'text/plain', priority: 9, persistent: true, skipped: undefined });
      const copy = JSON.stringify(headers);
      const ret = client.send('/queue/a', 'héllo ✓', headers);
      client.send('/queue/b');
      client.send('/queue/c', '', {});
      client.send('/queue/d', 'x', null);
      const h2 = { 'content-length': '999', receipt: undefined };
      client.send('/queue/e', 'abc', h2);
      return { ret, same: copy === JSON.stringify(headers), h2: Object.keys(h2), frames: sock.frames().map((f) => [f.headerList, f.body]) };
    });
    assert.equal(r.ret, undefined);
    assert.ok(r.same);
    assert.deepEqual(r.h2, ['content-length', 'receipt'], 'headers object not mutated');
    assert.deepEqual(r.frames[0], [
      [['content-type', 'text/plain'], ['priority', '9'], ['persistent', 'true'], ['destination', '/queue/a'], ['content-length', '10']],
      'héllo ✓',
    ]);
    assert.deepEqual(r.frames[1], [[['destination', '/queue/b'], ['content-length', '0']], '']);
    assert.deepEqual(r.frames[2], [[['destination', '/queue/c'], ['content-length', '0']], '']);
    assert.deepEqual(r.frames[3], [[['destination', '/queue/d'], ['content-length', '1']], 'x']);
    assert.deepEqual(r.frames[4], [[['destination', '/queue/e'], ['content-length', '3']], 'abc'], 'a caller content-length is recomputed');
  });

  test('Uint8Array and ArrayBuffer bodies are sent byte for byte, NUL bytes included', async () => {
    const r = await run(async () => {
      const out = {};
      const { client, sock } = await H.connectOver(W);
      const u8 = new Uint8Array([104, 0, 105, 0, 0, 10]);
      client.send('/q', u8);
      client.send('/q', new Uint8Array([1, 2, 3, 0]).buffer, { 'content-type': 'application/octet-stream' });
      // A view into a larger buffer: only its own bytes.
      client.send('/q', new Uint8Array([9, 65, 66, 9]).subarray(1, 3));
      out.text = sock.frames().map((f) => [f.headers['content-length'], f.bytes]);
      out.kinds = sock.sent.map((m) => typeof m);
      out.untouched = Array.from(u8);
      // Not UTF-8: a text message cannot carry it, so over a WebSocket that frame goes as a
      // binary message (API.md: only SockJS needs UTF-8 bodies).
      sock.clear();
      out.notUtf8 = H.thrown(() => client.send('/q', new Uint8Array([0xff, 0xfe, 0x41])));
      out.notUtf8Sent = sock.sent.map((m) => typeof m);
      out.notUtf8Frames = sock.frames().map((f) => f.bytes);
      const b = await H.connectOver(W, { options: { binary: true } });
      b.client.send('/q', new Uint8Array([0xff, 0xfe, 0, 1]));
      out.binary = b.sock.frames().map((f) => [f.headers['content-length'], f.bytes]);
      return out;
    });
    assert.deepEqual(r.text, [
      ['6', [104, 0, 105, 0, 0, 10]],
      ['4', [1, 2, 3, 0]],
      ['2', [65, 66]],
    ]);
    assert.deepEqual(r.kinds, ['string', 'string', 'string'], 'UTF-8 frames go as text messages');
    assert.deepEqual(r.untouched, [104, 0, 105, 0, 0, 10]);
    assert.equal(r.notUtf8, null, 'a non-UTF-8 body is not refused over a WebSocket');
    assert.deepEqual(r.notUtf8Sent, ['object'], 'it goes as a binary message');
    assert.deepEqual(r.notUtf8Frames, [[0xff, 0xfe, 0x41]]);
    assert.deepEqual(r.binary, [['4', [0xff, 0xfe, 0, 1]]]);
  });

  test("headers['content-length'] === false leaves content-length out", async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const h = Object.freeze({ 'content-length': false, 'x-a': 'b' });
      client.send('/q', 'plain text', h);
      return { frame: sock.frames()[0], h: { ...h } };
    });
    assert.deepEqual(r.frame.headerList, [['x-a', 'b'], ['destination', '/q']]);
    assert.equal(r.frame.body, 'plain text');
    assert.deepEqual(r.h, { 'content-length': false, 'x-a': 'b' });
  });

  test('receipt: true or an id returns a Promise of the RECEIPT; onreceipt gets every RECEIPT', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const seen = [];
      client.onreceipt = (f) => seen.push(f.headers['receipt-id']);
      const h = Object.freeze({ receipt: true });
      const p1 = client.send('/q', 'one', h);
      const id1 = sock.last().headers.receipt;
      const p2 = client.send('/q', 'two', { receipt: 'mine-7' });
      const id2 = sock.last().headers.receipt;
      const nullReceipt = client.send('/q', 'three', { receipt: null });
      const pending = await H.isPending(p1);
      sock.receive(H.frame('RECEIPT', { 'receipt-id': 'mine-7' }) + H.frame('RECEIPT', { 'receipt-id': id1 }) + H.frame('RECEIPT', { 'receipt-id': 'nobody' }));
      const [f1, f2] = await H.within(Promise.all([p1, p2]));
      return { isPromise: p1 instanceof Promise, id1, id2, nullReceipt, pending, f1: H.plain(f1), f2: f2.headers, seen, lastHasReceipt: 'receipt' in sock.last().headers };
    });
    assert.ok(r.isPromise);
    assert.ok(r.id1 && r.id1 !== 'true', `a generated receipt id (${r.id1})`);
    assert.equal(r.id2, 'mine-7');
    assert.equal(r.nullReceipt, undefined);
    assert.equal(r.lastHasReceipt, false);
    assert.ok(r.pending);
    assert.deepEqual(r.f1, { command: 'RECEIPT', headers: { 'receipt-id': r.id1 }, body: '', binaryBody: { Uint8Array: [] } });
    assert.deepEqual(r.f2, { 'receipt-id': 'mine-7' });
    assert.deepEqual(r.seen, ['mine-7', r.id1, 'nobody']);
  });

  test('a receipt Promise rejects when the connection closes first; a synchronous RECEIPT resolves', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const p = client.send('/q', 'x', { receipt: true });
      sock.serverClose(1006, 'gone', false);
      const rejected = await H.within(p.then(() => 'resolved', (e) => ({ name: e.constructor.name, message: e.message })));
      // A socket that answers inside send() (a test double may): the RECEIPT must not be lost.
      const sync = new H.FakeSocket({
        onSend: (data, s) => {
          const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
          if (text.startsWith('CONNECT\n')) s.receive(H.frame('CONNECTED', { version: '1.2' }));
          const m = /\nreceipt:([^\n]*)\n/.exec(text);
          if (m && text.startsWith('SEND')) s.receive(H.frame('RECEIPT', { 'receipt-id': m[1] }));
        },
      });
      const c = W.over(sync, { heartbeat: false });
      const connected = c.connect();
      sync.open();
      await H.within(connected, 1000, 'a synchronous CONNECTED');
      const f = await H.within(c.send('/q', 'y', { receipt: 'r-sync' }), 1000, 'a synchronous RECEIPT');
      return { rejected, sync: f.headers['receipt-id'] };
    });
    assert.equal(r.rejected.name, 'Error');
    assert.match(r.rejected.message, /closed before the receipt/);
    assert.equal(r.sync, 'r-sync');
  });

  test('frames sent while connecting are held and sent after CONNECTED, in order', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const p = c.connect();
      c.send('/q', 'early-1');
      const sub = c.subscribe('/t', () => {});
      c.send('/q', 'early-2');
      sock.open();
      const beforeConnected = sock.commands();
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      await H.within(p);
      return { beforeConnected, after: sock.frames().map((f) => [f.command, f.body]), sub: sub.id };
    });
    assert.deepEqual(r.beforeConnected, ['CONNECT']);
    assert.deepEqual(r.after, [['CONNECT', ''], ['SUBSCRIBE', ''], ['SEND', 'early-1'], ['SEND', 'early-2']]);
    assert.equal(r.sub, 'sub-0');
  });

  test('send checks its arguments; sending when not connected is an Error', async () => {
    const r = await run(async () => {
      const { client } = await H.connectOver(W);
      const errors = [
        H.thrown(() => client.send()),
        H.thrown(() => client.send(5)),
        H.thrown(() => client.send('')),
        H.thrown(() => client.send('/q', 5)),
        H.thrown(() => client.send('/q', {})),
        H.thrown(() => client.send('/q', null)),
        H.thrown(() => client.send('/q', new Uint16Array(2))),
        H.thrown(() => client.send('/q', 'x', 'headers')),
        H.thrown(() => client.send('/q', 'x', ['a'])),
        H.thrown(() => client.send('/q', 'x', { receipt: 5 })),
        H.thrown(() => client.send('/q', 'x', { receipt: '' })),
        H.thrown(() => client.send('/q', 'x', { receipt: false })),
        H.thrown(() => client.send('/q', 'x', { 'x-obj': {} })),
      ];
      const idle = W.over(new H.FakeSocket(), { heartbeat: false });
      return { errors, notConnected: H.thrown(() => idle.send('/q', 'x')) };
    });
    for (const e of r.errors) assert.equal(e?.name, 'TypeError', JSON.stringify(e));
    assert.match(r.errors[0].message, /send\(\): destination must be a non-empty string/);
    assert.match(r.errors[3].message, /send\(\): body must be a string, Uint8Array or ArrayBuffer/);
    assert.match(r.errors[7].message, /send\(\): headers must be an object/);
    assert.match(r.errors[9].message, /receipt must be true or a non-empty string/);
    assert.equal(r.notConnected.name, 'Error');
    assert.match(r.notConnected.message, /not connected \(state: idle\)/);
  });
});

describe('subscribe', SUITE, () => {
  test('ids sub-0, sub-1, or the caller’s id; MESSAGE goes to its subscription, else onreceive', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      const s0 = client.subscribe('/queue/a', (m) => got.push(['a', m.body]));
      const s1 = client.subscribe('/queue/b', (m) => got.push(['b', m.body]), { ack: 'client-individual', 'x-q': '1' });
      const h = Object.freeze({ id: 'mine' });
      const s2 = client.subscribe('/topic/c', (m) => got.push(['c', m.body]), h);
      const s3 = client.subscribe('/topic/d', () => {}, { id: 7 });
      client.onreceive = (m) => got.push(['onreceive', m.body, m.headers.subscription]);
      const msg = (sub, body) => H.frame('MESSAGE', { subscription: sub, 'message-id': body, destination: '/x' }, body);
      sock.receive(msg('sub-1', 'm1') + msg('sub-0', 'm2') + msg('mine', 'm3') + msg('other', 'm4'));
      await H.until(() => got.length === 4);
      return {
        ids: [s0.id, s1.id, s2.id, s3.id],
        fns: typeof s0.unsubscribe,
        frames: sock.frames().map((f) => f.headerList),
        got,
      };
    });
    assert.deepEqual(r.ids, ['sub-0', 'sub-1', 'mine', '7']);
    assert.equal(r.fns, 'function');
    assert.deepEqual(r.frames, [
      [['destination', '/queue/a'], ['id', 'sub-0']],
      [['destination', '/queue/b'], ['id', 'sub-1'], ['ack', 'client-individual'], ['x-q', '1']],
      [['destination', '/topic/c'], ['id', 'mine']],
      [['destination', '/topic/d'], ['id', '7']],
    ]);
    assert.deepEqual(r.got, [['b', 'm1'], ['a', 'm2'], ['c', 'm3'], ['onreceive', 'm4', 'other']]);
  });

  test('unsubscribe() on the subscription and client.unsubscribe(id, headers)', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      const a = client.subscribe('/a', (m) => got.push('a:' + m.body));
      const b = client.subscribe('/b', (m) => got.push('b:' + m.body));
      client.onreceive = (m) => got.push('onreceive:' + m.body);
      a.unsubscribe();
      client.unsubscribe(b.id, { 'x-reason': 'done' });
      const msg = (sub, body) => H.frame('MESSAGE', { subscription: sub, 'message-id': body, destination: '/x' }, body);
      sock.receive(msg('sub-0', '1') + msg('sub-1', '2'));
      await H.until(() => got.length === 2);
      // An id can be used again once unsubscribed.
      const again = client.subscribe('/a', () => {}, { id: 'sub-0' }).id;
      return { frames: sock.frames().map((f) => [f.command, f.headerList]), got, again };
    });
    assert.deepEqual(r.frames.slice(2), [
      ['UNSUBSCRIBE', [['id', 'sub-0']]],
      ['UNSUBSCRIBE', [['x-reason', 'done'], ['id', 'sub-1']]],
      ['SUBSCRIBE', [['destination', '/a'], ['id', 'sub-0']]],
    ]);
    assert.deepEqual(r.got, ['onreceive:1', 'onreceive:2']);
    assert.equal(r.again, 'sub-0');
  });

  test('subscribe and unsubscribe check their arguments', async () => {
    const r = await run(async () => {
      const { client } = await H.connectOver(W);
      const f = () => {};
      client.subscribe('/q', f, { id: 'taken' });
      return [
        H.thrown(() => client.subscribe()),
        H.thrown(() => client.subscribe(5, f)),
        H.thrown(() => client.subscribe('', f)),
        H.thrown(() => client.subscribe('/q')),
        H.thrown(() => client.subscribe('/q', 'f')),
        H.thrown(() => client.subscribe('/q', f, 5)),
        H.thrown(() => client.subscribe('/q', f, { id: 'taken' })),
        H.thrown(() => client.subscribe('/q', f, { id: '' })),
        H.thrown(() => client.unsubscribe()),
        H.thrown(() => client.unsubscribe(5)),
        H.thrown(() => client.unsubscribe('nope')),
        H.thrown(() => client.unsubscribe('taken', 'h')),
      ];
    });
    for (const e of r) assert.equal(e?.name, 'TypeError', JSON.stringify(e));
    assert.match(r[3].message, /subscribe\(\): callback must be a function/);
    assert.match(r[6].message, /already exists/);
    assert.match(r[10].message, /no subscription with id "nope"/);
  });
});

describe('transactions and acknowledgements', SUITE, () => {
  test('begin/commit/abort, on the transaction object and on the client', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const t1 = client.begin();
      client.send('/q', 'in-tx', { transaction: t1.id });
      t1.commit();
      const t2 = client.begin('tx-mine');
      t2.abort();
      const t3 = client.begin();
      client.commit(t3.id);
      client.begin('t4');
      client.abort('t4');
      const errors = [
        H.thrown(() => client.begin(5)),
        H.thrown(() => client.begin('')),
        H.thrown(() => client.commit()),
        H.thrown(() => client.commit(5)),
        H.thrown(() => client.abort({})),
        H.thrown(() => client.commit('unknown')),
        H.thrown(() => client.abort(t1.id)),
      ];
      return {
        ids: [t1.id, t2.id, t3.id],
        fns: [typeof t1.commit, typeof t1.abort],
        frames: sock.frames().map((f) => [f.command, f.headers.transaction]),
        errors,
      };
    });
    assert.equal(r.ids[1], 'tx-mine');
    assert.ok(r.ids[0] && r.ids[2] && r.ids[0] !== r.ids[2], 'generated ids differ');
    assert.deepEqual(r.fns, ['function', 'function']);
    assert.deepEqual(r.frames, [
      ['BEGIN', r.ids[0]],
      ['SEND', r.ids[0]],
      ['COMMIT', r.ids[0]],
      ['BEGIN', 'tx-mine'],
      ['ABORT', 'tx-mine'],
      ['BEGIN', r.ids[2]],
      ['COMMIT', r.ids[2]],
      ['BEGIN', 't4'],
      ['ABORT', 't4'],
    ]);
    for (const e of r.errors) assert.equal(e?.name, 'TypeError', JSON.stringify(e));
    assert.match(r.errors[5].message, /no open transaction "unknown"/);
  });

  test('ack/nack per version: 1.2 `id` from the ack header, 1.1 `message-id` + `subscription`, 1.0', async () => {
    const r = await run(async () => {
      const out = {};
      for (const version of ['1.2', '1.1', '1.0']) {
        const { client, sock } = await H.connectOver(W, { version });
        let m;
        client.subscribe('/q', (msg) => { m = msg; }, { ack: 'client-individual' });
        const headers = { subscription: 'sub-0', 'message-id': 'mid-1', destination: '/q', ack: 'ackid-1' };
        sock.receive(H.frame('MESSAGE', headers, 'x'));
        await H.until(() => m);
        sock.clear();
        m.ack();
        const nack = H.thrown(() => m.nack({ 'x-why': 'later' }));
        client.ack('mid-9', 'sub-0', { transaction: 'tx-1' });
        out[version] = { frames: sock.frames().map((f) => [f.command, f.headerList]), nack };
      }
      // A 1.0 MESSAGE may lack the subscription header.
      const { client, sock } = await H.connectOver(W, { version: '1.0' });
      let m;
      client.onreceive = (msg) => { m = msg; };
      sock.receive(H.frame('MESSAGE', { 'message-id': 'mid-2', destination: '/q' }, 'y'));
      await H.until(() => m);
      sock.clear();
      out.noSubscription = H.thrown(() => m.ack());
      out.noSubscriptionFrames = sock.frames().map((f) => [f.command, f.headerList]);
      // A 1.2 MESSAGE of an auto-ack subscription has no ack header: nothing to acknowledge.
      const auto = await H.connectOver(W, { version: '1.2' });
      let a;
      auto.client.subscribe('/q', (msg) => { a = msg; });
      auto.sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': 'mid-3', destination: '/q' }));
      await H.until(() => a);
      out.autoAck = H.thrown(() => a.ack());
      return out;
    });
    assert.deepEqual(r['1.2'].frames, [
      ['ACK', [['id', 'ackid-1'], ['subscription', 'sub-0']]],
      ['NACK', [['x-why', 'later'], ['id', 'ackid-1'], ['subscription', 'sub-0']]],
      ['ACK', [['transaction', 'tx-1'], ['id', 'mid-9'], ['subscription', 'sub-0']]],
    ]);
    assert.equal(r['1.2'].nack, null);
    assert.deepEqual(r['1.1'].frames, [
      ['ACK', [['message-id', 'mid-1'], ['subscription', 'sub-0']]],
      ['NACK', [['x-why', 'later'], ['message-id', 'mid-1'], ['subscription', 'sub-0']]],
      ['ACK', [['transaction', 'tx-1'], ['message-id', 'mid-9'], ['subscription', 'sub-0']]],
    ]);
    assert.deepEqual(r['1.0'].frames, [
      ['ACK', [['message-id', 'mid-1'], ['subscription', 'sub-0']]],
      ['ACK', [['transaction', 'tx-1'], ['message-id', 'mid-9'], ['subscription', 'sub-0']]],
    ]);
    assert.equal(r['1.0'].nack.name, 'Error');
    assert.match(r['1.0'].nack.message, /NACK is not available in STOMP 1\.0/);
    assert.equal(r.noSubscription, null);
    assert.deepEqual(r.noSubscriptionFrames, [['ACK', [['message-id', 'mid-2']]]]);
    assert.equal(r.autoAck.name, 'TypeError');
    assert.match(r.autoAck.message, /message\.ack\(\): this MESSAGE has no "ack" header/);
  });

  test('ack and nack check their arguments', async () => {
    const r = await run(async () => {
      const { client } = await H.connectOver(W);
      const out = [];
      for (const name of ['ack', 'nack']) {
        out.push(
          H.thrown(() => client[name]()),
          H.thrown(() => client[name](5, 'sub-0')),
          H.thrown(() => client[name]('', 'sub-0')),
          H.thrown(() => client[name]('m-1')),
          H.thrown(() => client[name]('m-1', 5)),
          H.thrown(() => client[name]('m-1', 'sub-0', 5)),
        );
      }
      return out;
    });
    for (const e of r) assert.equal(e?.name, 'TypeError', JSON.stringify(e));
    assert.match(r[0].message, /ack\(\): messageId must be a non-empty string/);
    assert.match(r[3].message, /ack\(\): subscription must be a non-empty string/);
    assert.match(r[9].message, /nack\(\): subscription/);
  });
});

describe('frames and properties', SUITE, () => {
  test('MESSAGE frames: {command, headers, body, binaryBody, ack, nack}; headers a plain object', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      let m;
      client.subscribe('/q', (msg) => { m = msg; });
      const text =
        'MESSAGE\nsubscription:sub-0\nmessage-id:1\ndestination:/q\ndup:first\ndup:second\n' +
        'toString:ts\nconstructor:ctor\n__proto__:proto\nhasOwnProperty:h\ncontent-length:7\n\nab\0c\0\u00e9\0';
      sock.receive(text);
      await H.until(() => m);
      const headers = m.headers;
      return {
        keys: Object.keys(m).sort(),
        proto: Object.getPrototypeOf(headers) === Object.prototype,
        headers: Object.entries(headers),
        body: m.body,
        binaryBody: m.binaryBody instanceof Uint8Array ? Array.from(m.binaryBody) : null,
        fns: [typeof m.ack, typeof m.nack],
        stillObject: typeof headers.hasOwnProperty,
      };
    });
    assert.deepEqual(r.keys, ['ack', 'binaryBody', 'body', 'command', 'headers', 'nack']);
    assert.ok(r.proto, 'headers is a plain object');
    assert.deepEqual(r.headers, [
      ['subscription', 'sub-0'],
      ['message-id', '1'],
      ['destination', '/q'],
      ['dup', 'first'],
      ['toString', 'ts'],
      ['constructor', 'ctor'],
      ['__proto__', 'proto'],
      ['hasOwnProperty', 'h'],
      ['content-length', '7'],
    ]);
    assert.equal(r.body, 'ab\0c\0é');
    assert.deepEqual(r.binaryBody, [97, 98, 0, 99, 0, 0xc3, 0xa9]);
    assert.deepEqual(r.fns, ['function', 'function']);
  });

  test('header values are unescaped per version, and never in CONNECTED', async () => {
    const r = await run(async () => {
      const out = {};
      const raw = { '1.2': 'a\\nb\\cc\\\\d\\re', '1.1': 'a\\nb\\cc\\\\d', '1.0': 'a\\nb\\cc\\\\d\\re' };
      for (const version of ['1.2', '1.1', '1.0']) {
        const { client, sock, connectedFrame } = await H.connectOver(W, { version, connected: { 'x-esc': 'p\\nq\\cr' } });
        let m;
        client.subscribe('/q', (msg) => { m = msg; });
        sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q', 'x-esc': raw[version] }));
        await H.until(() => m);
        // STOMP 1.0 has no escapes: a header value with a newline cannot be sent.
        const sent = H.thrown(() => client.send('/q', '', { 'x-out': 'l1\nl2:c\\' })) ?? sock.last().headers['x-out'];
        out[version] = { connected: connectedFrame.headers['x-esc'], message: m.headers['x-esc'], sent };
      }
      return out;
    });
    assert.deepEqual(r['1.2'], { connected: 'p\\nq\\cr', message: 'a\nb:c\\d\re', sent: 'l1\\nl2\\cc\\\\' });
    assert.deepEqual(r['1.1'], { connected: 'p\\nq\\cr', message: 'a\nb:c\\d', sent: 'l1\\nl2\\cc\\\\' });
    assert.deepEqual(r['1.0'].connected, 'p\\nq\\cr');
    assert.deepEqual(r['1.0'].message, 'a\\nb\\cc\\\\d\\re');
    assert.equal(r['1.0'].sent.name, 'TypeError');
    assert.match(r['1.0'].sent.message, /CR and LF cannot be sent in STOMP 1\.0/);
  });

  test('connected, version, transport and state are read-only; onstatechange follows the life cycle', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const before = { connected: c.connected, version: c.version, transport: c.transport, state: c.state };
      const states = [];
      c.onstatechange = (s) => states.push(s);
      const p = c.connect();
      const connecting = c.state;
      sock.open();
      sock.receive(H.frame('CONNECTED', { version: '1.1' }));
      await H.within(p);
      const assigned = ['connected', 'version', 'transport', 'state'].map((k) => Reflect.set(c, k, 'x'));
      const during = { connected: c.connected, version: c.version, transport: c.transport, state: c.state };
      let strictError = null;
      try {
        (() => { 'use strict'; c.connected = false; })();
      } catch (e) {
        strictError = e.constructor.name;
      }
      await H.disconnect(c, sock);
      return { before, connecting, assigned, during, strictError, states, after: { connected: c.connected, state: c.state } };
    });
    assert.deepEqual(r.before, { connected: false, version: undefined, transport: 'over', state: 'idle' });
    assert.equal(r.connecting, 'connecting');
    assert.deepEqual(r.assigned, [false, false, false, false]);
    assert.deepEqual(r.during, { connected: true, version: '1.1', transport: 'over', state: 'connected' });
    assert.equal(r.strictError, 'TypeError');
    assert.deepEqual(r.states, ['connecting', 'connected', 'disconnecting', 'closed']);
    assert.deepEqual(r.after, { connected: false, state: 'closed' });
  });

  test('incoming data: text and ArrayBuffer messages, several frames per message, frames split anywhere', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      client.subscribe('/q', (m) => got.push(m.body));
      const enc = new TextEncoder();
      const msg = (body) => H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': body, destination: '/q' }, body);
      sock.receive(msg('one') + '\n\n' + msg('two'));
      sock.receive(enc.encode(msg('three') + '\r\n'));
      const bytes = enc.encode(msg('fünf ✓'));
      // Every byte its own ArrayBuffer message: splits inside é-like characters and the NUL.
      for (let i = 0; i < bytes.length; i++) sock.receive(bytes.slice(i, i + 1));
      await H.until(() => got.length === 4);
      return { got, state: client.state };
    });
    assert.deepEqual(r, { got: ['one', 'two', 'three', 'fünf ✓'], state: 'connected' });
  });

  test('text messages of any size and script; body and binaryBody agree with the bytes sent', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      client.subscribe('/q', (m) => got.push(m));
      const enc = new TextEncoder();
      const bodies = [
        '',
        'ascii',
        'emoji 😀 and ü and ✓',
        '\uFEFFstarts with a BOM',
        'x'.repeat(70_000),
        'é'.repeat(5_000) + '😀'.repeat(3_000),
      ];
      for (const body of bodies) {
        sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': 'm', destination: '/q', 'content-length': enc.encode(body).length }, body));
      }
      // A lone surrogate in a text message arrives as U+FFFD, as a browser would encode it.
      sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': 'm', destination: '/q' }, 'a\uD800b'));
      await H.until(() => got.length === bodies.length + 1);
      return got.map((m, i) => ({
        same: m.body === (bodies[i] ?? 'a\uFFFDb'),
        bytes: Array.from(m.binaryBody).join() === Array.from(enc.encode(bodies[i] ?? 'a\uFFFDb')).join(),
        keys: ['command', 'headers', 'body', 'binaryBody', 'ack', 'nack'].map((k) => typeof m[k]).join(),
      }));
    });
    for (const [i, m] of r.entries()) {
      assert.deepEqual(m, { same: true, bytes: true, keys: 'string,object,string,object,function,function' }, `message ${i}`);
    }
  });
});

describe('robustness', SUITE, () => {
  test('a user callback that throws is reported and the client goes on', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      client.subscribe('/q', (m) => {
        got.push(m.body);
        if (m.body === 'first') throw new Error('user callback failed on purpose');
      });
      client.onreceipt = () => { throw new Error('onreceipt failed on purpose'); };
      client.onstatechange = () => { throw new Error('onstatechange failed on purpose'); };
      const msg = (body) => H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': body, destination: '/q' }, body);
      sock.receive(msg('first'));
      sock.receive(msg('second') + H.frame('RECEIPT', { 'receipt-id': 'r' }) + msg('third'));
      await H.until(() => got.length === 3);
      const state = client.state;
      client.send('/q', 'still works');
      return { got, state, last: sock.last().body };
    });
    assert.deepEqual(r.got, ['first', 'second', 'third']);
    assert.equal(r.state, 'connected');
    assert.equal(r.last, 'still works');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reported = takeProblems(/failed on purpose/);
    assert.ok(reported.some((p) => p.includes('user callback failed on purpose')), 'the error is reported, not swallowed');
    assert.ok(reported.some((p) => p.includes('onreceipt failed on purpose')));
  });

  test('garbage and oversize frames reach the error callback; a new client on the page still works', async () => {
    const r = await run(async () => {
      const out = {};
      const garbage = [
        'HELLO\n\n\0',
        'MESSAGE\nno colon here\n\n\0',
        'MESSAGE\ncontent-length:abc\n\n\0',
        'MESSAGE\ncontent-length:2\n\nabc\0',
        new Uint8Array([0xff, 0xfe, 0x00, 0x0a, 0x00]),
        'MESSAGE\nbad:esc\\q\n\n\0',
        'MESSAGE\n' + 'x'.repeat(400) + ':y\n\n\0',
      ];
      out.errors = [];
      for (const data of garbage) {
        const sock = new H.FakeSocket();
        const c = W.over(sock, { heartbeat: false, maxFrameSize: 256 });
        const errors = [];
        await new Promise((resolve) => {
          c.connect({}, resolve, (e) => errors.push(e));
          sock.open();
          sock.receive(H.frame('CONNECTED', { version: '1.2' }));
        });
        sock.receive(data);
        await H.until(() => errors.length, 2000, 'the error callback');
        out.errors.push({ code: errors[0].code, reason: errors[0].reason, state: c.state });
      }
      // The WebAssembly instance did not trap: a new client works end to end.
      const { client, sock } = await H.connectOver(W);
      let body;
      client.subscribe('/q', (m) => { body = m.body; });
      sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q' }, 'alive'));
      await H.until(() => body);
      out.after = body;
      return out;
    });
    for (const e of r.errors) {
      assert.equal(e.code, 4002, JSON.stringify(e));
      assert.match(e.reason, /^invalid data from the server: /);
      assert.equal(e.state, 'closed');
    }
    assert.match(r.errors[0].reason, /not a STOMP command/);
    assert.match(r.errors[6].reason, /larger than the limit|longer than/);
    assert.equal(r.after, 'alive');
  });

  test('the page becoming visible again makes active clients check their heart-beats, harmlessly', async () => {
    const r = await run(async () => {
      const { client, sock } = await H.connectOver(W, {
        options: { heartbeat: { outgoing: 10000, incoming: 10000 } },
        connected: { 'heart-beat': '10000,10000' },
      });
      document.dispatchEvent(new Event('visibilitychange'));
      await H.sleep(20);
      const state = client.state;
      await H.disconnect(client, sock);
      document.dispatchEvent(new Event('visibilitychange'));
      return { state, visibility: document.visibilityState, after: client.state };
    });
    assert.deepEqual(r, { state: 'connected', visibility: 'visible', after: 'closed' });
  });

  test('dropped idle and closed clients are garbage-collected; a connected one keeps working', async () => {
    const r = await run(async () => {
      const collected = new Set();
      const registry = new FinalizationRegistry((name) => collected.add(name));
      const socks = [];
      let got = 0;
      let liveSock;
      // Each client lives only inside its own function (no variable of this one holds it).
      const closedClient = async (i) => {
        const { client, sock } = await H.connectOver(W);
        client.subscribe('/q', () => {});
        await H.disconnect(client, sock);
        registry.register(client, 'closed-' + i);
        socks.push(sock);
      };
      const idleClient = () => registry.register(W.over(new H.FakeSocket()), 'idle');
      const urlClient = () => registry.register(W.client('ws://127.0.0.1:9/ws'), 'url');
      const connectedClient = async () => {
        const { client, sock } = await H.connectOver(W);
        client.subscribe('/q', () => got++);
        registry.register(client, 'connected');
        liveSock = sock;
      };
      for (let i = 0; i < 5; i++) await closedClient(i);
      idleClient();
      urlClient();
      await connectedClient();
      for (let i = 0; i < 40 && collected.size < 7; i++) {
        gc();
        await H.sleep(25);
      }
      liveSock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q' }, 'x'));
      return {
        collected: [...collected].sort(),
        got,
        handlersLeft: socks.map((s) => [s.onopen, s.onmessage, s.onclose, s.onerror].filter(Boolean).length),
        liveHandlers: [liveSock.onopen, liveSock.onmessage, liveSock.onclose, liveSock.onerror].filter(Boolean).length,
      };
    });
    assert.deepEqual(r.collected, ['closed-0', 'closed-1', 'closed-2', 'closed-3', 'closed-4', 'idle', 'url']);
    assert.equal(r.got, 1, 'the connected client, though dropped by the app, still delivers');
    assert.deepEqual(r.handlersLeft, [0, 0, 0, 0, 0], 'a closed client leaves no handlers on its socket');
    assert.equal(r.liveHandlers, 4);
  });
});
