// Errors the broker turns into an ERROR frame followed by closing the connection.

/** WebSocket-style close codes the broker passes to `transport.close(code, reason)`. */
export const CLOSE = Object.freeze({
  NORMAL: 1000, // DISCONNECT
  GOING_AWAY: 1001, // broker.close()
  PROTOCOL: 1002, // malformed or illegal frames
  POLICY: 1008, // a limit was exceeded, or the heart-beat timed out
  INTERNAL: 1011, // a bug in the broker
});

/** Input that is not a valid STOMP stream. `code` names the case, e.g. `BadCommand`. */
export class ParseError extends Error {
  constructor(code, message, closeCode = CLOSE.PROTOCOL) {
    super(message);
    this.name = 'ParseError';
    this.code = code;
    this.closeCode = closeCode;
  }
}

/** A well-formed frame the broker refuses (wrong state, missing header, limit exceeded). */
export class ProtocolError extends Error {
  /**
   * @param {string} message the ERROR frame's `message` header (one line)
   * @param {object} [extra] `detail` (ERROR body), `headers` (more ERROR headers),
   *   `closeCode` (default CLOSE.PROTOCOL)
   */
  constructor(message, { detail = '', headers = [], closeCode = CLOSE.PROTOCOL } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.detail = detail;
    this.headers = headers;
    this.closeCode = closeCode;
  }
}

/** How many bytes of offending input an error message quotes. */
const PREVIEW = 64;

/** The start of `bytes` (a Buffer) as text for an error message. */
export function preview(bytes) {
  const cut = bytes.subarray(0, PREVIEW).toString('utf8');
  return bytes.length > PREVIEW ? `${cut}…` : cut;
}

/** The value of a header the frame must have (non-empty); throws ProtocolError if absent. */
export function requireHeader(frame, name) {
  const value = frame.get(name);
  if (value === undefined || value === '') {
    throw new ProtocolError(`missing ${name} header`, {
      detail: `a ${frame.command} frame must have a non-empty ${name} header`,
    });
  }
  return value;
}
