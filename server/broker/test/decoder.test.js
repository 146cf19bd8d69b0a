// The streaming decoder on well-formed input: the STOMP 1.2 spec's examples and the cases a
// parser must survive, fed whole, at every two-chunk split and byte by byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder, HEARTBEAT } from '../index.js';

const HB = 'heartbeat';

/** What `chunks` decode to: frames as { command, headers, body (latin1) }, heart-beats as HB. */
function decodeChunks(chunks, { version = '1.2', ...limits } = {}) {
  const d = new Decoder({ version, ...limits });
  const out = [];
  for (const chunk of chunks) {
    d.push(chunk);
    for (let item; (item = d.next()) !== null;) out.push(plain(item));
  }
  return out;
}

function plain(item) {
  if (item === HEARTBEAT) return HB;
  return { command: item.command, headers: item.headers, body: item.body.toString('latin1') };
}

function frame(command, headers, body = '') {
  return { command, headers, body: Buffer.from(body, 'utf8').toString('latin1') };
}

const bytes = (text) => Buffer.from(text, 'latin1');

/** Decodes `wire` whole, split in two at every offset, and byte by byte; all must agree. */
function decodeEveryWay(wire, options) {
  const buf = typeof wire === 'string' ? Buffer.from(wire, 'utf8') : wire;
  const whole = decodeChunks([buf], options);
  for (let i = 0; i <= buf.length; i++) {
    assert.deepEqual(decodeChunks([buf.subarray(0, i), buf.subarray(i)], options), whole, `split at ${i}`);
  }
  const bytewise = [];
  for (let i = 0; i < buf.length; i++) bytewise.push(buf.subarray(i, i + 1));
  assert.deepEqual(decodeChunks(bytewise, options), whole, 'byte by byte');
  return whole;
}

function one(wire, version = '1.2') {
  const got = decodeChunks([wire], { version });
  assert.equal(got.length, 1, `expected one frame, got ${JSON.stringify(got)}`);
  return got[0];
}

function firstFrame(wire, version = '1.2') {
  const d = new Decoder({ version });
  d.push(wire);
  return d.next();
}

test('the spec MESSAGE example, in any split', () => {
  const wire = 'MESSAGE\nsubscription:0\nmessage-id:007\ndestination:/queue/a\ncontent-type:text/plain\n\nhello queue a\0';
  assert.deepEqual(decodeEveryWay(wire), [frame('MESSAGE', [
    ['subscription', '0'], ['message-id', '007'], ['destination', '/queue/a'], ['content-type', 'text/plain'],
  ], 'hello queue a')]);
});

test('the spec CONNECT and CONNECTED examples', () => {
  const connect = firstFrame('CONNECT\naccept-version:1.2\nhost:stomp.github.org\n\n\0', '1.0');
  assert.equal(connect.command, 'CONNECT');
  assert.equal(connect.get('host'), 'stomp.github.org');
  assert.equal(connect.body.length, 0);
  const connected = firstFrame('CONNECTED\nversion:1.2\n\n\0', '1.0');
  assert.equal(connected.get('version'), '1.2');
});

test('the spec ERROR example with a content-length body of 170 bytes', () => {
  const body = 'The message:\n-----\nMESSAGE\ndestined:/queue/a\nreceipt:message-12345\n\nHello queue a!\n-----\nDid not contain a destination header, which is REQUIRED\nfor message propagation.\n';
  const wire = `ERROR\nreceipt-id:message-12345\ncontent-type:text/plain\ncontent-length:170\nmessage:malformed frame received\n\n${body}\0`;
  const f = firstFrame(wire);
  assert.equal(f.get('message'), 'malformed frame received');
  assert.equal(f.body.toString(), body);
  assert.equal(f.body.length, 170);
});

test('repeated headers: all are kept, the first wins', () => {
  const f = firstFrame('MESSAGE\nfoo:World\nfoo:Hello\n\n\0');
  assert.equal(f.get('foo'), 'World');
  assert.deepEqual(f.headers, [['foo', 'World'], ['foo', 'Hello']]);
  assert.deepEqual({ ...f.toObject() }, { foo: 'World' });
  assert.equal(f.get('bar'), undefined);
});

test('a content-length body may hold NUL bytes', () => {
  assert.deepEqual(decodeEveryWay('MESSAGE\ncontent-length:5\n\na\0b\0c\0MESSAGE\n\nx\0'), [
    frame('MESSAGE', [['content-length', '5']], 'a\0b\0c'),
    frame('MESSAGE', [], 'x'),
  ]);
});

test('zero content-length and empty bodies', () => {
  assert.deepEqual(decodeChunks(['RECEIPT\nreceipt-id:1\ncontent-length:0\n\n\0DISCONNECT\n\n\0']), [
    frame('RECEIPT', [['receipt-id', '1'], ['content-length', '0']]),
    frame('DISCONNECT', []),
  ]);
});

test('the first content-length wins', () => {
  const f = one('SEND\ncontent-length:2\ncontent-length:9\n\na\0\0');
  assert.equal(f.body, 'a\0');
  assert.equal(f.headers.length, 2);
});

test('a body without content-length ends at the first NUL', () => {
  assert.deepEqual(decodeEveryWay('SEND\ndestination:/q\n\nab\0MESSAGE\n\ncd\0'), [
    frame('SEND', [['destination', '/q']], 'ab'),
    frame('MESSAGE', [], 'cd'),
  ]);
});

test('EOLs between frames are heart-beats (LF and CRLF)', () => {
  const wire = '\n\r\nMESSAGE\n\nx\0\n\n\r\n\nRECEIPT\nreceipt-id:7\n\n\0\r\n';
  assert.deepEqual(decodeEveryWay(wire), [
    HB, HB, frame('MESSAGE', [], 'x'), HB, HB, HB, HB, frame('RECEIPT', [['receipt-id', '7']]), HB,
  ]);
});

test('NUL then EOL frame ends (as RabbitMQ sends them), split between the NUL and the EOL', () => {
  const wire = 'CONNECTED\nserver:RabbitMQ/3.13.7\nsession:s-x\nheart-beat:10000,10000\nversion:1.2\n\n\0\nMESSAGE\nsubscription:sub-0\ndestination:/queue/a\nmessage-id:T_sub-0@@s-x@@1\nredelivered:false\nack:5\ncontent-length:2\n\nhi\0\n';
  const got = decodeEveryWay(wire);
  assert.equal(got.length, 4);
  assert.equal(got[1], HB);
  assert.equal(got[3], HB);
  assert.equal(got[2].body, 'hi');
  assert.deepEqual(decodeChunks(['SEND\n\nx\0', '\n', 'SEND\n\ny\0\r', '\n']), [
    frame('SEND', [], 'x'), HB, frame('SEND', [], 'y'), HB,
  ]);
});

test('CRLF line ends, in every version', () => {
  const wire = 'MESSAGE\r\ndestination:/queue/a\r\ncontent-length:4\r\n\r\nbody\0\r\nRECEIPT\r\nreceipt-id:1\r\n\r\n\0';
  for (const version of ['1.0', '1.1', '1.2']) {
    assert.deepEqual(decodeEveryWay(wire, { version }), [
      frame('MESSAGE', [['destination', '/queue/a'], ['content-length', '4']], 'body'),
      HB,
      frame('RECEIPT', [['receipt-id', '1']]),
    ], version);
  }
});

test('a CR inside a value is kept; only the CR of a CRLF is stripped', () => {
  const f = firstFrame('MESSAGE\na:x\ry\r\nb:z\r\r\n\n\0', '1.0');
  assert.equal(f.get('a'), 'x\ry');
  assert.equal(f.get('b'), 'z\r');
});

test('a header splits at its first colon; empty names and values are kept', () => {
  assert.deepEqual(one('MESSAGE\na:b:c\nempty:\n:noname\n\n\0', '1.0').headers, [['a', 'b:c'], ['empty', ''], ['', 'noname']]);
  assert.equal(firstFrame('CONNECTED\nserver:Apache/1.2:x\n\n\0').get('server'), 'Apache/1.2:x');
});

test('header unescaping per version: 1.2 \\r \\n \\c \\\\, 1.1 without \\r, 1.0 none', () => {
  const wire = 'MESSAGE\nk\\cey:a\\r\\nb\\cc\\\\d\n\n\0';
  assert.equal(firstFrame(wire, '1.2').get('k:ey'), 'a\r\nb:c\\d');
  assert.throws(() => firstFrame(wire, '1.1'), { code: 'InvalidEscape', message: 'bad STOMP header: undefined escape sequence "\\r"' });
  assert.equal(firstFrame('MESSAGE\nk\\cey:a\\nb\\cc\\\\d\n\n\0', '1.1').get('k:ey'), 'a\nb:c\\d');
  assert.equal(firstFrame(wire, '1.0').get('k\\cey'), 'a\\r\\nb\\cc\\\\d');
});

test('CONNECT, STOMP and CONNECTED headers are never unescaped', () => {
  for (const version of ['1.1', '1.2']) {
    for (const command of ['CONNECT', 'STOMP', 'CONNECTED']) {
      const f = firstFrame(`${command}\nlogin:a\\tb\\c\npasscode:x\\\n\n\0`, version);
      assert.equal(f.get('login'), 'a\\tb\\c');
      assert.equal(f.get('passcode'), 'x\\');
    }
  }
});

test('an escaped backslash followed by n is not a newline', () => {
  assert.equal(firstFrame('MESSAGE\npath:C\\c\\\\new\n\n\0').get('path'), 'C:\\new');
});

test('undefined escapes and a trailing backslash are fatal in 1.1 and 1.2, kept in 1.0', () => {
  assert.throws(() => firstFrame('MESSAGE\na:x\\ty\n\n\0'), { code: 'InvalidEscape', message: /undefined escape sequence "\\t"/ });
  assert.throws(() => firstFrame('MESSAGE\na:x\\\n\n\0'), { code: 'InvalidEscape', message: /backslash at the end/ });
  assert.throws(() => firstFrame('MESSAGE\na\\:x\n\n\0', '1.1'), { code: 'InvalidEscape' });
  assert.throws(() => firstFrame('MESSAGE\na:\\\u00e9\n\n\0'), { code: 'InvalidEscape', message: /U\+00e9/ });
  assert.equal(firstFrame('MESSAGE\na:x\\ty\n\n\0', '1.0').get('a'), 'x\\ty');
});

test('a version set between frames applies from the next frame on', () => {
  const d = new Decoder();
  d.push('CONNECTED\nversion:1.2\n\n\0MESSAGE\na:\\c\n\n\0');
  assert.equal(d.next().command, 'CONNECTED');
  d.version = '1.2';
  assert.equal(d.next().get('a'), ':');
});

test('invalid UTF-8 in headers becomes U+FFFD; body bytes are kept as they are', () => {
  const f = firstFrame(bytes('MESSAGE\nd\xffst:caf\xc3\n\n\xff\0'));
  assert.equal(f.get('d\ufffdst'), 'caf\ufffd');
  assert.deepEqual([...f.body], [0xff]);
});

test('multi-byte UTF-8 split anywhere, as Buffers', () => {
  const wire = 'MESSAGE\ndestination:/topic/€uro😀\ncontent-length:10\n\nnaïve😀\0\r\n';
  assert.deepEqual(decodeEveryWay(wire), [
    frame('MESSAGE', [['destination', '/topic/€uro😀'], ['content-length', '10']], 'naïve😀'),
    HB,
  ]);
});

test('string chunks split inside a surrogate pair', () => {
  const wire = 'SEND\ndestination:/topic/😀\n\n😀x😀\0';
  for (let i = 0; i <= wire.length; i++) {
    const got = decodeChunks([wire.slice(0, i), wire.slice(i)]);
    assert.equal(got.length, 1, `split at ${i}`);
    assert.equal(got[0].headers[0][1], '/topic/😀');
    assert.equal(Buffer.from(got[0].body, 'latin1').toString('utf8'), '😀x😀', `split at ${i}`);
  }
});

test('Uint8Array, ArrayBuffer and string input mixed', () => {
  const enc = new TextEncoder();
  const got = decodeChunks([enc.encode('SEND\nde'), enc.encode('stination:/a\n\n').buffer, 'hé', Buffer.from('llo\0')]);
  assert.deepEqual(got, [frame('SEND', [['destination', '/a']], 'héllo')]);
});

test('a large frame in 1-byte chunks, and many frames in one chunk', () => {
  const body = 'x'.repeat(20000);
  const wire = Buffer.from(`SEND\ndestination:/a\n\n${body}\0`);
  const chunks = [];
  for (let i = 0; i < wire.length; i++) chunks.push(wire.subarray(i, i + 1));
  const got = decodeChunks(chunks);
  assert.equal(got.length, 1);
  assert.equal(got[0].body.length, 20000);
  const many = decodeChunks([Buffer.from('SEND\ndestination:/a\ncontent-length:3\n\nabc\0\n'.repeat(5000))]);
  assert.equal(many.length, 10000);
});
