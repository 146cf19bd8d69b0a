// Streaming splitter for the byte stream a STOMP broker sends over TCP.
//
// push(chunk) returns the messages that became complete, as Buffers:
//   - one whole frame (command through its NUL), plus any EOLs that already
//     follow that NUL in the same chunk (RabbitMQ ends frames with "\0\n");
//   - or a heart-beat: a run of EOLs seen between frames.
// It never returns part of a frame, whatever the chunking: frames split across
// chunks are re-joined, several frames in one chunk come out one by one, and
// since whole frames are joined before anyone decodes them, UTF-8 split
// across chunks is intact.
//
// Bodies are read by `content-length` when the header is present (so they
// may contain NUL), else up to the first NUL. Malformed input throws a
// FrameSplitError; the splitter is unusable afterwards.

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export class FrameSplitError extends Error {
  constructor(message) {
    super(message);
    this.name = 'FrameSplitError';
  }
}

export class FrameSplitter {
  /**
   * @param {object} [limits]
   * @param {number} [limits.maxHeaderBytes] command line plus headers
   * @param {number} [limits.maxFrameBytes] whole frame
   */
  constructor({ maxHeaderBytes = 64 * 1024, maxFrameBytes = 64 * 1024 * 1024 } = {}) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxFrameBytes = maxFrameBytes;
    this.state = 'idle'; // idle | head | body | nul | trailer | failed
    this.parts = []; // Buffers of the frame (or heart-beat run) so far
    this.size = 0; // bytes in parts
    this.lineLen = 0; // head: non-CR bytes since the last LF
    this.contentLength = null; // body: bytes announced, or null (read to NUL)
    this.bodyRead = 0;
    this.pendingCR = false; // idle: a CR ended the previous chunk
  }

  /** @param {Buffer|Uint8Array|string} chunk */
  push(chunk) {
    if (this.state === 'failed') throw new FrameSplitError('splitter already failed');
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out = [];
    try {
      this.#scan(buf, out);
    } catch (err) {
      this.state = 'failed';
      this.parts = [];
      throw err;
    }
    return out;
  }

  /** True when no partial frame is buffered. */
  get idle() {
    return this.state === 'idle' && this.parts.length === 0 && !this.pendingCR;
  }

  #take(buf, from, to) {
    if (to > from) {
      this.parts.push(buf.subarray(from, to));
      this.size += to - from;
    }
  }

  #emit(out) {
    out.push(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }

  #scan(buf, out) {
    let i = 0;
    const n = buf.length;
    let runStart = 0; // idle: where the current EOL run began in buf
    while (i < n) {
      switch (this.state) {
        case 'idle': {
          if (this.pendingCR) {
            // A CR closed the previous chunk; it is part of the EOL run only with its LF.
            this.pendingCR = false;
            if (buf[i] !== LF) throw new FrameSplitError('CR without LF between frames');
            this.parts.push(Buffer.from([CR]));
            this.size += 1;
          }
          runStart = i;
          while (i < n && (buf[i] === LF || (buf[i] === CR && i + 1 < n && buf[i + 1] === LF))) {
            i += buf[i] === CR ? 2 : 1;
          }
          this.#take(buf, runStart, i);
          if (i === n - 1 && buf[i] === CR) {
            // CR as the chunk's last byte: wait for its LF.
            if (this.size > 0) this.#emit(out);
            this.pendingCR = true;
            i += 1;
            break;
          }
          if (this.size > 0) this.#emit(out); // the heart-beat run
          if (i < n) {
            if (buf[i] === NUL) throw new FrameSplitError('NUL where a command was expected');
            this.state = 'head';
            this.lineLen = 0;
          }
          break;
        }
        case 'head': {
          const start = i;
          let done = false;
          while (i < n) {
            const b = buf[i++];
            if (b === LF) {
              if (this.lineLen === 0) {
                done = true;
                break;
              }
              this.lineLen = 0;
            } else if (b !== CR) {
              this.lineLen += 1;
            }
          }
          this.#take(buf, start, i);
          if (this.size > this.maxHeaderBytes) throw new FrameSplitError(`frame headers exceed ${this.maxHeaderBytes} bytes`);
          if (done) this.#startBody();
          break;
        }
        case 'body': {
          if (this.contentLength !== null) {
            const want = Math.min(this.contentLength - this.bodyRead, n - i);
            this.#take(buf, i, i + want);
            this.bodyRead += want;
            i += want;
            if (this.bodyRead === this.contentLength) this.state = 'nul';
          } else {
            const at = buf.indexOf(NUL, i);
            const end = at === -1 ? n : at + 1;
            this.#take(buf, i, end);
            i = end;
            if (this.size > this.maxFrameBytes) throw new FrameSplitError(`frame exceeds ${this.maxFrameBytes} bytes`);
            if (at !== -1) this.state = 'trailer';
          }
          break;
        }
        case 'nul': {
          if (buf[i] !== NUL) throw new FrameSplitError('frame body longer than its content-length');
          this.#take(buf, i, i + 1);
          i += 1;
          this.state = 'trailer';
          break;
        }
        case 'trailer': {
          // EOLs right after the NUL, in this chunk, travel with the frame.
          const start = i;
          while (i < n && (buf[i] === LF || (buf[i] === CR && i + 1 < n && buf[i + 1] === LF))) {
            i += buf[i] === CR ? 2 : 1;
          }
          this.#take(buf, start, i);
          this.#emit(out);
          this.state = 'idle';
          break;
        }
        default:
          throw new FrameSplitError(`bad state ${this.state}`);
      }
    }
    if (this.state === 'trailer') {
      this.#emit(out);
      this.state = 'idle';
    }
  }

  #startBody() {
    const head = Buffer.concat(this.parts, this.size).toString('latin1');
    this.contentLength = null;
    this.bodyRead = 0;
    const lines = head.split('\n');
    // lines[0] is the command; headers follow; the first content-length wins (STOMP 1.2).
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
      if (line.toLowerCase().startsWith('content-length:')) {
        const value = line.slice('content-length:'.length).trim();
        if (!/^\d{1,15}$/.test(value)) throw new FrameSplitError(`bad content-length ${JSON.stringify(value)}`);
        const length = Number(value);
        if (length + this.size + 1 > this.maxFrameBytes) throw new FrameSplitError(`frame exceeds ${this.maxFrameBytes} bytes`);
        this.contentLength = length;
        break;
      }
    }
    this.state = this.contentLength === 0 ? 'nul' : 'body';
  }
}
