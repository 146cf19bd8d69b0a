// The streaming STOMP frame decoder.
//
//   const decoder = new Decoder({ maxFrameSize: 1 << 20 });
//   decoder.push(chunk);                 // string, Buffer, Uint8Array or ArrayBuffer, any split
//   for (let item; (item = decoder.next()) !== null; ) {
//     if (item === HEARTBEAT) continue;  // an EOL (LF or CRLF) between frames
//     handle(item);                      // a Frame
//   }
//   decoder.version = '1.2';             // header unescaping from the next frame on
//
// It follows the STOMP 1.2 grammar for every version: LF or CRLF line ends, a `content-length`
// body may hold NUL bytes, a body without it ends at the first NUL, EOLs between frames are
// heart-beats. Repeated headers are all kept; `frame.get()` returns the first. Header text is
// UTF-8 (invalid bytes become U+FFFD) unescaped per `version` (never for CONNECT, STOMP and
// CONNECTED). A CR inside a header value is kept; only the CR of a CRLF is stripped.
//
// `next()` throws a ParseError on malformed input; from then on the decoder drops its input
// and throws the same error again.
//
// Memory: pushed chunks are held by reference and copied into the frame buffer at most
// `REFILL` bytes at a time, only when the decoder needs more bytes, and only after the limits
// were checked against what is already buffered. So the buffer never holds more than one
// frame of at most `maxFrameSize` bytes plus one refill, however large a pushed chunk is.
// Each byte is scanned once however the input is split.

import { ALL_COMMANDS, UNESCAPED_COMMANDS } from './commands.js';
import { ParseError, CLOSE, preview } from './errors.js';
import { Frame, HEARTBEAT } from './frame.js';
import { unescapeHeader } from './escape.js';

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const COLON = 0x3a;

/** The most bytes copied from pending input into the buffer at once. */
const REFILL = 64 * 1024;
/** A buffer larger than this is given back once the frame in it is consumed. */
const RELEASE_ABOVE = 256 * 1024;
const INITIAL_CAPACITY = 4 * 1024;

export const DEFAULT_LIMITS = Object.freeze({
  maxFrameSize: 4 * 1024 * 1024,
  maxHeaders: 1000,
  maxHeaderLine: 64 * 1024,
});

const State = Object.freeze({ BETWEEN: 0, COMMAND: 1, HEADERS: 2, BODY: 3 });
const NEED_MORE = Symbol('need more');

export class Decoder {
  /**
   * @param {object} [options]
   * @param {number} [options.maxFrameSize] bytes of command, headers and body (NUL excluded)
   * @param {number} [options.maxHeaders] header entries in one frame
   * @param {number} [options.maxHeaderLine] bytes in one header line (EOL excluded)
   * @param {string[]} [options.commands] the accepted commands (default: all of STOMP)
   * @param {string} [options.version] '1.0' (default), '1.1' or '1.2'
   */
  constructor({ commands = ALL_COMMANDS, version = '1.0', ...limits } = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.commands = new Set(commands);
    this.longestCommand = Math.max(...commands.map((c) => c.length));
    /** The version whose escaping applies to headers of frames not yet started. */
    this.version = version;
    this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    this.start = 0; // where the frame (or the heart-beat) being decoded starts
    this.end = 0; // end of the buffered bytes
    this.pos = 0; // the next byte to scan
    this.pending = []; // pushed chunks (Buffers) not yet copied into `buf`
    this.pendingOffset = 0; // bytes of pending[0] already copied
    this.pendingBytes = 0;
    this.surrogate = ''; // a high surrogate that ended the last string chunk
    this.failed = null;
    this.resetFrame();
  }

  /** Queues received data. After an error it is ignored. */
  push(chunk) {
    if (this.failed) return;
    let bytes;
    if (typeof chunk === 'string') {
      let text = this.surrogate + chunk;
      this.surrogate = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        // Half of a character split between two string chunks: wait for the other half.
        this.surrogate = text[text.length - 1];
        text = text.slice(0, -1);
      }
      bytes = Buffer.from(text, 'utf8');
    } else if (Buffer.isBuffer(chunk)) {
      bytes = chunk;
    } else if (chunk instanceof ArrayBuffer) {
      bytes = Buffer.from(chunk);
    } else if (ArrayBuffer.isView(chunk)) {
      bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else {
      throw new TypeError('push() takes a string, Buffer, TypedArray or ArrayBuffer');
    }
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /** The next Frame, HEARTBEAT, or null when more input is needed. Throws ParseError. */
  next() {
    if (this.failed) throw this.failed;
    try {
      for (;;) {
        const item = this.step();
        if (item !== NEED_MORE) return item;
        if (!this.refill()) return null;
      }
    } catch (error) {
      if (error instanceof ParseError) this.fail(error);
      throw error;
    }
  }

  /** Bytes received and not yet decoded, buffered or pending. */
  buffered() {
    return this.end - this.start + this.pendingBytes;
  }

  /** Bytes copied into the frame buffer and not yet decoded. */
  bufferedInFrame() {
    return this.end - this.start;
  }

  // ---- internals ----

  resetFrame() {
    this.state = State.BETWEEN;
    this.command = '';
    this.headers = [];
    this.contentLength = -1;
    this.lineStart = 0;
    this.bodyStart = 0;
    this.frameVersion = this.version;
  }

  fail(error) {
    this.failed = error;
    this.buf = Buffer.alloc(0);
    this.start = this.end = this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingOffset = 0;
  }

  /** Copies up to REFILL pending bytes into the buffer; false when nothing is pending. */
  refill() {
    if (this.pendingBytes === 0) return false;
    this.compact();
    let room = REFILL;
    while (room > 0 && this.pending.length > 0) {
      const chunk = this.pending[0];
      const take = Math.min(room, chunk.length - this.pendingOffset);
      this.reserve(take);
      chunk.copy(this.buf, this.end, this.pendingOffset, this.pendingOffset + take);
      this.end += take;
      this.pendingOffset += take;
      this.pendingBytes -= take;
      room -= take;
      if (this.pendingOffset === chunk.length) {
        this.pending.shift();
        this.pendingOffset = 0;
      }
    }
    return true;
  }

  /** Moves the live bytes to the front of the buffer, and gives back an outgrown buffer. */
  compact() {
    if (this.start === 0) return;
    const live = this.end - this.start;
    if (live === 0 && this.buf.length > RELEASE_ABOVE) {
      this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    } else {
      this.buf.copy(this.buf, 0, this.start, this.end);
    }
    const shift = this.start;
    this.start = 0;
    this.end -= shift;
    this.pos -= shift;
    this.lineStart = Math.max(0, this.lineStart - shift);
    this.bodyStart = Math.max(0, this.bodyStart - shift);
  }

  /** Makes room for `more` bytes after `end`. */
  reserve(more) {
    const needed = this.end + more;
    if (needed <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.end);
    this.buf = grown;
  }

  /** Marks everything up to `to` as decoded. */
  consume(to) {
    this.start = this.pos = to;
    if (this.start === this.end) this.start = this.end = this.pos = 0;
  }

  /** Decodes as far as the buffered bytes allow: a Frame, HEARTBEAT or NEED_MORE. */
  step() {
    const data = this.buf.subarray(0, this.end);
    if (this.state === State.BETWEEN) {
      if (this.pos >= this.end) return NEED_MORE;
      const b = data[this.pos];
      if (b === LF || b === CR) {
        if (b === CR) {
          if (this.pos + 1 >= this.end) return NEED_MORE;
          if (data[this.pos + 1] !== LF) throw badCommand();
          this.consume(this.pos + 2);
        } else {
          this.consume(this.pos + 1);
        }
        return HEARTBEAT;
      }
      this.state = State.COMMAND;
      this.frameVersion = this.version;
    }
    if (this.state === State.COMMAND && !this.stepCommand(data)) return NEED_MORE;
    if (this.state === State.HEADERS && !this.stepHeaders(data)) return NEED_MORE;
    return this.stepBody(data);
  }

  /** Reads the command line; false when it has not all arrived. */
  stepCommand(data) {
    const limit = Math.min(this.end, this.start + this.longestCommand + 2);
    const lf = data.subarray(0, limit).indexOf(LF, this.start);
    if (lf === -1) {
      // Reject garbage before an EOL arrives: what we have must start a command.
      const partial = data.toString('latin1', this.start, limit);
      const ok = partial.endsWith('\r')
        ? this.commands.has(partial.slice(0, -1))
        : [...this.commands].some((c) => c.startsWith(partial));
      if (!ok || limit - this.start > this.longestCommand + 1) throw badCommand();
      this.pos = limit;
      return false;
    }
    let lineEnd = lf;
    if (lineEnd > this.start && data[lineEnd - 1] === CR) lineEnd--;
    const command = data.toString('latin1', this.start, lineEnd);
    if (!this.commands.has(command)) throw badCommand();
    this.command = command;
    this.state = State.HEADERS;
    this.lineStart = this.pos = lf + 1;
    return true;
  }

  /** Reads header lines up to the blank line; false when more must arrive. */
  stepHeaders(data) {
    const { maxFrameSize, maxHeaders, maxHeaderLine } = this.limits;
    for (;;) {
      const lf = data.indexOf(LF, this.pos);
      if (lf === -1) {
        let lineLength = this.end - this.lineStart;
        if (lineLength > 0 && data[this.end - 1] === CR) lineLength--; // maybe half a CRLF
        if (lineLength > maxHeaderLine) throw headerLineTooLong(maxHeaderLine);
        if (this.end - this.start > maxFrameSize) throw frameTooLarge(maxFrameSize);
        this.pos = this.end;
        return false;
      }
      let lineEnd = lf;
      if (lineEnd > this.lineStart && data[lineEnd - 1] === CR) lineEnd--;
      const headLength = lf + 1 - this.start;
      if (lineEnd === this.lineStart) {
        // The blank line: the head is complete.
        const total = headLength + Math.max(this.contentLength, 0);
        if (total > maxFrameSize) throw frameTooLarge(maxFrameSize);
        this.state = State.BODY;
        this.bodyStart = this.pos = lf + 1;
        return true;
      }
      if (lineEnd - this.lineStart > maxHeaderLine) throw headerLineTooLong(maxHeaderLine);
      if (this.headers.length >= maxHeaders) {
        throw new ParseError('TooManyHeaders', `STOMP frame with more than ${maxHeaders} headers`, CLOSE.POLICY);
      }
      if (headLength > maxFrameSize) throw frameTooLarge(maxFrameSize);
      this.header(data.subarray(this.lineStart, lineEnd));
      if (this.contentLength >= 0 && headLength + this.contentLength > maxFrameSize) {
        throw frameTooLarge(maxFrameSize);
      }
      this.lineStart = this.pos = lf + 1;
    }
  }

  /** Parses one header line (without its EOL). */
  header(line) {
    const colon = line.indexOf(COLON);
    if (colon === -1) {
      throw new ParseError('HeaderWithoutColon', `bad STOMP header line without a colon: ${JSON.stringify(preview(line))}`);
    }
    let name = line.toString('utf8', 0, colon);
    let value = line.toString('utf8', colon + 1);
    if (!UNESCAPED_COMMANDS.has(this.command)) {
      name = unescapeHeader(name, this.frameVersion);
      value = unescapeHeader(value, this.frameVersion);
    }
    if (name === 'content-length' && this.contentLength < 0) {
      // Only digits, and few enough to be exact; the frame size limit bounds it further.
      if (!/^[0-9]{1,15}$/.test(value)) {
        throw new ParseError('InvalidContentLength', `bad STOMP content-length ${JSON.stringify(value)}: expected a decimal byte count`);
      }
      this.contentLength = Number(value);
    }
    this.headers.push([name, value]);
  }

  /** Reads the body and its NUL: the Frame, or NEED_MORE. */
  stepBody(data) {
    const { maxFrameSize } = this.limits;
    let bodyEnd;
    if (this.contentLength >= 0) {
      bodyEnd = this.bodyStart + this.contentLength;
      if (this.end <= bodyEnd) return NEED_MORE;
      if (data[bodyEnd] !== NUL) {
        throw new ParseError('MissingNul', `bad STOMP frame: no NUL byte after its body of content-length ${this.contentLength}`);
      }
    } else {
      bodyEnd = data.indexOf(NUL, this.pos);
      if (bodyEnd === -1) {
        if (this.end - this.start > maxFrameSize) throw frameTooLarge(maxFrameSize);
        this.pos = this.end;
        return NEED_MORE;
      }
      if (bodyEnd - this.start > maxFrameSize) throw frameTooLarge(maxFrameSize);
    }
    const body = Buffer.from(data.subarray(this.bodyStart, bodyEnd)); // a copy: buf is reused
    const frame = new Frame(this.command, this.headers, body);
    this.consume(bodyEnd + 1);
    if (this.buf.length > RELEASE_ABOVE && this.start === 0 && this.end === 0) {
      this.buf = Buffer.allocUnsafe(INITIAL_CAPACITY);
    }
    this.resetFrame();
    return frame;
  }
}

function badCommand() {
  return new ParseError('BadCommand', 'bad STOMP frame: the command line is not a STOMP command');
}

function frameTooLarge(limit) {
  return new ParseError('FrameTooLarge', `STOMP frame larger than the limit of ${limit} bytes`, CLOSE.POLICY);
}

function headerLineTooLong(limit) {
  return new ParseError('HeaderLineTooLong', `STOMP header line longer than ${limit} bytes`, CLOSE.POLICY);
}
