// The embedded STOMP broker: `createBroker(options)` (see README.md), and its codec for tests
// and tools.

export { createBroker } from './broker.js';
export { Decoder, DEFAULT_LIMITS } from './decoder.js';
export { encodeFrame } from './encoder.js';
export { escapeHeader, unescapeHeader } from './escape.js';
export { Frame, HEARTBEAT } from './frame.js';
export { CLOSE, ParseError, ProtocolError } from './errors.js';
