// The STOMP commands, by who sends them.

/** Frames a client sends (STOMP 1.2 §"Client Frames", plus CONNECT/STOMP). */
export const CLIENT_COMMANDS = Object.freeze([
  'CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK',
  'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT',
]);

/** Frames a server sends. */
export const SERVER_COMMANDS = Object.freeze(['CONNECTED', 'MESSAGE', 'RECEIPT', 'ERROR']);

/** Every STOMP command. The decoder accepts these, so both sides' frames can be decoded. */
export const ALL_COMMANDS = Object.freeze([...CLIENT_COMMANDS, ...SERVER_COMMANDS]);

/** Frames whose headers are never escaped, in any version (STOMP 1.2 §"Value Encoding"). */
export const UNESCAPED_COMMANDS = new Set(['CONNECT', 'STOMP', 'CONNECTED']);

/** The STOMP versions the broker speaks, oldest first. */
export const VERSIONS = Object.freeze(['1.0', '1.1', '1.2']);
