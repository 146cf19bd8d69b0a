// What one benchmark run does inside the page. Each function takes a loaded client adapter
// (clients.js) and resolves to plain data for the driver. Clocks stop when the subscription
// callback has seen the last message (or the socket holds the last frame), not when the loop
// that feeds them ends, so a client that works asynchronously is timed in full.

import { SocketDouble, messageEvents, nextTask } from './double.js';
import { DESTINATION, SUBSCRIPTION, deliverPayloads, publishBodies } from './frames.js';

const LIMIT_MS = 180_000; // a run that takes longer failed

function deadline(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms));
}

/**
 * Subscribes a counting callback that reads each message's body (as users do: stompjs decodes
 * it lazily). Resolves `done` with the time the `expected`-th call happened.
 */
function countingSubscription(session, adapter, expected) {
  const state = { seen: 0, bodyChars: 0, end: 0 };
  let finish;
  state.done = new Promise((resolve) => { finish = resolve; });
  const callback = adapter.countsSocketMessages
    ? (e) => {
      state.last = e.data; // the one DOM getter every client calls
      if (++state.seen === expected) finish((state.end = performance.now()));
    }
    : (m) => {
      state.bodyChars += m.body.length;
      if (++state.seen === expected) finish((state.end = performance.now()));
    };
  session.subscribe(DESTINATION, callback, { id: SUBSCRIPTION });
  return state;
}

/** Settles the client after connect/subscribe: a few idle tasks. */
async function settle() {
  for (let i = 0; i < 3; i++) await nextTask();
}

/**
 * deliver: the double pushes `count` MESSAGE frames of `variant`; messages/s until the
 * callback saw them all.
 */
export async function deliver(adapter, { variant, count, batch }) {
  const { payloads, perMessage, bodyBytes } = deliverPayloads(variant);
  const events = messageEvents(payloads);
  if (count % perMessage) throw new Error(`count ${count} is not a multiple of ${perMessage}`);
  const socket = new SocketDouble();
  const session = await adapter.open({ socket });
  const messages = count / perMessage;
  const expected = adapter.countsSocketMessages ? messages : count;
  const state = countingSubscription(session, adapter, expected);
  await settle();
  window.__keep = { session, socket, state }; // nothing of the run is collected before the end
  const t0 = performance.now();
  await socket.push(events, messages, batch);
  await Promise.race([state.done, deadline(LIMIT_MS, `deliver ${variant}`)]);
  const ms = state.end - t0;
  const problems = [];
  if (state.seen !== expected) problems.push(`callback saw ${state.seen} of ${expected}`);
  if (!adapter.countsSocketMessages && state.bodyChars !== count * bodyBytes) {
    problems.push(`bodies held ${state.bodyChars} chars, expected ${count * bodyBytes}`);
  }
  return { ms, rate: (count / ms) * 1000, problems };
}

// One SEND frame's command, headers and body (text frames; the body is what follows the blank line).
function parseSend(frame) {
  const blank = frame.indexOf('\n\n');
  const [command, ...lines] = frame.slice(0, blank).split('\n');
  const headers = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (!(line.slice(0, at) in headers)) headers[line.slice(0, at)] = line.slice(at + 1);
  }
  return { command, headers, body: frame.slice(blank + 2) };
}

// The frames in what the socket was given: text, split on NUL (the bodies hold none).
function sentFrames(chunks) {
  const decoder = new TextDecoder();
  let all = '';
  for (const c of chunks) all += typeof c === 'string' ? c : decoder.decode(c);
  const bytes = new TextEncoder().encode(all).length;
  const frames = all.split('\0');
  frames.pop(); // after the last NUL
  return { bytes, frames: frames.map((f) => f.replace(/^[\r\n]+/, '')) };
}

function countNul(chunks, from) {
  let n = 0;
  for (let i = from; i < chunks.length; i++) {
    const c = chunks[i];
    if (typeof c === 'string') {
      for (let at = c.indexOf('\0'); at >= 0; at = c.indexOf('\0', at + 1)) n++;
    } else {
      for (const b of new Uint8Array(c.buffer ?? c, c.byteOffset ?? 0, c.byteLength)) if (b === 0) n++;
    }
  }
  return n;
}

/**
 * publish: `count` send() calls into the double, `batch` per task; messages/s until the socket
 * holds the last frame. `publishCheck()` then checks what was sent.
 */
export async function publish(adapter, { count, batch }) {
  const bodies = publishBodies();
  const mask = bodies.length - 1;
  const socket = new SocketDouble();
  const session = await adapter.open({ socket });
  await settle();
  socket.sent.length = 0;
  const headers = { 'content-type': 'application/json' };
  const t0 = performance.now();
  for (let i = 0; i < count;) {
    const end = Math.min(count, i + batch);
    for (; i < end; i++) session.send(DESTINATION, bodies[i & mask], headers);
    await nextTask();
  }
  let t1 = performance.now();
  // A client that sends later (none does today) is waited for, up to the limit.
  let frames = countNul(socket.sent, 0);
  for (let seen = socket.sent.length, waited = 0; frames < count && waited < LIMIT_MS; waited += 5) {
    await new Promise((r) => setTimeout(r, 5));
    if (socket.sent.length > seen) {
      t1 = performance.now();
      frames += countNul(socket.sent, seen);
      seen = socket.sent.length;
    }
  }
  window.__publish = { sent: socket.sent, bodies, count };
  const ms = t1 - t0;
  return { ms, rate: (count / ms) * 1000, chunks: socket.sent.length };
}

/**
 * Checks the last publish run: as many frames as send() calls, each a SEND to the destination
 * with the body given and a right content-length. Resolves to `{ bytes, bytesPerFrame, problems }`.
 */
export function publishCheck() {
  const { sent: chunks, bodies, count } = window.__publish;
  window.__publish = null;
  const mask = bodies.length - 1;
  const sent = sentFrames(chunks);
  const problems = [];
  if (sent.frames.length !== count) problems.push(`socket got ${sent.frames.length} frames for ${count} send() calls`);
  let bad = 0;
  sent.frames.forEach((text, i) => {
    const f = parseSend(text);
    const ok = f.command === 'SEND' && f.headers.destination === DESTINATION && f.body === bodies[i & mask] &&
      (f.headers['content-length'] === undefined || Number(f.headers['content-length']) === f.body.length);
    if (!ok && bad++ === 0) problems.push(`frame ${i} is not the SEND given: ${JSON.stringify(text.slice(0, 200))}`);
  });
  if (bad > 1) problems.push(`${bad} frames differ from what was sent`);
  return { bytes: sent.bytes, bytesPerFrame: sent.bytes / Math.max(1, sent.frames.length), problems };
}

/**
 * memory, first half: connect and subscribe over the double (a callback expecting `warmup +
 * count` frames) and deliver `warmup` frames, so that the delivery path's code is compiled
 * before the base is read. The driver then collects garbage and reads the heap (base), calls
 * `memoryDeliver`, collects again and reads the heap (after).
 */
export async function memoryOpen(adapter, { variant, count, warmup, batch }) {
  const data = deliverPayloads(variant);
  data.events = messageEvents(data.payloads);
  const socket = new SocketDouble();
  const session = await adapter.open({ socket });
  const per = adapter.countsSocketMessages ? data.perMessage : 1; // frames per callback
  const state = countingSubscription(session, adapter, (warmup + count) / per);
  await settle();
  await socket.push(data.events, warmup / data.perMessage, batch);
  while (state.seen < warmup / per) await nextTask();
  window.__memory = { data, socket, session, state, messages: count / data.perMessage };
  await settle();
}

/** memory, second half: delivers the messages, sampling the JS heap after every batch. */
export async function memoryDeliver({ batch }) {
  const { data, socket, state, messages } = window.__memory;
  const heap = () => performance.memory.usedJSHeapSize;
  const base = heap();
  let peak = base;
  await socket.push(data.events, messages, batch, () => {
    const h = heap();
    if (h > peak) peak = h;
  });
  await Promise.race([state.done, deadline(LIMIT_MS, 'memory')]);
  return { baseInPage: base, peak, peakGrowth: peak - base, seen: state.seen };
}

/**
 * e2e: through the relay to the broker. Subscribes to a fresh queue, sends `count` messages
 * `batch` per task, and times until the callback saw them all.
 */
export async function e2e(adapter, { url, sockjs, count, batch, queue }) {
  const session = await adapter.open({ url, sockjs });
  const destination = `/queue/${queue}`;
  const state = { seen: 0, end: 0 };
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  session.subscribe(destination, () => {
    if (++state.seen === count) finish((state.end = performance.now()));
  }, { id: SUBSCRIPTION });
  await new Promise((r) => setTimeout(r, 100)); // the SUBSCRIBE reaches the broker first
  const bodies = publishBodies();
  const mask = bodies.length - 1;
  const headers = { 'content-type': 'application/json' };
  const t0 = performance.now();
  for (let i = 0; i < count;) {
    const end = Math.min(count, i + batch);
    for (; i < end; i++) session.send(destination, bodies[i & mask], headers);
    await nextTask();
  }
  await Promise.race([done, deadline(LIMIT_MS, 'e2e')]);
  const ms = state.end - t0;
  return { ms, rate: (count / ms) * 1000, problems: [] };
}
