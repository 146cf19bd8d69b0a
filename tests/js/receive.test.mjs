// How a MESSAGE reaches the callback, whatever form its socket message takes. A frame in an
// ASCII text message is handed over as slices of that message (headers too, when written
// plainly); anything else is decoded from WebAssembly memory. Every path must give the user the
// same message. The server is the scripted test double of tests/js/page/harness.js.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from './support/suite.mjs';

const { run } = pageSuite();

const SUITE = { timeout: 30_000 };

// Connects, subscribes (sub-0), feeds `messages` (strings, or {bytes: [...]} for ArrayBuffers),
// and returns what the callback and onreceive saw: headers, body and binaryBody's bytes.
async function received(messages, expected) {
  return run(
    async ({ messages, expected }) => {
      const { client, sock } = await H.connectOver(W);
      const got = [];
      const record = (where) => (m) =>
        got.push({
          where,
          headers: { ...m.headers },
          // Not in `headers` as returned: serialising drops an own __proto__ key.
          proto: Object.hasOwn(m.headers, '__proto__') ? m.headers.__proto__ : null,
          plainPrototype: Object.getPrototypeOf(m.headers) === Object.prototype,
          body: m.body,
          bytes: Array.from(m.binaryBody),
        });
      client.subscribe('/q', record('sub-0'));
      client.onreceive = record('onreceive');
      for (const m of messages) sock.receive(typeof m === 'string' ? m : new Uint8Array(m.bytes));
      await H.until(() => got.length >= expected, 2000, `${expected} messages`);
      return got;
    },
    { messages, expected },
  );
}

const utf8 = (s) => Array.from(new TextEncoder().encode(s));
const frame = (headers, body, eol = '\n') =>
  'MESSAGE' + eol + headers.map(([k, v]) => `${k}:${v}${eol}`).join('') + eol + body + '\0';

describe('receiving', SUITE, () => {
  const headers = [
    ['subscription', 'sub-0'],
    ['destination', '/topic/a'],
    ['message-id', 'm-1'],
    ['content-type', 'application/json'],
  ];
  const body = '{"text":"hello, a body long enough to be a slice of the message"}';
  const expected = {
    where: 'sub-0',
    headers: Object.fromEntries(headers),
    proto: null,
    plainPrototype: true,
    body,
    bytes: utf8(body),
  };

  test('the same message from plain text, CRLF text, escaped headers, split text and binary', async () => {
    const plain = frame(headers, body);
    const forms = {
      plain: [plain],
      crlf: [frame(headers, body, '\r\n')],
      'with heart-beats around it': ['\n\r\n' + plain + '\n'],
      'split in the headers': [plain.slice(0, 20), plain.slice(20)],
      'split in the body': [plain.slice(0, plain.length - 10), plain.slice(plain.length - 10)],
      'split byte by byte': [...plain],
      arraybuffer: [{ bytes: utf8(plain) }],
      'content-length': [frame([...headers, ['content-length', String(body.length)]], body)],
    };
    for (const [name, messages] of Object.entries(forms)) {
      const got = await received(messages, 1);
      const want = name === 'content-length'
        ? { ...expected, headers: { ...expected.headers, 'content-length': String(body.length) } }
        : expected;
      assert.deepEqual(got, [want], name);
    }
  });

  test('escaped header values are unescaped (STOMP 1.2), also in an ASCII message', async () => {
    const got = await received([frame([...headers, ['x-escaped', 'a\\cb\\nc\\\\d\\re']], body)], 1);
    assert.equal(got[0].headers['x-escaped'], 'a:b\nc\\d\re');
    assert.equal(got[0].body, body);
  });

  test('non-ASCII text: headers, body and binaryBody are right', async () => {
    const text = 'héllo wörld, ✓ and 😀, then ASCII after it for a while';
    const got = await received([frame([...headers, ['x-name', 'Zoë']], text)], 1);
    assert.equal(got[0].headers['x-name'], 'Zoë');
    assert.equal(got[0].body, text);
    assert.deepEqual(got[0].bytes, utf8(text));
  });

  test('many frames in one message, each with its own headers; repeats: the first wins', async () => {
    const frames = [];
    for (let i = 0; i < 16; i++) {
      frames.push(frame([['subscription', 'sub-0'], ['message-id', `m-${i}`], ['message-id', 'repeat'], ['__proto__', 'p']], `body ${i}`));
    }
    const got = await received([frames.join('\n')], 16);
    assert.deepEqual(got.map((m) => m.body), frames.map((_, i) => `body ${i}`));
    assert.deepEqual(got.map((m) => m.headers['message-id']), frames.map((_, i) => `m-${i}`));
    for (const m of got) {
      assert.equal(m.plainPrototype, true);
      assert.equal(m.proto, 'p');
    }
  });

  test('a message for no live subscription goes to onreceive with its subscription header', async () => {
    const got = await received([frame([['subscription', 'gone'], ['message-id', '1']], 'x'), frame([['message-id', '2']], 'y')], 2);
    assert.deepEqual(got.map((m) => [m.where, m.headers.subscription, m.body]), [
      ['onreceive', 'gone', 'x'],
      ['onreceive', undefined, 'y'],
    ]);
  });

  test('bodies with NUL bytes (content-length) and bodies of every size', async () => {
    const sizes = [0, 1, 12, 13, 511, 512, 513, 4096, 9000, 70000];
    const messages = sizes.map((n) => {
      const b = 'x'.repeat(Math.max(0, n - 1)) + (n ? '\0' : '');
      return frame([['subscription', 'sub-0'], ['content-length', String(n)]], b);
    });
    // Non-ASCII, larger than the first buffer the engine offers.
    const wide = 'é'.repeat(9000);
    messages.push(frame([['subscription', 'sub-0']], wide));
    const got = await received(messages, sizes.length + 1);
    assert.deepEqual(got.slice(0, -1).map((m) => m.body.length), sizes);
    assert.equal(got[3].body, 'x'.repeat(12) + '\0');
    assert.deepEqual(got[3].bytes.slice(-1), [0]);
    assert.equal(got.at(-1).body, wide);
    assert.equal(got.at(-1).bytes.length, 18000);
  });

  test('a message fed from inside a callback gets its own body, and the outer ones keep theirs', async () => {
    const got = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const frame = (id, body) => H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': id }, body);
      const seen = [];
      client.subscribe('/q', (m) => {
        seen.push([m.headers['message-id'], m.body]);
        if (m.headers['message-id'] === 'o1') {
          sock.receive(frame('inner', 'inner body, also long enough to be sliced'));
          sock.receive(frame('wide', 'a non-ASCII body: é'));
        }
      });
      sock.receive(frame('o1', 'outer first body, long enough to slice') + frame('o2', 'outer second body'));
      await H.until(() => seen.length >= 4);
      await H.sleep(20);
      return seen;
    });
    assert.equal(got.length, 4, JSON.stringify(got));
    assert.deepEqual(Object.fromEntries(got), {
      o1: 'outer first body, long enough to slice',
      o2: 'outer second body',
      inner: 'inner body, also long enough to be sliced',
      wide: 'a non-ASCII body: é',
    });
  });

  test('many frames in one message: a callback that grows wasm memory or unsubscribes mid-way', async () => {
    const got = await run(async () => {
      const { client, sock } = await H.connectOver(W);
      const seen = [];
      const memory = [W.wasmMemoryBytes()];
      const sub = client.subscribe('/q', (m) => {
        seen.push([m.headers['message-id'], m.headers.destination, m.body]);
        if (m.headers['message-id'] === 'm-3') {
          // A 4 MiB frame makes the engine grow its memory while later frames wait.
          client.send('/big', 'x'.repeat(4 << 20));
          memory.push(W.wasmMemoryBytes());
        }
        if (m.headers['message-id'] === 'm-9') sub.unsubscribe();
      });
      client.onreceive = (m) => seen.push(['onreceive', m.headers['message-id'], m.body]);
      let text = '';
      for (let i = 0; i < 16; i++) {
        text += H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': `m-${i}`, destination: `/topic/t${i}` }, `body number ${i}, long enough to slice`);
      }
      sock.receive(text);
      await H.until(() => seen.length === 16);
      return { seen, memory };
    });
    assert.ok(got.memory[1] > got.memory[0], `memory grew: ${got.memory}`);
    const want = [];
    for (let i = 0; i < 16; i++) {
      want.push(i <= 9
        ? [`m-${i}`, `/topic/t${i}`, `body number ${i}, long enough to slice`]
        : ['onreceive', `m-${i}`, `body number ${i}, long enough to slice`]);
    }
    assert.deepEqual(got.seen, want);
  });
});
