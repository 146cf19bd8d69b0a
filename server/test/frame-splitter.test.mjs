import test from 'node:test';
import assert from 'node:assert/strict';
import { FrameSplitter, FrameSplitError } from '../lib/frame-splitter.mjs';

const split = (chunks, opts) => {
  const s = new FrameSplitter(opts);
  const out = [];
  for (const c of chunks) out.push(...s.push(Buffer.from(c)).map((b) => b.toString('utf8')));
  return { out, idle: s.idle };
};

const MSG = 'MESSAGE\ndestination:/topic/a\nmessage-id:1\n\nhello\0';
const MSG2 = 'MESSAGE\ndestination:/topic/a\nmessage-id:2\n\nworld\0';

test('one frame per message, several frames in one chunk', () => {
  const { out, idle } = split([MSG + MSG2]);
  assert.deepEqual(out, [MSG, MSG2]);
  assert.ok(idle);
});

test('a frame split at every byte comes out whole, once', () => {
  const bytes = Buffer.from(MSG + '\n' + MSG2);
  const s = new FrameSplitter();
  const out = [];
  for (const b of bytes) out.push(...s.push(Buffer.from([b])).map(String));
  // The EOL after the first NUL arrives in a chunk of its own: a heart-beat.
  assert.deepEqual(out, [MSG, '\n', MSG2]);
});

test('EOLs right after the NUL in the same chunk travel with the frame (RabbitMQ "\\0\\n")', () => {
  assert.deepEqual(split([MSG + '\n' + MSG2 + '\r\n']).out, [MSG + '\n', MSG2 + '\r\n']);
});

test('heart-beats between frames are their own messages', () => {
  assert.deepEqual(split(['\n', MSG, '\n\n', '\r\n', MSG2]).out, ['\n', MSG, '\n\n', '\r\n', MSG2]);
});

test('a CR ending a chunk waits for its LF', () => {
  assert.deepEqual(split(['\r', '\n' + MSG]).out, ['\r\n', MSG]);
});

test('content-length bodies may contain NUL and EOLs', () => {
  const body = 'a\0b\n\0\nc';
  const f = `MESSAGE\ncontent-length:${Buffer.byteLength(body)}\ndestination:/q\n\n${body}\0`;
  assert.deepEqual(split([f + MSG]).out, [f, MSG]);
  // split inside the body, right before the NUL, and inside the headers
  const bytes = Buffer.from(f + MSG);
  for (const at of [5, 20, bytes.indexOf(0) + 1, f.length - 1, f.length]) {
    assert.deepEqual(split([bytes.subarray(0, at), bytes.subarray(at)]).out, [f, MSG], `split at ${at}`);
  }
});

test('the first content-length header wins; empty body and CRLF headers work', () => {
  const f = 'MESSAGE\r\ncontent-length:3\r\ncontent-length:1\r\n\r\na\0b\0';
  assert.deepEqual(split([f]).out, [f]);
  const empty = 'RECEIPT\ncontent-length:0\nreceipt-id:7\n\n\0';
  assert.deepEqual(split([empty, empty]).out, [empty, empty]);
});

test('UTF-8 split across chunks is intact in the joined frame', () => {
  const f = 'MESSAGE\ndestination:/q\n\n\u00e9\u20ac\u{1F600}\u2028 done\0';
  const bytes = Buffer.from(f);
  const start = bytes.indexOf(0xc3);
  for (let at = start; at < start + 10; at++) {
    assert.deepEqual(split([bytes.subarray(0, at), bytes.subarray(at)]).out, [f]);
  }
});

test('a large frame in many chunks is one message', () => {
  const body = 'x'.repeat(300 * 1024);
  const f = `MESSAGE\ndestination:/q\n\n${body}\0`;
  const bytes = Buffer.from(f);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
  const { out } = split(chunks);
  assert.equal(out.length, 1);
  assert.equal(out[0], f);
});

test('malformed input throws FrameSplitError, and the splitter stays failed', () => {
  const s = new FrameSplitter();
  assert.throws(() => s.push(Buffer.from('MESSAGE\ncontent-length:2\n\nabc\0')), FrameSplitError);
  assert.throws(() => s.push(Buffer.from(MSG)), FrameSplitError);
  assert.throws(() => new FrameSplitter().push(Buffer.from('MESSAGE\ncontent-length:-1\n\n\0')), FrameSplitError);
  assert.throws(() => new FrameSplitter().push(Buffer.from('\0')), FrameSplitError);
  assert.throws(() => new FrameSplitter({ maxHeaderBytes: 100 }).push(Buffer.from('MESSAGE\nx:' + 'y'.repeat(200))), FrameSplitError);
  assert.throws(() => new FrameSplitter({ maxFrameBytes: 100 }).push(Buffer.from('MESSAGE\n\n' + 'y'.repeat(200))), FrameSplitError);
  assert.throws(() => new FrameSplitter({ maxFrameBytes: 100 }).push(Buffer.from('MESSAGE\ncontent-length:500\n\n')), FrameSplitError);
});
