// No frame injection through the public API (headless Chromium): header names and values
// from the caller are escaped per negotiated version (1.2: \r \n \c \\; 1.1: \n \c \\), and
// whatever cannot be written safely is refused with a TypeError before anything is sent: in
// STOMP 1.0 and in CONNECT (never escaped) a newline or CR anywhere, a colon in a name; NUL
// anywhere; NUL in a body sent without content-length. The server side is a test double that
// records the exact bytes; they are parsed here as a broker would parse them.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, startPage } from './support.mjs';

let ctx;
let page;

before(async () => {
  ctx = await startPage();
  page = ctx.page;
  await page.evaluate((tricky) => { window.TRICKY = tricky; }, TRICKY);
});
after(() => ctx?.close());
afterEach(() => assertNoProblems(page));

/**
 * Parses the byte stream a client sent, as a STOMP `version` broker does: frames end at NUL
 * (or after content-length bytes), header lines at LF (a CR before it dropped), names and
 * values unescaped per version (CONNECT never). Throws on an undefined escape.
 */
function parse(text, version) {
  const frames = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      continue;
    }
    const lines = [];
    for (;;) {
      const end = text.indexOf('\n', i);
      if (end < 0) throw new Error(`unterminated line at ${i}: ${JSON.stringify(text.slice(i))}`);
      let line = text.slice(i, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      i = end + 1;
      if (line === '') break;
      lines.push(line);
    }
    const command = lines.shift();
    const escaped = command !== 'CONNECT' && command !== 'STOMP' && version !== '1.0';
    const unescape = (s) =>
      escaped
        ? s.replace(/\\(.)|\\$/g, (m, c) => {
            const map = { n: '\n', c: ':', '\\': '\\', ...(version === '1.2' ? { r: '\r' } : {}) };
            if (!(c in map)) throw new Error(`undefined escape ${JSON.stringify(m)} in ${command}`);
            return map[c];
          })
        : s;
    const headers = lines.map((line) => {
      const colon = line.indexOf(':');
      if (colon < 0) throw new Error(`header line without a colon in ${command}: ${JSON.stringify(line)}`);
      return [unescape(line.slice(0, colon)), unescape(line.slice(colon + 1))];
    });
    const length = headers.find(([n]) => n === 'content-length')?.[1];
    const end = length !== undefined ? i + Number(length) : text.indexOf('\0', i);
    if (end < 0 || text[end] !== '\0') throw new Error(`${command}: no NUL where the frame should end`);
    frames.push({ command, headers, body: text.slice(i, end) });
    i = end + 1;
  }
  return frames;
}

// Names and values that would end a header line, a header section or a frame, or fake an
// escape, if written as they are.
const TRICKY = [
  'line\nfeed',
  'carriage\rreturn',
  'co:lon',
  'back\\slash',
  'fake escapes \\n \\c \\r \\\\',
  'x\n\nSEND\ndestination:/queue/evil\n\nboom',
  '\r\n',
  ':',
  '\\',
];

// Runs `calls` (a function body run in the page with `c` a client connected over a test double
// at `version`) and returns the text the client sent after CONNECTED, with whatever the calls
// returned or threw.
function sentBy(version, calls) {
  return page.evaluate(
    async ({ version, calls }) => {
      const { client, sock } = await H.connectOver(W, { version });
      const results = [];
      const attempt = (fn) => {
        try {
          const r = fn();
          results.push(r && typeof r.then === 'function' ? 'promise' : r === undefined ? 'ok' : r);
        } catch (e) {
          results.push({ name: e.constructor.name, message: e.message });
        }
      };
      // eslint-disable-next-line no-new-func
      await new Function('c', 'attempt', 'TRICKY', calls)(client, attempt, window.TRICKY);
      const text = sock.sent.map((m) => (typeof m === 'string' ? m : new TextDecoder().decode(m))).join('');
      const state = client.state;
      client.onreceipt = null;
      sock.serverClose(1000);
      return { text, results, state };
    },
    { version, calls },
  );
}

describe('1.2 and 1.1 escape every header name and value', { timeout: 60_000 }, () => {
  for (const version of ['1.2', '1.1']) {
    test(`STOMP ${version}: SEND, SUBSCRIBE, UNSUBSCRIBE, ACK, NACK, DISCONNECT headers round-trip exactly`, async () => {
      // In 1.1 a value may not end in CR (there is no escape for it): those are checked apart.
      const calls = `
        const tricky = TRICKY.filter((t) => ${version === '1.1'} ? !t.endsWith('\\r') : true);
        for (const t of tricky) {
          attempt(() => c.send('/queue/' + t, 'body', { ['x-' + t]: t, [t]: 'v' }));
          const sub = c.subscribe('/topic/' + t, () => {}, { ['x-' + t]: t, id: 'id-' + t });
          attempt(() => sub.unsubscribe({ ['x-' + t]: t }));
          attempt(() => c.ack('m-' + t, 'id-' + t, { ['x-' + t]: t }));
          attempt(() => c.nack('m-' + t, 'id-' + t, { ['x-' + t]: t }));
        }
        attempt(() => c.disconnect({ ['x-' + TRICKY[5]]: TRICKY[5] }));
      `;
      const r = await sentBy(version, calls);
      const tricky = TRICKY.filter((t) => (version === '1.1' ? !t.endsWith('\r') : true));
      assert.ok(r.results.every((x) => x === 'ok' || x === 'promise'), JSON.stringify(r.results));
      const frames = parse(r.text, version);
      const expected = [];
      for (const t of tricky) {
        expected.push(
          ['SEND', [['x-' + t, t], [t, 'v'], ['destination', '/queue/' + t], ['content-length', '4']], 'body'],
          ['SUBSCRIBE', [['destination', '/topic/' + t], ['id', 'id-' + t], ['x-' + t, t]], ''],
          ['UNSUBSCRIBE', [['id', 'id-' + t], ['x-' + t, t]], ''],
        );
        const ackHeaders = [[version === '1.2' ? 'id' : 'message-id', 'm-' + t], ['subscription', 'id-' + t]];
        expected.push(['ACK', [...ackHeaders, ['x-' + t, t]], ''], ['NACK', [...ackHeaders, ['x-' + t, t]], '']);
      }
      const actual = frames.map((f) => [f.command, f.headers, f.body]);
      const disconnect = actual.pop();
      assert.equal(disconnect[0], 'DISCONNECT');
      assert.deepEqual(disconnect[1].find(([n]) => n.startsWith('x-')), ['x-' + TRICKY[5], TRICKY[5]]);
      // Header order within a frame is the client's business; each frame must carry exactly
      // these headers, and nothing else may have been made into a frame.
      const sorted = (list) => list.map(([c, h, b]) => [c, [...h].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), b]);
      assert.deepEqual(sorted(actual), sorted(expected));
      assert.ok(!frames.some((f) => f.headers.some(([, v]) => v === '/queue/evil') && f.command === 'SEND' && f.body === 'boom'));
    });
  }

  test('STOMP 1.1 has no escape for CR: a value ending in CR is a TypeError; CR inside goes out as it is', async () => {
    const r = await sentBy('1.1', `
      attempt(() => c.send('/q', 'x', { h: 'ends in CR\\r' }));
      attempt(() => c.subscribe('/q', () => {}, { h: '\\r' }));
      attempt(() => c.send('/q', 'y', { h: 'in\\rside', 'name\\rcr': 'v' }));
    `);
    for (const e of r.results.slice(0, 2)) {
      assert.equal(e.name, 'TypeError', JSON.stringify(r.results));
      assert.match(e.message, /a value ending in CR cannot be sent in STOMP 1\.1/);
    }
    assert.equal(r.results[2], 'ok');
    const frames = parse(r.text, '1.1');
    assert.deepEqual(frames.map((f) => f.command), ['SEND']);
    assert.equal(frames[0].headers.find(([n]) => n === 'h')[1], 'in\rside');
    assert.equal(frames[0].body, 'y');
    assert.equal(r.state, 'connected');
  });
});

describe('what cannot be written safely is a TypeError, and nothing is sent', { timeout: 60_000 }, () => {
  test('STOMP 1.0: newline, CR or NUL in a name or value, a colon in a name, on every method', async () => {
    const r = await sentBy('1.0', `
      const bad = [['a\\nb', 'v'], ['a\\rb', 'v'], ['a:b', 'v'], ['a\\0b', 'v'], ['h', 'a\\nb'], ['h', 'a\\rb'], ['h', 'a\\0b'], ['h', '\\r\\n']];
      c.subscribe('/q', () => {}, { id: 'keep' });
      for (const [n, v] of bad) {
        const h = { [n]: v };
        attempt(() => c.send('/q', 'x', h));
        attempt(() => c.subscribe('/q', () => {}, h));
        attempt(() => c.unsubscribe('keep', h));
        attempt(() => c.ack('m-1', 'keep', h));
        attempt(() => c.begin('tx\\n' + n));
        attempt(() => c.disconnect(h));
      }
      attempt(() => c.send('/q\\nx', 'x'));
      attempt(() => c.subscribe('/q\\r', () => {}));
      attempt(() => c.ack('m\\n1', 'keep'));
      // A colon in a 1.0 value is fine: the first colon ends the name.
      attempt(() => c.send('/q', 'ok', { h: 'a:b' }));
    `);
    const refused = r.results.slice(0, -1);
    assert.equal(refused.length, 8 * 6 + 3);
    for (const e of refused) {
      assert.equal(e?.name, 'TypeError', JSON.stringify(e));
      assert.match(e.message, /^webstomp: /);
    }
    assert.equal(r.results.at(-1), 'ok');
    const frames = parse(r.text, '1.0');
    assert.deepEqual(frames.map((f) => f.command), ['SUBSCRIBE', 'SEND'], 'only the good frames went out');
    assert.deepEqual(frames[1].headers, [['h', 'a:b'], ['destination', '/q'], ['content-length', '2']]);
    assert.equal(r.state, 'connected', 'a refused call leaves the client connected');
  });

  test('CONNECT is never escaped: newline, CR, NUL or a name colon in its headers is a TypeError', async () => {
    const r = await page.evaluate(async () => {
      const bad = [
        { login: 'me\npasscode:stolen' },
        { passcode: 'pa\rss' },
        { 'x:y': 'v' },
        { 'x\ny': 'v' },
        { host: 'h\0' },
        { Authorization: 'Bearer a\nb' },
      ];
      const out = [];
      for (const headers of bad) {
        const sock = new H.FakeSocket();
        const c = W.over(sock, { heartbeat: false });
        let sync = null;
        let rejected = null;
        try {
          const p = c.connect(headers);
          await p.catch((e) => { rejected = { name: e.constructor.name, message: e.message }; });
        } catch (e) {
          sync = { name: e.constructor.name, message: e.message };
        }
        let cb = null;
        const c2 = W.over(new H.FakeSocket(), { heartbeat: false });
        try {
          c2.connect(headers, () => {}, () => {});
        } catch (e) {
          cb = { name: e.constructor.name, message: e.message };
        }
        sock.open();
        out.push({ headers: Object.keys(headers), sync, rejected, cb, sent: sock.sent.length, state: c.state });
      }
      // connect(login, passcode, ...) checks the same way.
      let form = null;
      try {
        W.over(new H.FakeSocket(), { heartbeat: false }).connect('me', 'se\ncret', () => {});
      } catch (e) {
        form = { name: e.constructor.name, message: e.message };
      }
      return { out, form };
    });
    for (const o of r.out) {
      const error = o.sync ?? o.rejected;
      assert.equal(error?.name, 'TypeError', JSON.stringify(o));
      assert.equal(o.cb?.name, 'TypeError', JSON.stringify(o));
      assert.equal(o.sent, 0, `nothing is sent: ${JSON.stringify(o)}`);
      assert.equal(o.state, 'idle', JSON.stringify(o));
      assert.ok(!/stolen|pa\rss|a\nb|se\ncret/.test(error.message), `the message never shows the value: ${error.message}`);
    }
    assert.equal(r.form?.name, 'TypeError');
    assert.ok(!r.form.message.includes('cret'), r.form.message);
  });

  test('connect(headers) reports a bad header the same way whatever the header (thrown, not a rejected Promise)', async () => {
    const r = await page.evaluate(() =>
      [{ login: 'a\0b' }, { login: 'a\nb' }, { 'x:y': 'v' }].map((headers) => {
        try {
          const p = W.over(new H.FakeSocket(), { heartbeat: false }).connect(headers);
          p.catch(() => {});
          return 'returned a Promise';
        } catch (e) {
          return e.constructor.name;
        }
      }));
    assert.deepEqual(r, ['TypeError', 'TypeError', 'TypeError']);
  });

  test('a NUL in a body sent without content-length is a TypeError, for text and binary bodies', async () => {
    for (const version of ['1.2', '1.0']) {
      const r = await sentBy(version, `
        attempt(() => c.send('/q', 'a\\0b', { 'content-length': false }));
        attempt(() => c.send('/q', new Uint8Array([97, 0, 98]), { 'content-length': false }));
        attempt(() => c.send('/q', new Uint8Array([97, 0, 98]).buffer, { 'content-length': false }));
        attempt(() => c.send('/q', '\\0', { 'content-length': false }));
        // With content-length the NUL is part of the body.
        attempt(() => c.send('/q', 'a\\0b'));
        // Without content-length and without NUL: fine.
        attempt(() => c.send('/q', 'plain', { 'content-length': false }));
      `);
      for (const e of r.results.slice(0, 4)) {
        assert.equal(e?.name, 'TypeError', `${version}: ${JSON.stringify(r.results)}`);
        assert.match(e.message, /NUL byte needs a content-length/);
      }
      assert.deepEqual(r.results.slice(4), ['ok', 'ok']);
      const frames = parse(r.text, version);
      assert.deepEqual(frames.map((f) => [f.command, f.body]), [['SEND', 'a\0b'], ['SEND', 'plain']]);
      assert.deepEqual(frames[1].headers.find(([n]) => n === 'content-length'), undefined);
    }
  });
});

describe('frames held while connecting, then STOMP 1.0', { timeout: 30_000 }, () => {
  // Before CONNECTED the version is unknown: held frames are checked when it is.
  test('a held frame that 1.0 cannot carry is dropped, never written', async () => {
    const r = await page.evaluate(async () => {
      const sock = new H.FakeSocket();
      const lines = [];
      const c = W.over(sock, { heartbeat: false, debug: (l) => lines.push(l) });
      const p = c.connect({});
      c.send('/q', 'x', { 'a:b': 'v\nEVIL:1' });
      c.send('/q', 'fine');
      sock.open('v10.stomp');
      sock.receive(H.frame('CONNECTED', { version: '1.0' }));
      await H.within(p, 2000, 'CONNECTED');
      await H.sleep(20);
      return { text: sock.sent.join(''), lines, state: c.state };
    });
    const frames = parse(r.text, '1.0');
    assert.deepEqual(frames.map((f) => f.command), ['CONNECT', 'SEND']);
    assert.equal(frames[1].body, 'fine');
    assert.ok(!r.text.includes('EVIL'), 'the bad header never went out');
    assert.ok(r.lines.some((l) => /dropped a held command: SEND frame: invalid header name "a:b"/.test(l)), JSON.stringify(r.lines));
    assert.equal(r.state, 'connected');
  });

  test('the receipt Promise of a dropped held SEND rejects at once, naming why', async () => {
    const r = await page.evaluate(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false });
      const p = c.connect({});
      let outcome = 'pending';
      c.send('/q', 'x', { h: 'a\nb', receipt: true }).then(
        () => { outcome = 'resolved'; },
        (e) => { outcome = 'rejected: ' + e.message; },
      );
      sock.open('v10.stomp');
      sock.receive(H.frame('CONNECTED', { version: '1.0' }));
      await p;
      await H.sleep(200);
      sock.serverClose(1000);
      return outcome;
    });
    assert.match(r, /^rejected: .*"h"/);
  });
});
