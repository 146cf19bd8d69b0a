// A scripted fake STOMP broker on a TCP port, for relay tests: no RabbitMQ
// needed. Each accepted connection is handed to the test, which reads the
// client's frames and writes exactly the bytes (and chunking) it wants.

import net from 'node:net';

export class FakeBrokerConnection {
  constructor(socket) {
    this.socket = socket;
    this.buffer = '';
    this.frames = []; // client frames not yet taken by nextFrame()
    this.waiters = [];
    this.ended = new Promise((resolve) => socket.once('close', resolve));
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      this.buffer += chunk.toString('utf8');
      let at;
      while ((at = this.buffer.indexOf('\0')) !== -1) {
        const frame = this.buffer.slice(0, at + 1).replace(/^[\r\n]+/, '');
        this.buffer = this.buffer.slice(at + 1);
        this.frames.push(frame);
      }
      this.#wake();
    });
  }

  #wake() {
    while (this.frames.length && this.waiters.length) this.waiters.shift()(this.frames.shift());
  }

  /** The next whole frame the client sent (command through NUL). */
  nextFrame(timeoutMs = 3000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake broker: no frame from the client')), timeoutMs);
      this.waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
      this.#wake();
    });
  }

  write(bytes) {
    this.socket.write(bytes);
  }

  /** Writes each chunk as its own TCP segment (a pause between, Nagle off). */
  async writeChunks(chunks, pauseMs = 15) {
    for (const c of chunks) {
      this.socket.write(c);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  end() {
    this.socket.end();
  }
}

export async function startFakeBroker() {
  const pending = [];
  const waiting = [];
  const all = [];
  const server = net.createServer((socket) => {
    const conn = new FakeBrokerConnection(socket);
    all.push(conn);
    if (waiting.length) waiting.shift()(conn);
    else pending.push(conn);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `tcp://127.0.0.1:${server.address().port}`,
    connections: all,
    /** Resolves with the next TCP connection the relay opens. */
    nextConnection(timeoutMs = 3000) {
      if (pending.length) return Promise.resolve(pending.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('fake broker: no connection')), timeoutMs);
        waiting.push((c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
    },
    close() {
      for (const c of all) c.socket.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

/** A STOMP frame as text: command, headers object, body (content-length added when asked). */
export function frame(command, headers = {}, body = '', { contentLength = false } = {}) {
  const h = { ...headers };
  if (contentLength) h['content-length'] = Buffer.byteLength(body);
  const lines = Object.entries(h).map(([k, v]) => `${k}:${v}`);
  return `${command}\n${lines.map((l) => l + '\n').join('')}\n${body}\0`;
}
