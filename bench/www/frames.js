// The STOMP frames the benchmark feeds the clients, built once per page before any timing. A
// pool of distinct frames (their own message-id and sequence number) is cycled through, so no
// client sees one string over and over yet the page holds only a few MiB.

export const DESTINATION = '/topic/bench';
export const SUBSCRIPTION = 'sub-0';
export const POOL = 1024;

/** The deliver variants: socket message type, frames per socket message, body size in bytes. */
export const VARIANTS = {
  text: { binary: false, perMessage: 1, bodyBytes: 100 },
  arraybuffer: { binary: true, perMessage: 1, bodyBytes: 100 },
  batch16: { binary: false, perMessage: 16, bodyBytes: 100 },
  body4k: { binary: false, perMessage: 1, bodyBytes: 4096 },
};

/** A JSON chat-like body of exactly `bytes` ASCII bytes. */
export function jsonBody(seq, bytes) {
  const head = `{"seq":${seq},"user":"alice","room":"lobby","ts":${1763800000000 + seq},"text":"`;
  const tail = '"}';
  const fill = bytes - head.length - tail.length;
  if (fill < 0) throw new Error(`a body of ${bytes} bytes is too small`);
  let text = '';
  const words = 'hello from the benchmark ';
  while (text.length < fill) text += words;
  return head + text.slice(0, fill) + tail;
}

/** A MESSAGE frame with the headers RabbitMQ sends for an auto-ack subscription. */
export function messageFrame(seq, bodyBytes) {
  const body = jsonBody(seq, bodyBytes);
  return 'MESSAGE\n' +
    `subscription:${SUBSCRIPTION}\n` +
    `destination:${DESTINATION}\n` +
    `message-id:T_${SUBSCRIPTION}@@session-bench@@${seq}\n` +
    'redelivered:false\n' +
    'content-type:application/json\n' +
    `content-length:${body.length}\n` +
    '\n' + body + '\0';
}

/**
 * The socket messages of a deliver variant: `POOL / perMessage` distinct payloads (strings, or
 * ArrayBuffers for the binary variant). Returns `{ payloads, perMessage, bodyBytes }`.
 */
export function deliverPayloads(name) {
  const v = VARIANTS[name];
  if (!v) throw new Error(`unknown deliver variant ${name}`);
  const encoder = new TextEncoder();
  const payloads = [];
  for (let m = 0; m < POOL / v.perMessage; m++) {
    let text = '';
    for (let f = 0; f < v.perMessage; f++) text += messageFrame(m * v.perMessage + f, v.bodyBytes);
    payloads.push(v.binary ? encoder.encode(text).buffer : text);
  }
  return { payloads, perMessage: v.perMessage, bodyBytes: v.bodyBytes };
}

/** The bodies `send()` is called with in the publish scenario. */
export function publishBodies(bytes = 100) {
  return Array.from({ length: POOL }, (_, i) => jsonBody(i, bytes));
}

export const CONNECTED_FRAME = 'CONNECTED\nversion:1.2\nheart-beat:0,0\nserver:bench/1.0\n\n\0';
