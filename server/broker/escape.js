// Header escaping per STOMP version (STOMP 1.2 §"Value Encoding").
//
// 1.2 escapes `\` as `\\`, CR as `\r`, LF as `\n` and `:` as `\c`; 1.1 the same except CR;
// 1.0 has no escaping. Any other backslash sequence is a fatal protocol error.

import { ParseError } from './errors.js';

const UNESCAPE = {
  '1.1': { n: '\n', c: ':', '\\': '\\' },
  '1.2': { r: '\r', n: '\n', c: ':', '\\': '\\' },
};
const NEEDS_ESCAPE = { '1.1': /[\\\n:]/, '1.2': /[\\\r\n:]/ };
const ESCAPE_ALL = { '1.1': /[\\\n:]/g, '1.2': /[\\\r\n:]/g };
const ESCAPES = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' };

/** Escapes a header name or value for `version`. */
export function escapeHeader(text, version) {
  const test = NEEDS_ESCAPE[version];
  if (!test || !test.test(text)) return text;
  return text.replace(ESCAPE_ALL[version], (ch) => ESCAPES[ch]);
}

/** Unescapes a header name or value received in `version`; throws ParseError on a bad escape. */
export function unescapeHeader(text, version) {
  const table = UNESCAPE[version];
  if (!table || !text.includes('\\')) return text;
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', from)) {
    if (i + 1 >= text.length) {
      throw new ParseError('InvalidEscape', 'bad STOMP header: backslash at the end of a header');
    }
    const next = text[i + 1];
    const replacement = table[next];
    if (replacement === undefined) {
      const shown = next >= ' ' && next <= '~' ? `"\\${next}"` : `backslash then U+${next.codePointAt(0).toString(16).padStart(4, '0')}`;
      throw new ParseError('InvalidEscape', `bad STOMP header: undefined escape sequence ${shown}`);
    }
    out += text.slice(from, i) + replacement;
    from = i + 2;
  }
  return out + text.slice(from);
}
