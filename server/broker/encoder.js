// The STOMP frame encoder: one whole frame as a string, for a text transport.
//
// Headers are escaped per version (never for CONNECT, STOMP and CONNECTED). STOMP 1.0, and those
// three frames, cannot carry CR, LF in header text, nor `:` in a header name: such a value has
// each CR and LF replaced by a space, and such a name drops the entry. A non-empty body gets a
// `content-length` counting its UTF-8 bytes (any `content-length` passed in is replaced).

import { UNESCAPED_COMMANDS } from './commands.js';
import { escapeHeader } from './escape.js';

/**
 * @param {string} command
 * @param {Array<[string, string|number]>} headers in wire order
 * @param {string|Buffer} [body] a Buffer is decoded as UTF-8 (invalid bytes become U+FFFD)
 * @param {string} [version] '1.0', '1.1' or '1.2'
 * @returns {string}
 */
export function encodeFrame(command, headers, body = '', version = '1.2') {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const raw = version === '1.0' || UNESCAPED_COMMANDS.has(command);
  let out = `${command}\n`;
  for (const [name, rawValue] of headers) {
    if (name === 'content-length') continue;
    const value = String(rawValue);
    if (raw) {
      if (/[:\r\n]/.test(name)) continue;
      out += `${name}:${value.replace(/[\r\n]/g, ' ')}\n`;
    } else {
      out += `${escapeHeader(name, version)}:${escapeHeader(value, version)}\n`;
    }
  }
  if (text.length > 0) out += `content-length:${Buffer.byteLength(text, 'utf8')}\n`;
  return `${out}\n${text}\0`;
}
