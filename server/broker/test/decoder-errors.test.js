// The decoder on malformed input and at its limits: errors as early as the bytes allow, limits
// checked before more input is buffered, and nothing decoded after an error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decoder, ParseError } from '../index.js';

function decodeAll(wire, options = {}) {
  const d = new Decoder({ version: '1.2', ...options });
  d.push(wire);
  const out = [];
  for (let item; (item = d.next()) !== null;) out.push(item);
  return out;
}

const limits = (maxFrameSize, maxHeaders, maxHeaderLine) => ({ maxFrameSize, maxHeaders, maxHeaderLine });

test('bad commands', () => {
  for (const wire of [
    'message\n\n\0', 'HTTP/1.1 101 Switching Protocols\r\n', '\0', '\rX', 'SEN D\n\n\0',
    'MESSAGEMESSAGE\n\n\0', 'FOO\n\n\0', ' SEND\n\n\0', 'SEND \n\n\0', 'SEND\rX\n\n\0',
  ]) {
    assert.throws(() => decodeAll(wire), {
      name: 'ParseError', code: 'BadCommand', message: 'bad STOMP frame: the command line is not a STOMP command',
    }, JSON.stringify(wire));
  }
});

test('garbage is rejected before an EOL arrives; a valid command waits for its EOL', () => {
  let d = new Decoder();
  d.push('MESS');
  assert.equal(d.next(), null);
  d.push('age');
  assert.throws(() => d.next(), { code: 'BadCommand' });
  d = new Decoder();
  d.push('UNSUBSCRIBE\r');
  assert.equal(d.next(), null);
  d.push('\nid:1\n\n\0');
  assert.equal(d.next().command, 'UNSUBSCRIBE');
  d = new Decoder();
  d.push('UNSUBSCRIBEX\r');
  assert.throws(() => d.next(), { code: 'BadCommand' });
  d = new Decoder();
  d.push('X'.repeat(10 * 1024 * 1024)); // no EOL ever: still rejected at once
  assert.throws(() => d.next(), { code: 'BadCommand' });
});

test('a lone CR between frames waits, then fails on anything but LF', () => {
  const d = new Decoder();
  d.push('\r');
  assert.equal(d.next(), null);
  d.push('\n');
  assert.equal(d.next().heartbeat, true);
  d.push('\r');
  assert.equal(d.next(), null);
  d.push('M');
  assert.throws(() => d.next(), { code: 'BadCommand' });
});

test('a header line without a colon', () => {
  assert.throws(() => decodeAll('MESSAGE\ndestination\n\n\0'), {
    code: 'HeaderWithoutColon', message: 'bad STOMP header line without a colon: "destination"',
  });
  assert.throws(() => decodeAll(`MESSAGE\n${'x'.repeat(100)}\n\n\0`), {
    message: `bad STOMP header line without a colon: "${'x'.repeat(64)}…"`,
  });
});

test('invalid content-length values', () => {
  for (const value of ['', 'abc', '-1', '+1', ' 5', '5 ', '0x10', '1.0', '99999999999999999999999']) {
    assert.throws(() => decodeAll(`MESSAGE\ncontent-length:${value}\n\n\0`), {
      code: 'InvalidContentLength', message: `bad STOMP content-length ${JSON.stringify(value)}: expected a decimal byte count`,
    }, JSON.stringify(value));
  }
});

test('a missing NUL after a content-length body is detected as soon as the byte arrives', () => {
  assert.throws(() => decodeAll('MESSAGE\ncontent-length:2\n\nabc\0'), {
    code: 'MissingNul', message: 'bad STOMP frame: no NUL byte after its body of content-length 2',
  });
  const d = new Decoder();
  d.push('MESSAGE\ncontent-length:2\n\nab');
  assert.equal(d.next(), null);
  d.push('\n');
  assert.throws(() => d.next(), { code: 'MissingNul' });
});

test('a content-length beyond the frame size limit fails at once', () => {
  let d = new Decoder(limits(100, 10, 100));
  d.push('MESSAGE\ncontent-length:101\n');
  assert.throws(() => d.next(), { code: 'FrameTooLarge', message: 'STOMP frame larger than the limit of 100 bytes' });
  d = new Decoder(limits(100, 10, 100));
  d.push('MESSAGE\ncontent-length:90\n\n');
  assert.throws(() => d.next(), { code: 'FrameTooLarge' });
});

test('the frame size limit is inclusive (bytes before the NUL)', () => {
  // 8 (command) + 18 (header) + 1 (blank line) + 73 (body) = 100 bytes before the NUL.
  const counted = `MESSAGE\ncontent-length:73\n\n${'x'.repeat(73)}\0`;
  assert.equal(decodeAll(counted, limits(100, 10, 100)).length, 1);
  assert.throws(() => decodeAll(counted, limits(99, 10, 100)), { code: 'FrameTooLarge' });
  const terminated = `MESSAGE\n\n${'x'.repeat(91)}\0`;
  assert.equal(decodeAll(terminated, limits(100, 10, 100)).length, 1);
  assert.throws(() => decodeAll(terminated, limits(99, 10, 100)), { code: 'FrameTooLarge' });
});

test('an incomplete frame beyond the limit fails before its end arrives', () => {
  let d = new Decoder(limits(100, 10, 1000));
  d.push('MESSAGE\n\n');
  d.push('x'.repeat(91));
  assert.equal(d.next(), null);
  d.push('x');
  assert.throws(() => d.next(), { code: 'FrameTooLarge' });
  d = new Decoder(limits(100, 1000, 1000));
  d.push('MESSAGE\n');
  for (let i = 0; i < 30; i++) d.push('a:b\n');
  assert.throws(() => d.next(), { code: 'FrameTooLarge' });
});

test('the header count limit', () => {
  const wire = `MESSAGE\n${'a:b\n'.repeat(3)}\n\0`;
  assert.equal(decodeAll(wire, limits(1000, 3, 100)).length, 1);
  assert.throws(() => decodeAll(wire, limits(1000, 2, 100)), { code: 'TooManyHeaders', message: 'STOMP frame with more than 2 headers' });
});

test('the header line limit, also before the line ends', () => {
  const wire = 'MESSAGE\nabc:12345\r\n\n\0';
  assert.equal(decodeAll(wire, limits(1000, 10, 9)).length, 1);
  assert.throws(() => decodeAll(wire, limits(1000, 10, 8)), { code: 'HeaderLineTooLong', message: 'STOMP header line longer than 8 bytes' });
  const d = new Decoder(limits(1000, 10, 9));
  d.push('MESSAGE\nabc:12345\r');
  assert.equal(d.next(), null);
  d.push('6');
  assert.throws(() => d.next(), { code: 'HeaderLineTooLong' });
});

test('after an error the decoder drops its input and repeats the error', () => {
  const d = new Decoder();
  d.push('BOGUS\n\n\0MESSAGE\n\n\0');
  let first;
  assert.throws(() => d.next(), (e) => (first = e) instanceof ParseError);
  assert.equal(d.buffered(), 0);
  d.push('MESSAGE\n\n\0');
  assert.equal(d.buffered(), 0);
  assert.throws(() => d.next(), (e) => e === first);
});

test('a huge chunk is copied only as far as decoding needs', () => {
  const frameText = 'SEND\ndestination:/a\ncontent-length:3\n\nabc\0';
  const chunk = Buffer.from(frameText.repeat(100000)); // 4.2 MB in one push
  const d = new Decoder();
  d.push(chunk);
  let frames = 0;
  let largest = 0;
  for (let item; (item = d.next()) !== null;) {
    frames++;
    largest = Math.max(largest, d.buf.length); // internal: the frame buffer's capacity
  }
  assert.equal(frames, 100000);
  assert.ok(largest <= 128 * 1024, `frame buffer grew to ${largest} bytes`);
  // And an oversized frame is rejected having buffered about the limit, not the whole chunk.
  const e = new Decoder(limits(1000, 10, 100));
  e.push(Buffer.concat([Buffer.from('SEND\n\n'), Buffer.alloc(8 * 1024 * 1024, 0x78)]));
  assert.throws(() => e.next(), { code: 'FrameTooLarge' });
});

test('memory is given back after a large frame', () => {
  const d = new Decoder();
  d.push(`SEND\ndestination:/a\n\n${'x'.repeat(1024 * 1024)}\0`);
  assert.equal(d.next().body.length, 1024 * 1024);
  assert.equal(d.next(), null);
  assert.ok(d.buf.length <= 64 * 1024, `buffer kept ${d.buf.length} bytes`);
  assert.equal(d.buffered(), 0);
});

test('push() refuses values that are not bytes or text', () => {
  const d = new Decoder();
  assert.throws(() => d.push(42), TypeError);
  assert.throws(() => d.push({}), TypeError);
});
