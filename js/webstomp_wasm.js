// webstomp-wasm: the JavaScript API (see API.md). Arguments are checked and shaped here; the
// protocol, the transports and the timers live in the WebAssembly engine.
import init, { Engine, setTextHelper } from './webstomp_wasm_core.js';

const wasmExports = await init({ module_or_path: new URL('./webstomp_wasm_core_bg.wasm', import.meta.url) });
const wasmMemory = Object.values(wasmExports).find((v) => v instanceof WebAssembly.Memory);

/** The size in bytes of the package's WebAssembly memory (it grows, never shrinks): for monitoring. */
export const wasmMemoryBytes = () => wasmMemory?.buffer.byteLength ?? 0;

const PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];
const STATES = ['idle', 'connecting', 'connected', 'reconnecting', 'disconnecting', 'closed'];
const RECONNECT = { delay: 1000, maxDelay: 30000, multiplier: 2, jitter: 0.5, maxAttempts: Infinity };
// The BOM is kept: `body` is the exact text of the bytes, and re-encodes to them.
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const textEncoder = new TextEncoder();

// Header names a MESSAGE from an ASCII text message names by number (see messagesAt): the
// same key strings every time, not new ones per message.
const KNOWN = 0x80000000;
const HEADER_NAMES = [
  'subscription', 'destination', 'message-id', 'ack', 'content-type', 'content-length',
  'redelivered', 'persistent', 'priority', 'expires', 'timestamp', 'correlation-id',
  'reply-to', 'content-encoding', 'type', 'app-id', 'user-id', 'transaction', 'receipt',
];

// WebAssembly memory as 32-bit words (messagesAt's offsets), made again when memory grows.
let words = new Uint32Array(0);

// Text socket messages go into WebAssembly memory with one encodeInto (see src/io/text.rs).
// The engine offers the same buffer message after message: its view is made once.
let view = null;
setTextHelper({
  encode(text, ptr, room) {
    if (typeof text !== 'string') return -2;
    if (view === null || view.byteOffset !== ptr || view.length !== room || view.buffer !== wasmMemory.buffer) {
      view = new Uint8Array(wasmMemory.buffer, ptr, room);
    }
    const r = textEncoder.encodeInto(text, view);
    if (r.read !== text.length) return -1;
    return r.written * 2 + (r.written === r.read ? 1 : 0);
  },
}, HEADER_NAMES);

/** The STOMP versions and subprotocols this client speaks. */
export const VERSIONS = Object.freeze({
  V1_0: '1.0',
  V1_1: '1.1',
  V1_2: '1.2',
  supportedVersions: () => '1.2,1.1,1.0',
  supportedProtocols: () => PROTOCOLS.slice(),
});

const fail = (message) => {
  throw new TypeError('webstomp: ' + message);
};
const isObject = (v) => v !== null && typeof v === 'object';
const isFunction = (v) => typeof v === 'function';
const isCount = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

// A user callback must never throw into the engine: report the error and go on.
function callUser(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    if (typeof reportError === 'function') reportError(e);
    else setTimeout(() => { throw e; });
  }
}

function stringList(value, name, allowed) {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    fail(`options.${name} must be an array of strings`);
  }
  if (allowed) {
    const unknown = value.find((v) => !allowed.includes(v));
    if (unknown !== undefined) fail(`options.${name}: unknown transport ${JSON.stringify(unknown)}`);
  }
  return value.slice();
}

function readOptions(options) {
  if (options === undefined || options === null) options = {};
  if (!isObject(options)) fail('options must be an object');
  const o = {
    protocols: PROTOCOLS,
    heartbeatOut: 10000,
    heartbeatIn: 10000,
    debug: false,
    binary: false,
    maxWebSocketFrameSize: 0,
    maxFrameSize: 16777216,
    transports: TRANSPORTS,
    timeout: 5000,
    reconnect: false,
    maxQueued: 10000,
  };
  if (options.protocols !== undefined) o.protocols = stringList(options.protocols, 'protocols');
  const hb = options.heartbeat;
  if (hb === false) {
    o.heartbeatOut = o.heartbeatIn = 0;
  } else if (hb !== undefined) {
    if (!isObject(hb)) fail('options.heartbeat must be {outgoing, incoming} or false');
    for (const key of ['outgoing', 'incoming']) {
      if (hb[key] !== undefined && !isCount(hb[key])) {
        fail(`options.heartbeat.${key} must be a whole number of milliseconds >= 0`);
      }
    }
    if (hb.outgoing !== undefined) o.heartbeatOut = hb.outgoing;
    if (hb.incoming !== undefined) o.heartbeatIn = hb.incoming;
  }
  if (options.debug !== undefined) {
    if (typeof options.debug !== 'boolean' && !isFunction(options.debug)) {
      fail('options.debug must be a boolean or a function');
    }
    o.debug = options.debug;
  }
  if (options.binary !== undefined) {
    if (typeof options.binary !== 'boolean') fail('options.binary must be a boolean');
    o.binary = options.binary;
  }
  for (const key of ['maxWebSocketFrameSize', 'maxFrameSize', 'timeout']) {
    if (options[key] !== undefined) {
      if (!isCount(options[key])) fail(`options.${key} must be a whole number >= 0`);
      o[key] = options[key];
    }
  }
  if (o.maxFrameSize === 0) fail('options.maxFrameSize must be at least 1');
  if (options.maxQueued !== undefined) {
    if (!isCount(options.maxQueued)) fail('options.maxQueued must be a whole number >= 0');
    o.maxQueued = options.maxQueued;
  }
  if (options.transports !== undefined) {
    o.transports = stringList(options.transports, 'transports', TRANSPORTS);
  }
  if (options.reconnect !== undefined && options.reconnect !== false) {
    const r = options.reconnect;
    if (!isObject(r)) fail('options.reconnect must be an object or false');
    o.reconnect = { ...RECONNECT };
    for (const key of Object.keys(RECONNECT)) {
      if (r[key] === undefined) continue;
      if (typeof r[key] !== 'number' || !(r[key] >= 0)) {
        fail(`options.reconnect.${key} must be a number >= 0`);
      }
      o.reconnect[key] = r[key];
    }
    if (o.reconnect.jitter > 1) fail('options.reconnect.jitter must be between 0 and 1');
  }
  return o;
}

// Caller headers to the engine's packed form: "name\0value\0name\0value". Values that are
// null or undefined are left out; numbers and booleans are written as text. Never mutates.
function packHeaders(headers, what, skip) {
  if (headers === undefined || headers === null) return '';
  if (!isObject(headers) || Array.isArray(headers)) fail(`${what} headers must be an object`);
  let packed = '';
  for (const name of Object.keys(headers)) {
    if (skip && skip.includes(name)) continue;
    let value = headers[name];
    if (value === undefined || value === null) continue;
    const type = typeof value;
    if (type === 'number' || type === 'boolean') value = String(value);
    else if (type !== 'string') fail(`${what} header ${JSON.stringify(name)} must be a string`);
    if (name === '' || name.includes('\0') || value.includes('\0')) {
      fail(`${what} header ${JSON.stringify(name)}: names must be non-empty and nothing may contain NUL`);
    }
    packed += (packed ? '\0' : '') + name + '\0' + value;
  }
  return packed;
}

// Names such as `toString` or `__proto__` are own properties like any other (never looked up
// on, or written to, the prototype).
function setHeader(headers, name, value) {
  if (name === '__proto__') {
    Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    headers[name] = value;
  }
}

// A repeated header keeps its first value.
function unpackHeaders(packed) {
  const headers = {};
  if (!packed) return headers;
  const parts = packed.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (!Object.hasOwn(headers, parts[i])) setHeader(headers, parts[i], parts[i + 1]);
  }
  return headers;
}

function requireString(value, what) {
  if (typeof value !== 'string' || value === '') fail(`${what} must be a non-empty string`);
  return value;
}

function optionalFunction(value, what) {
  if (value !== undefined && value !== null && !isFunction(value)) fail(`${what} must be a function`);
  return value || undefined;
}

function closeEvent(code, reason, wasClean) {
  return { code, reason, wasClean };
}

/**
 * A MESSAGE frame: `{command, headers, body, binaryBody, ack(headers?), nack(headers?)}`, all own
 * enumerable properties. `binaryBody` is made on first use when the body is UTF-8 text (most
 * are): its bytes are then the text's encoding, and most callbacks read only `body`.
 */
class Message {
  #bytes;
  // One shared accessor pair: no closures made per message.
  static #binaryBody = {
    get() {
      return (this.#bytes ??= textEncoder.encode(this.body));
    },
    set(value) {
      this.#bytes = value;
    },
    enumerable: true,
    configurable: true,
  };
  constructor(headers, body, bytes, ack, nack) {
    this.command = 'MESSAGE';
    this.headers = headers;
    this.body = body;
    this.#bytes = bytes;
    Object.defineProperty(this, 'binaryBody', Message.#binaryBody);
    this.ack = ack;
    this.nack = nack;
  }
}

// Only over() and client() make clients.
const INTERNAL = Symbol('webstomp-wasm internal');

// Clients with a connection under way (connecting, connected, disconnecting, reconnecting)
// are held here, so a client the app no longer references keeps working until it closes.
// The engine holds its client only weakly: an idle or closed client that the app drops is
// garbage-collected, and with it its engine, its WebAssembly memory and its socket handlers.
const live = new Set();

/** A STOMP client. Get one from `over(socket)` or `client(url)`. */
export class Client {
  #engine;
  #options;
  #debug;
  #subs = new Map();
  #receipts = new Map();
  #connect = null;
  #disconnect = [];
  #isSocket;
  #socketClosed = false;
  // Counts lost connections: tells a message's connection from a later one.
  #connection = 0;
  // RECEIPT frames that came while send() was still in the engine (a synchronous socket).
  #early = null;

  // When the page becomes visible again, every active client checks its heart-beats at once
  // (after a background tab's throttled timers, or a frozen page).
  static {
    if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState !== 'visible') return;
        for (const c of live) c.#engine.checkNow();
      });
    }
  }

  /** @internal Use `over()` or `client()`. */
  constructor(token, target, options, isSocket) {
    if (token !== INTERNAL) fail('make a Client with webstomp.over(socket, options) or webstomp.client(url, options)');
    const o = readOptions(options);
    this.#isSocket = isSocket && !isFunction(target);
    this.#options = o;
    this.#debug = o.debug;
    /** Gets MESSAGE frames that match no subscription. */
    this.onreceive = undefined;
    /** Gets every RECEIPT frame. */
    this.onreceipt = undefined;
    /** Called with the new state on every change. */
    this.onstatechange = undefined;
    // A socket given as such cannot be opened again: no reconnect over it.
    const canReconnect = !isSocket || isFunction(target);
    this.#engine = new Engine(Client.#sink(new WeakRef(this)), {
      ...o,
      debugOn: o.debug !== false,
      reconnect: canReconnect ? o.reconnect : false,
      seed: Math.floor(Math.random() * 2 ** 52),
    });
    if (!isSocket) this.#engine.setUrls(target);
    else if (isFunction(target)) this.#engine.setFactory(target);
    else this.#engine.attach(target);
  }

  /** `true` (log to console.debug), `false`, or a function that receives each log line. */
  get debug() {
    return this.#debug;
  }
  set debug(value) {
    if (typeof value !== 'boolean' && !isFunction(value)) fail('debug must be a boolean or a function');
    this.#debug = value;
    this.#engine.setDebug(value !== false);
  }

  /** Whether the STOMP session is open (CONNECTED received). */
  get connected() {
    return this.#engine.state === 2;
  }
  /** The negotiated STOMP version, once connected. */
  get version() {
    return this.#engine.version;
  }
  /** The transport in use. */
  get transport() {
    return this.#engine.transport;
  }
  /** The connection state. */
  get state() {
    return STATES[this.#engine.state];
  }
  /** The number of the current reconnect attempt (0 when not reconnecting). */
  get reconnectAttempt() {
    return this.#engine.reconnectAttempt;
  }

  // The object the engine reports to. It holds its client weakly (see `live`). Every entry
  // catches user errors (callUser).
  static #sink(ref) {
    return {
      state: (n) => {
        const c = ref.deref();
        if (!c) return;
        if (STATES[n] === 'idle' || STATES[n] === 'closed') live.delete(c);
        else live.add(c);
        if (c.onstatechange) callUser(c.onstatechange, STATES[n]);
      },
      log: (line) => ref.deref()?.#log(line),
      connected: (headers) => {
        const c = ref.deref();
        const pending = c?.#connect;
        if (!pending) return;
        const frame = c.#frame('CONNECTED', headers);
        if (pending.resolve) {
          c.#connect = null;
          pending.resolve(frame);
        } else if (pending.onConnect) {
          callUser(pending.onConnect, frame);
        }
      },
      // One MESSAGE as one UTF-8 view: `sub\0name\0value\0...` (`count` headers, repeats
      // already left out), then the body from byte `headLen`. One decode for all of it.
      message: (view, headLen, count, utf8) => {
        const c = ref.deref();
        if (!c) return;
        const text = textDecoder.decode(view);
        // A UTF-8 body's bytes are its text's encoding: made only if asked for.
        c.#deliver(text, count, null, utf8 ? null : view.slice(headLen));
      },
      // A MESSAGE from an ASCII text message: the view holds only the subscription and the
      // headers, and the body is a slice of the message (nothing decoded).
      messageText: (view, count, data, from, to) => {
        const c = ref.deref();
        if (c) c.#deliver(textDecoder.decode(view), count, data.slice(from, to), null);
      },
      // MESSAGE frames all of whose text is in the ASCII message `data`. Per frame, the words
      // at `ptr` in wasm memory hold its header count, body start and end, subscription start
      // and end, then each header's start (KNOWN + i for HEADER_NAMES[i]), colon and end.
      messagesAt: (ptr, frames, data) => {
        const c = ref.deref();
        if (!c) return;
        let k = ptr / 4;
        for (let f = 0; f < frames; f++) {
          // A callback may have grown the memory (its old buffer is then detached).
          if (words.buffer !== wasmMemory.buffer) words = new Uint32Array(wasmMemory.buffer);
          const o = words;
          const count = o[k];
          const body = data.slice(o[k + 1], o[k + 2]);
          const sub = data.slice(o[k + 3], o[k + 4]);
          const headers = {};
          k += 5;
          for (let i = 0; i < count; i++, k += 3) {
            const start = o[k];
            const name = start >= KNOWN ? HEADER_NAMES[start - KNOWN] : data.slice(start, o[k + 1]);
            setHeader(headers, name, data.slice(o[k + 1] + 1, o[k + 2]));
          }
          c.#route(sub, headers, body, null);
        }
      },
      receipt: (headers) => {
        const c = ref.deref();
        if (!c) return;
        const frame = c.#frame('RECEIPT', headers);
        const id = frame.headers['receipt-id'];
        const waiting = c.#receipts.get(id);
        if (waiting) {
          c.#receipts.delete(id);
          waiting.resolve(frame);
        } else if (c.#early && id !== undefined) {
          c.#early.set(id, frame);
        }
        if (c.onreceipt) callUser(c.onreceipt, frame);
      },
      error: (headers, body) => {
        const c = ref.deref();
        if (c) c.#failConnect(c.#frame('ERROR', headers, body), false);
      },
      lost: (code, reason, wasClean, attempt, delay) => {
        // A reconnect follows: the callback form hears of every loss, the Promise waits.
        const c = ref.deref();
        c?.#log(`connection lost (${code}${reason ? ' ' + reason : ''}); reconnect attempt ${attempt} in ${delay} ms`);
        if (c) c.#connection += 1;
        if (c) c.#failConnect(closeEvent(code, reason, wasClean), false);
        if (c?.#connect) c.#connect.lastError = undefined;
      },
      dropReceipt: (id, reason) => {
        const c = ref.deref();
        const waiting = c?.#receipts.get(id);
        if (!waiting) return;
        c.#receipts.delete(id);
        waiting.reject(new Error('webstomp: ' + reason));
      },
      closed: (code, reason, wasClean, expected) => {
        const c = ref.deref();
        if (!c) return;
        c.#log(`connection closed (${code}${reason ? ' ' + reason : ''})`);
        c.#connection += 1;
        if (c.#isSocket) c.#socketClosed = true;
        const event = closeEvent(code, reason, wasClean);
        if (expected) {
          // disconnect() ended the session: its subscriptions are gone.
          c.#connect = null;
          c.#subs.clear();
        } else {
          c.#failConnect(event, true);
        }
        c.#settleDisconnect();
      },
      dropReceipts: (reason) => {
        const c = ref.deref();
        if (!c) return;
        for (const waiting of c.#receipts.values()) waiting.reject(new Error('webstomp: ' + reason));
        c.#receipts.clear();
      },
    };
  }

  // `final`: the session has ended. With reconnect on, a Promise from connect() waits
  // across failed attempts and rejects only when the client gives up (with the last attempt's
  // ERROR frame if it had one, else the close event); callbacks hear of every failure.
  #log(line) {
    const d = this.#debug;
    if (isFunction(d)) callUser(d, line);
    else if (d) console.debug(line);
  }

  #failConnect(error, final) {
    const c = this.#connect;
    if (!c) return;
    if (c.reject) {
      if (!final && this.#options.reconnect && !this.#isSocket) {
        if (error.command === 'ERROR') c.lastError = error;
        return;
      }
      this.#connect = null;
      c.reject(c.lastError ?? error);
    } else if (c.onError) {
      callUser(c.onError, error);
    }
  }

  #settleDisconnect() {
    const waiting = this.#disconnect;
    this.#disconnect = [];
    for (const done of waiting) callUser(done);
  }

  // CONNECTED, RECEIPT and ERROR frames.
  #frame(command, packed, body) {
    const binaryBody = body ? body.slice() : new Uint8Array(0);
    return { command, headers: unpackHeaders(packed), body: textDecoder.decode(binaryBody), binaryBody };
  }

  // Hands a MESSAGE to its subscription's callback (or onreceive). `head` is the packed
  // subscription and `count` headers, followed by the body unless `body` is given.
  #deliver(head, count, body, bytes) {
    let at = head.indexOf('\0');
    const sub = head.slice(0, at);
    const headers = {};
    for (let i = 0; i < count; i++) {
      const n = head.indexOf('\0', at + 1);
      const v = head.indexOf('\0', n + 1);
      setHeader(headers, head.slice(at + 1, n), head.slice(n + 1, v));
      at = v;
    }
    this.#route(sub, headers, body ?? head.slice(at + 1), bytes);
  }

  // Hands a MESSAGE to the callback of subscription `sub` (or onreceive).
  #route(sub, headers, body, bytes) {
    const frame = this.#message(headers, body, bytes);
    const cb = this.#subs.get(sub);
    if (cb) callUser(cb, frame);
    else if (this.onreceive) callUser(this.onreceive, frame);
  }

  // A MESSAGE frame; `bytes` null when they are the UTF-8 encoding of `body`.
  #message(headers, body, bytes) {
    const connection = this.#connection;
    return new Message(
      headers,
      body,
      bytes,
      (h) => this.#ackMessage(true, headers, connection, h),
      (h) => this.#ackMessage(false, headers, connection, h),
    );
  }

  // message.ack() / message.nack().
  #ackMessage(ack, headers, connection, h) {
    const what = ack ? 'message.ack()' : 'message.nack()';
    // A message from a connection since lost: the broker redelivers it, and its id means
    // nothing on the new connection (RabbitMQ ends a session that acks an unknown tag).
    if (connection !== this.#connection) {
      this.#log(`${what}: dropped, the message came on a connection since lost (the broker redelivers it)`);
      return;
    }
    const v12 = this.version === '1.2';
    const id = v12 ? headers.ack : headers['message-id'];
    if (typeof id !== 'string' || id === '') {
      fail(`${what}: this MESSAGE has no ${v12 ? '"ack"' : '"message-id"'} header` +
        (v12 ? ' (its subscription is in auto ack mode)' : ''));
    }
    // A STOMP 1.0 MESSAGE may lack `subscription`: then ACK goes without it.
    this.#ackOrNack(ack, id, headers.subscription ?? '', h);
  }

  /**
   * `connect(headers?, connectCallback?, errorCallback?)` or
   * `connect(login, passcode, connectCallback?, errorCallback?, host?)`.
   * Without callbacks it returns a Promise of the CONNECTED frame.
   */
  connect(...args) {
    let headers;
    let onConnect;
    let onError;
    if (typeof args[0] === 'string') {
      const [login, passcode, cb, eb, host] = args;
      if (typeof passcode !== 'string') fail('connect(login, passcode, ...): passcode must be a string');
      headers = { login, passcode };
      if (host !== undefined && host !== null) {
        if (typeof host !== 'string') fail('connect(): host must be a string');
        headers.host = host;
      }
      onConnect = optionalFunction(cb, 'connectCallback');
      onError = optionalFunction(eb, 'errorCallback');
    } else {
      const [h, cb, eb] = args;
      if (isFunction(h)) {
        headers = {};
        onConnect = h;
        onError = optionalFunction(cb, 'errorCallback');
      } else {
        headers = h;
        onConnect = optionalFunction(cb, 'connectCallback');
        onError = optionalFunction(eb, 'errorCallback');
      }
    }
    const packed = packHeaders(headers, 'connect');
    if (onConnect || onError) {
      this.#startConnect({ onConnect, onError }, packed);
      return undefined;
    }
    // Bad arguments throw a TypeError at once, as in the callback form; a connect at the
    // wrong time (already connecting) rejects.
    let pending;
    const promise = new Promise((resolve, reject) => {
      pending = { resolve, reject };
    });
    try {
      this.#startConnect(pending, packed);
    } catch (e) {
      if (e instanceof TypeError) throw e;
      return Promise.reject(e);
    }
    return promise;
  }

  // The engine may answer at once (a socket that is already open and answers synchronously),
  // so the callbacks are in place first; a refused connect leaves the pending one alone.
  #startConnect(pending, packed) {
    if (this.#socketClosed) {
      throw new Error('webstomp: the socket given to over() has closed; make a new client over a new socket');
    }
    const previous = this.#connect;
    this.#connect = pending;
    try {
      this.#engine.connect(packed);
    } catch (e) {
      this.#connect = previous;
      throw e;
    }
  }

  /** Sends DISCONNECT and closes; `callback` (or the returned Promise) follows the close. */
  disconnect(callback, headers) {
    if (isObject(callback) && headers === undefined) {
      headers = callback;
      callback = undefined;
    }
    optionalFunction(callback, 'disconnect callback');
    const packed = packHeaders(headers, 'disconnect');
    const promise = callback
      ? undefined
      : new Promise((resolve) => this.#disconnect.push(resolve));
    if (callback) this.#disconnect.push(callback);
    if (this.#engine.disconnect(packed)) this.#settleDisconnect();
    return promise;
  }

  /**
   * Sends `body` (a string, Uint8Array or ArrayBuffer) to `destination`. With
   * `headers.receipt` (`true` or an id) it returns a Promise of the RECEIPT frame.
   */
  send(destination, body = '', headers = {}) {
    requireString(destination, 'send(): destination');
    if (headers === null) headers = {};
    if (!isObject(headers) || Array.isArray(headers)) fail('send(): headers must be an object');
    let receipt = headers.receipt;
    if (receipt === null) receipt = undefined; // like any header: null leaves it out
    if (receipt !== undefined && receipt !== true && (typeof receipt !== 'string' || receipt === '')) {
      fail('send(): headers.receipt must be true or a non-empty string');
    }
    const omitLength = headers['content-length'] === false;
    const packed = packHeaders(headers, 'send()', ['content-length', 'receipt']);
    const isText = typeof body === 'string';
    if (!isText && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) {
      fail('send(): body must be a string, Uint8Array or ArrayBuffer');
    }
    const receiptId = receipt === undefined ? undefined : String(receipt);
    let id;
    this.#early = new Map();
    let early;
    try {
      id = isText
        ? this.#engine.sendText(destination, body, packed, !omitLength, receiptId)
        : this.#engine.sendBytes(destination, body instanceof ArrayBuffer ? new Uint8Array(body) : body, packed, !omitLength, receiptId);
    } finally {
      early = this.#early;
      this.#early = null;
    }
    if (receipt === undefined) return undefined;
    if (early.has(id)) return Promise.resolve(early.get(id));
    return new Promise((resolve, reject) => this.#receipts.set(id, { resolve, reject }));
  }

  /** Subscribes `callback` to `destination`; returns `{ id, unsubscribe(headers?) }`. */
  subscribe(destination, callback, headers = {}) {
    requireString(destination, 'subscribe(): destination');
    if (!isFunction(callback)) fail('subscribe(): callback must be a function');
    const packed = packHeaders(headers, 'subscribe()');
    const id = this.#engine.subscribe(destination, packed);
    this.#subs.set(id, callback);
    return { id, unsubscribe: (h) => this.unsubscribe(id, h) };
  }

  /** Ends the subscription `id`. */
  unsubscribe(id, headers) {
    requireString(id, 'unsubscribe(): id');
    const packed = packHeaders(headers, 'unsubscribe()');
    // A refused unsubscribe (unknown id, not connected) leaves the callback in place.
    this.#engine.unsubscribe(id, packed);
    this.#subs.delete(id);
  }

  /** Begins a transaction; returns `{ id, commit(), abort() }`. */
  begin(transaction) {
    if (transaction !== undefined && transaction !== null) requireString(transaction, 'begin(): transaction');
    const id = this.#engine.begin(transaction || undefined);
    return { id, commit: () => this.commit(id), abort: () => this.abort(id) };
  }

  /** Commits the transaction. */
  commit(transaction) {
    this.#engine.commit(requireString(transaction, 'commit(): transaction'));
  }

  /** Aborts the transaction. */
  abort(transaction) {
    this.#engine.abort(requireString(transaction, 'abort(): transaction'));
  }

  /** Acknowledges a message (the right headers for the negotiated version). */
  ack(messageId, subscription, headers) {
    this.#ackOrNack(true, messageId, subscription, headers, true);
  }

  /** Rejects a message (STOMP 1.1 and 1.2). */
  nack(messageId, subscription, headers) {
    this.#ackOrNack(false, messageId, subscription, headers, true);
  }

  // `fromUser`: the subscription must be given. A frame's own ack()/nack() may have none
  // (a STOMP 1.0 MESSAGE without a subscription header): then it is left out.
  #ackOrNack(ack, messageId, subscription, headers, fromUser = false) {
    const what = ack ? 'ack()' : 'nack()';
    requireString(messageId, what + ': messageId');
    if (fromUser) requireString(subscription, what + ': subscription');
    this.#engine.ack(ack, messageId, subscription, packHeaders(headers, what));
  }
}

/**
 * A client over an existing WebSocket or WebSocket-shaped object (SockJS, a test double), or
 * over a function that makes a new one for each connection (then it can reconnect).
 */
export function over(socket, options) {
  if (isFunction(socket)) return new Client(INTERNAL, socket, options, true);
  if (!isObject(socket) || !isFunction(socket.send) || !isFunction(socket.close)) {
    fail('over(socket): socket must be a WebSocket-like object with send() and close(), or a function returning one');
  }
  if (socket.readyState === 2 || socket.readyState === 3) {
    fail(`over(socket): the socket is already ${socket.readyState === 2 ? 'closing' : 'closed'}`);
  }
  return new Client(INTERNAL, socket, options, true);
}

/** A client for a `ws(s)://` URL (WebSocket) or `http(s)://` URL (SockJS), or an array of them. */
export function client(url, options) {
  const urls = Array.isArray(url) ? url : [url];
  if (urls.length === 0) fail('client(url): give at least one URL');
  for (const u of urls) {
    if (typeof u !== 'string' || !/^(wss?|https?):\/\/./i.test(u)) {
      fail(`client(url): ${JSON.stringify(u)} is not a ws://, wss://, http:// or https:// URL`);
    }
  }
  return new Client(INTERNAL, urls.slice(), options, false);
}

export default { over, client, Client, VERSIONS, wasmMemoryBytes };
