// createBroker(options): every option, its default, and what it bounds.
//
// Decoder limits (a frame beyond them gets ERROR + close, checked before more is buffered):
//   maxFrameSize        4 MiB   bytes of command + headers + body in one received frame
//   maxHeaders          1000    header entries in one received frame
//   maxHeaderLine       64 KiB  bytes in one received header line
//
// Heart-beats (STOMP 1.1 and 1.2 only; 0 disables a direction):
//   heartbeat.outgoing  10000   ms: the broker sends at most this often (CONNECTED heart-beat sx)
//   heartbeat.incoming  10000   ms: the broker accepts client beats no more often (sy)
//   heartbeat.tolerance 2       a client silent for its negotiated interval × this is closed
//   connectTimeout      10000   ms a connection may stay without a CONNECT frame (0: no limit)
//
// Per connection (exceeding one gets the connection an ERROR, then closed):
//   maxBufferedBytes    8 MiB   transport.bufferedAmount after a send (if the transport has it)
//   maxUnacked          1000    MESSAGE frames awaiting ACK over all client-ack subscriptions
//   maxSubscriptions    1000    subscriptions at once
//   maxTransactions     64      transactions open at once
//   maxTransactionFrames 1000   SEND/ACK/NACK frames held in open transactions
//   maxTransactionBytes 16 MiB  body bytes held in open transactions
//
// Destinations:
//   queuePrefixes       ['/queue/']  destinations with these prefixes are queues (round-robin);
//                                    every other destination is a topic (fan-out)
//   maxQueueDepth       1000    messages held by one queue that has no subscriber
//   maxHeldBytes        64 MiB  bytes held by all queues together (body + headers + 512 each);
//                               a message over either bound is dropped, with a warning
//   maxRedeliveries     10      a message NACKed or left unacked this many times is dropped
//
// Other:
//   server              'webstomp-wasm-broker/0.1.0'  the CONNECTED `server` header
//   logger              silent  an object with any of debug/info/warn/error(message, ...)

import { DEFAULT_LIMITS } from './decoder.js';

const DEFAULTS = Object.freeze({
  ...DEFAULT_LIMITS,
  heartbeat: Object.freeze({ outgoing: 10000, incoming: 10000, tolerance: 2 }),
  connectTimeout: 10000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxUnacked: 1000,
  maxSubscriptions: 1000,
  maxTransactions: 64,
  maxTransactionFrames: 1000,
  maxTransactionBytes: 16 * 1024 * 1024,
  queuePrefixes: Object.freeze(['/queue/']),
  maxQueueDepth: 1000,
  maxHeldBytes: 64 * 1024 * 1024,
  maxRedeliveries: 10,
  server: 'webstomp-wasm-broker/0.1.0',
  logger: null,
});

const NUMBERS = Object.keys(DEFAULTS).filter((k) => typeof DEFAULTS[k] === 'number');
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const noop = () => {};

/** The options with defaults filled in; throws TypeError on an unknown or invalid option. */
export function resolveOptions(options = {}) {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULTS)) throw new TypeError(`createBroker: unknown option ${JSON.stringify(key)}`);
  }
  const heartbeat = { ...DEFAULTS.heartbeat, ...(options.heartbeat ?? {}) };
  for (const key of Object.keys(heartbeat)) {
    if (!(key in DEFAULTS.heartbeat)) throw new TypeError(`createBroker: unknown option heartbeat.${key}`);
    checkNumber(`heartbeat.${key}`, heartbeat[key]);
  }
  if (heartbeat.tolerance < 1) throw new TypeError('createBroker: heartbeat.tolerance must be at least 1');
  const resolved = { ...DEFAULTS, ...options, heartbeat };
  for (const key of NUMBERS) checkNumber(key, resolved[key]);
  if (!Array.isArray(resolved.queuePrefixes) || !resolved.queuePrefixes.every((p) => typeof p === 'string')) {
    throw new TypeError('createBroker: queuePrefixes must be an array of strings');
  }
  if (typeof resolved.server !== 'string') throw new TypeError('createBroker: server must be a string');
  resolved.logger = makeLogger(options.logger);
  return Object.freeze(resolved);
}

function checkNumber(name, value) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`createBroker: ${name} must be a non-negative number`);
  }
}

/** A logger with all four levels; missing ones do nothing. */
function makeLogger(logger) {
  const out = {};
  for (const level of LOG_LEVELS) {
    const fn = logger?.[level];
    out[level] = typeof fn === 'function' ? fn.bind(logger) : noop;
  }
  return out;
}
