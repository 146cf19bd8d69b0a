// Page-side helpers for the JS-level tests: a scripted WebSocket test double and a STOMP
// frame parser for what the client sent.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate()` is truthy (polling), at most `ms`; returns its value or throws. */
export async function until(predicate, ms = 2000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Settles `promise` within `ms`, else rejects with a clear timeout error. */
export function within(promise, ms = 2000, what = 'promise') {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Whether `promise` is still pending after the current tasks ran. */
export async function isPending(promise, ms = 20) {
  const marker = {};
  const r = await Promise.race([promise.then(() => 'resolved', () => 'rejected'), sleep(ms).then(() => marker)]);
  return r === marker;
}

/** Runs `fn` and returns the thrown error as `{ name, message }` (or null if it did not throw). */
export function thrown(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    return { name: e?.constructor?.name ?? typeof e, message: String(e?.message ?? e) };
  }
}

function toBytes(data) {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error('unexpected data type sent: ' + Object.prototype.toString.call(data));
}

function concat(chunks) {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Parses a STOMP byte stream (as the client wrote it) into frames: `{ command, headerList,
 * headers (first value wins), body, bytes }`. Heart-beat EOLs between frames are counted in
 * `heartbeats`. Header values are returned raw (still escaped).
 */
export function parseStream(bytes) {
  const frames = [];
  let heartbeats = 0;
  let i = 0;
  const lineAt = (start) => {
    let end = bytes.indexOf(10, start);
    if (end < 0) throw new Error('unterminated line at byte ' + start);
    const next = end + 1;
    if (end > start && bytes[end - 1] === 13) end -= 1;
    return [decoder.decode(bytes.subarray(start, end)), next];
  };
  while (i < bytes.length) {
    if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] === 10)) {
      heartbeats += 1;
      i += bytes[i] === 13 ? 2 : 1;
      continue;
    }
    let command;
    [command, i] = lineAt(i);
    const headerList = [];
    for (;;) {
      let line;
      [line, i] = lineAt(i);
      if (line === '') break;
      const colon = line.indexOf(':');
      headerList.push([line.slice(0, colon), line.slice(colon + 1)]);
    }
    const headers = {};
    for (const [k, v] of headerList) if (!Object.hasOwn(headers, k)) headers[k] = v;
    let end;
    if (headers['content-length'] !== undefined) {
      end = i + Number(headers['content-length']);
      if (bytes[end] !== 0) throw new Error(`${command}: no NUL after content-length bytes`);
    } else {
      end = bytes.indexOf(0, i);
      if (end < 0) throw new Error(`${command}: no NUL terminator`);
    }
    const body = bytes.slice(i, end);
    frames.push({ command, headerList, headers, body: decoder.decode(body), bytes: Array.from(body) });
    i = end + 1;
  }
  return { frames, heartbeats };
}

/** Builds the text of a server frame. */
export function frame(command, headers = {}, body = '') {
  let s = command + '\n';
  for (const [k, v] of Object.entries(headers)) s += `${k}:${v}\n`;
  return s + '\n' + body + '\0';
}

/**
 * A scripted WebSocket test double for `over()`. The test plays the server: `open()`,
 * `receive(data)`, `serverClose()`. What the client sent is in `sent` (raw) and `frames()`.
 */
export class FakeSocket {
  constructor({ readyState = 0, protocol = '', onSend = null } = {}) {
    this.readyState = readyState;
    this.protocol = protocol;
    this.binaryType = 'blob';
    this.sent = [];
    this.closeCalls = [];
    this.onSend = onSend;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
  }
  send(data) {
    if (this.readyState !== 1) throw new Error('FakeSocket.send while readyState is ' + this.readyState);
    this.sent.push(typeof data === 'string' ? data : toBytes(data).slice());
    if (this.onSend) this.onSend(data, this);
  }
  close(code, reason) {
    this.closeCalls.push({ code, reason });
    if (this.readyState >= 2) return;
    this.readyState = 2;
    // Like a browser: the close event comes later, clean, with the code the client gave.
    setTimeout(() => this.serverClose(code ?? 1005, reason ?? '', true), 0);
  }
  open(protocol = 'v12.stomp') {
    this.protocol = protocol;
    this.readyState = 1;
    if (this.onopen) this.onopen({ type: 'open' });
  }
  /** Delivers a message (string, ArrayBuffer or Uint8Array) as the server. */
  receive(data) {
    if (data instanceof Uint8Array) data = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    if (this.onmessage) this.onmessage({ type: 'message', data });
  }
  serverClose(code = 1000, reason = '', wasClean = true) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    if (this.onclose) this.onclose({ type: 'close', code, reason, wasClean });
  }
  /** The byte stream the client wrote, all messages joined. */
  bytes() {
    return concat(this.sent.map(toBytes));
  }
  frames() {
    return parseStream(this.bytes()).frames;
  }
  last() {
    const f = this.frames();
    return f[f.length - 1];
  }
  commands() {
    return this.frames().map((f) => f.command);
  }
  clear() {
    this.sent.length = 0;
  }
}

/**
 * A client over a FakeSocket, connected: the socket opens with `protocol`, the server
 * answers CONNECT with `CONNECTED` (`version`, `heart-beat:0,0` unless `connected` says
 * otherwise). Resolves to `{ client, sock, states, connectedFrame }`.
 */
export async function connectOver(webstomp, { options = {}, version = '1.2', protocol, headers, connected = {} } = {}) {
  const sock = new FakeSocket();
  const client = webstomp.over(sock, { heartbeat: false, ...options });
  const states = [];
  client.onstatechange = (s) => states.push(s);
  const p = client.connect(headers);
  sock.open(protocol ?? `v${version.replace('.', '')}.stomp`);
  if (sock.commands()[0] !== 'CONNECT') throw new Error('no CONNECT sent: ' + JSON.stringify(sock.commands()));
  sock.receive(frame('CONNECTED', { version, 'heart-beat': '0,0', ...connected }));
  const connectedFrame = await within(p, 2000, 'CONNECTED');
  sock.clear();
  return { client, sock, states, connectedFrame };
}

/**
 * Disconnects a client connected by `connectOver`, playing a server that answers the
 * DISCONNECT's receipt; resolves when the client is closed.
 */
export async function disconnect(client, sock) {
  const done = client.disconnect();
  const f = sock.last();
  if (f && f.command === 'DISCONNECT') sock.receive(frame('RECEIPT', { 'receipt-id': f.headers.receipt }));
  await within(done, 2000, 'disconnect()');
}

/** The plain data of a frame given to a callback (functions replaced by their type). */
export function plain(f) {
  if (!f || typeof f !== 'object') return f;
  const out = {};
  for (const [k, v] of Object.entries(f)) {
    if (typeof v === 'function') out[k] = 'function';
    else if (v instanceof Uint8Array) out[k] = { Uint8Array: Array.from(v) };
    else out[k] = v;
  }
  return out;
}
