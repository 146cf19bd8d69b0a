// The encoder and header escaping: per version, and round trips through the decoder in random
// chunkings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder, encodeFrame, escapeHeader, unescapeHeader } from '../index.js';

test('escaping per version: 1.2 \\ CR LF :, 1.1 \\ LF :, 1.0 nothing', () => {
  const text = 'a\\b\rc\nd:e';
  assert.equal(escapeHeader(text, '1.2'), 'a\\\\b\\rc\\nd\\ce');
  assert.equal(escapeHeader(text, '1.1'), 'a\\\\b\rc\\nd\\ce');
  assert.equal(escapeHeader(text, '1.0'), text);
  assert.equal(escapeHeader('plain', '1.2'), 'plain');
});

test('a backslash followed by n survives the round trip (no newline appears)', () => {
  for (const version of ['1.1', '1.2']) {
    for (const value of ['\\n', 'C:\\new', '\\\\', '\\c', 'a\\', '\\r\\n']) {
      assert.equal(unescapeHeader(escapeHeader(value, version), version), value, `${version} ${value}`);
    }
  }
});

test('the encoded frame: escaped headers, content-length in UTF-8 bytes, NUL', () => {
  assert.equal(
    encodeFrame('MESSAGE', [['destination', '/topic/a:b'], ['x', 'line1\nline2']], 'héllo', '1.2'),
    'MESSAGE\ndestination:/topic/a\\cb\nx:line1\\nline2\ncontent-length:6\n\nhéllo\0',
  );
  assert.equal(encodeFrame('RECEIPT', [['receipt-id', 7]]), 'RECEIPT\nreceipt-id:7\n\n\0');
  assert.equal(encodeFrame('MESSAGE', [['content-length', '99']], 'ab'), 'MESSAGE\ncontent-length:2\n\nab\0');
  assert.equal(encodeFrame('MESSAGE', [], Buffer.from('bytes')), 'MESSAGE\ncontent-length:5\n\nbytes\0');
});

test('CONNECTED and STOMP 1.0 frames are not escaped; unrepresentable text is replaced or dropped', () => {
  assert.equal(
    encodeFrame('CONNECTED', [['server', 'a:b\\c'], ['version', '1.2']], '', '1.2'),
    'CONNECTED\nserver:a:b\\c\nversion:1.2\n\n\0',
  );
  assert.equal(
    encodeFrame('ERROR', [['message', 'two\nlines\r'], ['bad:name', 'x'], ['ok', 'a:b\\n']], '', '1.0'),
    'ERROR\nmessage:two lines \nok:a:b\\n\n\n\0',
  );
});

test('a body holding NUL bytes round-trips thanks to content-length', () => {
  const d = new Decoder({ version: '1.2' });
  d.push(encodeFrame('SEND', [['destination', '/queue/a']], 'a\0b\0', '1.2'));
  const f = d.next();
  assert.equal(f.body.toString(), 'a\0b\0');
  assert.equal(f.get('content-length'), '4');
});

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random frames round-trip through encoder and decoder in random chunks (1.1 and 1.2)', () => {
  const rand = prng(20240501);
  const pick = (items) => items[Math.floor(rand() * items.length)];
  const alphabet = ['a', 'Z', '0', ' ', '\\', ':', '\n', '\r', 'n', 'c', 'é', '€', '😀', '\0', '/'];
  const text = (max, allowed) => {
    let s = '';
    const n = Math.floor(rand() * max);
    for (let i = 0; i < n; i++) s += pick(allowed);
    return s;
  };
  for (let round = 0; round < 300; round++) {
    const version = pick(['1.1', '1.2']);
    // 1.1 cannot escape CR; NUL is not allowed in header text.
    const headerChars = alphabet.filter((c) => c !== '\0' && (version === '1.2' || c !== '\r'));
    const headers = [];
    const count = Math.floor(rand() * 5);
    for (let i = 0; i < count; i++) headers.push([`h${i}${text(4, headerChars)}`, text(12, headerChars)]);
    const body = text(40, alphabet);
    const command = pick(['SEND', 'MESSAGE', 'ERROR', 'RECEIPT']);
    const wire = Buffer.from(encodeFrame(command, headers, body, version) + pick(['', '\n', '\r\n']));
    const d = new Decoder({ version });
    const frames = [];
    for (let i = 0; i < wire.length;) {
      const n = 1 + Math.floor(rand() * 9);
      d.push(wire.subarray(i, i + n));
      i += n;
      for (let item; (item = d.next()) !== null;) if (!item.heartbeat) frames.push(item);
    }
    assert.equal(frames.length, 1, `round ${round}`);
    const [f] = frames;
    assert.equal(f.command, command);
    const expected = [...headers];
    if (body.length > 0) expected.push(['content-length', String(Buffer.byteLength(body))]);
    assert.deepEqual(f.headers, expected, `round ${round}`);
    assert.equal(f.body.toString('utf8'), body, `round ${round}`);
  }
});
