// A message as the broker stores and routes it, built from a SEND frame.

/** SEND headers the broker sets itself on MESSAGE frames, or that only concern the SEND. */
const NOT_COPIED = new Set([
  'destination', 'message-id', 'subscription', 'ack', 'redelivered',
  'receipt', 'transaction', 'content-length',
]);

/** Bytes a held message is charged beyond its headers and body. */
const OVERHEAD = 512;

/**
 * { id, destination, headers, body, size }: `headers` are the SEND's own headers (the first of
 * each repeated name), `body` is text (a text transport carries it; invalid UTF-8 becomes
 * U+FFFD), `size` is what holding it costs in bytes.
 */
export function messageFromSend(frame, id) {
  const headers = [];
  const seen = new Set();
  let size = OVERHEAD + frame.body.length;
  for (const [name, value] of frame.headers) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (NOT_COPIED.has(name)) continue;
    headers.push([name, value]);
    size += name.length + value.length;
  }
  const destination = frame.get('destination');
  return Object.freeze({ id, destination, headers, body: frame.body.toString('utf8'), size });
}
