// Page side of the fault tests and the soak: a numbered stream from a producer client to a
// consumer client, each with a timeline of its states. The Node side drives it with
// page.evaluate (see ../support/stream.mjs) and reads summaries back.
//
// The stream's bodies are the numbers 1, 2, 3, ... The consumer checks them as they come, in
// constant memory (a bitmap), so that a long soak measures the client, not this bookkeeping.

let W;
const roles = new Map();

/** Gives the module the package's default export (the page imports it as a user would). */
export function use(webstomp) {
  W = webstomp;
}

/**
 * Creates a client called `name` and connects it (guest/guest). Resolves once it is connected
 * the first time. Its states, connects and error callbacks are recorded with `Date.now()`
 * times, which Node can compare with its own clock (same machine).
 */
function open(name, url, options) {
  if (roles.has(name)) throw new Error(`role ${name} exists`);
  const client = W.client(url, options);
  const role = { name, client, states: [], errors: [], connects: [], timer: null, attempts: 0 };
  roles.set(name, role);
  // A new attempt changes no state: poll the attempt number to know how many it took.
  role.attemptPoll = setInterval(() => {
    role.attempts = Math.max(role.attempts, client.reconnectAttempt);
  }, 5);
  // `seq`: how far a producer's stream was when the state changed.
  client.onstatechange = (state) => role.states.push({ state, at: Date.now(), attempt: client.reconnectAttempt, seq: role.seq ?? 0 });
  return new Promise((resolve, reject) => {
    client.connect(
      { login: 'guest', passcode: 'guest' },
      (frame) => {
        role.attempts = Math.max(role.attempts, client.reconnectAttempt);
        role.connects.push({ at: Date.now(), heartBeat: frame.headers['heart-beat'], transport: client.transport, attempts: role.attempts });
        role.attempts = 0;
        resolve(role);
      },
      (e) => {
        const what = e && e.command ? `ERROR ${e.headers.message}` : `close ${e && e.code} ${e && e.reason}`;
        role.errors.push({ at: Date.now(), what, state: client.state });
        // Without reconnect an error before the first CONNECTED ends it.
        if (!options.reconnect && role.connects.length === 0) reject(new Error(`${name}: ${what}`));
      },
    );
  });
}

/**
 * A producer: connects, then (after `start`) sends `rate` messages per second to `dest`, each
 * with `receipt: true` when `receipts` says so (every n-th message; 1 = all). It keeps sending
 * whatever the client's state, as an app would: sends made while the client is not connected
 * are queued by the client.
 */
export async function producer({ name = 'producer', url, options, dest, rate = 50, receipts = 1, stamp = false }) {
  const role = await open(name, url, options);
  Object.assign(role, {
    dest,
    rate,
    receipts,
    stamp,
    seq: 0,
    startedAt: 0,
    sentWhileDown: 0,
    pending: new Map(), // seq -> sent at, until its RECEIPT
    receipted: 0,
    lastReceiptAt: 0,
    maxReceiptMs: 0,
    rejected: [],
    thrown: [],
  });
  return summary(name);
}

function sendOne(role) {
  const seq = role.seq + 1;
  const withReceipt = role.receipts > 0 && seq % role.receipts === 0;
  let result;
  try {
    const headers = role.stamp ? { 'x-sent-at': String(Date.now()) } : {};
    if (withReceipt) headers.receipt = true;
    result = role.client.send(role.dest, String(seq), headers);
  } catch (e) {
    role.thrown.push({ seq, message: String(e.message || e), state: role.client.state });
    role.seq = seq; // the number is used up: a gap the consumer will report
    return;
  }
  role.seq = seq;
  if (role.client.state !== 'connected') role.sentWhileDown += 1;
  if (!withReceipt) return;
  const at = Date.now();
  role.pending.set(seq, at);
  result.then(
    () => {
      role.pending.delete(seq);
      role.receipted += 1;
      role.lastReceiptAt = Date.now();
      role.maxReceiptMs = Math.max(role.maxReceiptMs, role.lastReceiptAt - at);
    },
    (e) => {
      role.pending.delete(seq);
      role.rejected.push({ seq, message: String((e && (e.message || e.reason || e.command)) || e) });
    },
  );
}

/** Starts the producer's stream: it keeps to its rate by sending what is due every 10 ms. */
export function start(name = 'producer') {
  const role = roles.get(name);
  role.startedAt = performance.now();
  const base = role.seq;
  role.timer = setInterval(() => {
    const due = base + Math.floor(((performance.now() - role.startedAt) * role.rate) / 1000);
    // A stalled tab catches up in bounded steps rather than all at once.
    for (let n = 0; role.seq < due && n < Math.max(50, role.rate); n++) sendOne(role);
  }, 10);
}

/** Stops the producer's stream; returns the last number sent. */
export function stop(name = 'producer') {
  const role = roles.get(name);
  clearInterval(role.timer);
  role.timer = null;
  return role.seq;
}

/**
 * A consumer: connects and subscribes to `dest` with `headers` (e.g. client-individual acks,
 * acked as each message arrives). Checks the numbers as they come: duplicates, and numbers
 * seen for the first time after a higher one (reordering). `keepLog` also keeps every number
 * with its arrival time, for reports.
 */
export async function consumer({ name = 'consumer', url, options, dest, headers = {}, capacity = 1 << 20, keepLog = false }) {
  const role = await open(name, url, options);
  Object.assign(role, {
    seen: new Uint8Array(capacity + 1),
    unique: 0,
    duplicates: 0,
    redelivered: 0,
    maxSeq: 0,
    reordered: [],
    subscriptions: new Set(),
    strays: 0,
    firstAt: 0,
    lastAt: 0,
    latencySum: 0,
    latencyCount: 0,
    latencyMax: 0,
    log: keepLog ? [] : null,
  });
  const manualAck = headers.ack === 'client' || headers.ack === 'client-individual';
  role.sub = role.client.subscribe(
    dest,
    (m) => {
      const seq = Number(m.body);
      const at = Date.now();
      if (manualAck) m.ack();
      role.subscriptions.add(m.headers.subscription);
      const sentAt = m.headers['x-sent-at'];
      if (sentAt) {
        const ms = at - Number(sentAt);
        role.latencySum += ms;
        role.latencyCount += 1;
        role.latencyMax = Math.max(role.latencyMax, ms);
      }
      if (m.headers.redelivered === 'true') role.redelivered += 1;
      if (role.log) role.log.push(seq, at);
      if (!Number.isInteger(seq) || seq < 1 || seq > capacity) {
        role.strays += 1;
        return;
      }
      if (!role.firstAt) role.firstAt = at;
      role.lastAt = at;
      if (role.seen[seq]) {
        role.duplicates += 1;
        return;
      }
      role.seen[seq] = 1;
      role.unique += 1;
      if (seq < role.maxSeq && role.reordered.length < 20) role.reordered.push({ seq, after: role.maxSeq });
      role.maxSeq = Math.max(role.maxSeq, seq);
    },
    headers,
  );
  return summary(name);
}

/** The numbers in 1..upTo the consumer has not seen (the first `limit` of them) and their count. */
export function missing(name, upTo, limit = 50) {
  const role = roles.get(name);
  const list = [];
  let count = 0;
  for (let seq = 1; seq <= upTo; seq++) {
    if (role.seen[seq]) continue;
    count += 1;
    if (list.length < limit) list.push(seq);
  }
  return { count, list };
}

/** The arrival log of a `keepLog` consumer: [seq, at] pairs after time `since`. */
export function log(name, since = 0) {
  const flat = roles.get(name).log || [];
  const out = [];
  for (let i = 0; i < flat.length; i += 2) if (flat[i + 1] >= since) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** A JSON-able view of a role. */
export function summary(name) {
  const r = roles.get(name);
  const base = {
    name: r.name,
    state: r.client.state,
    connected: r.client.connected,
    transport: r.client.transport,
    attempt: r.client.reconnectAttempt,
    states: r.states,
    errors: r.errors,
    connects: r.connects,
  };
  if ('pending' in r) {
    Object.assign(base, {
      seq: r.seq,
      sentWhileDown: r.sentWhileDown,
      pending: r.pending.size,
      pendingSeqs: [...r.pending.keys()].slice(0, 20),
      receipted: r.receipted,
      lastReceiptAt: r.lastReceiptAt,
      maxReceiptMs: r.maxReceiptMs,
      rejected: r.rejected.slice(0, 20),
      rejectedCount: r.rejected.length,
      thrown: r.thrown.slice(0, 20),
      thrownCount: r.thrown.length,
    });
  }
  if ('seen' in r) {
    Object.assign(base, {
      subId: r.sub.id,
      unique: r.unique,
      duplicates: r.duplicates,
      redelivered: r.redelivered,
      maxSeq: r.maxSeq,
      reordered: r.reordered,
      subscriptions: [...r.subscriptions],
      strays: r.strays,
      firstAt: r.firstAt,
      lastAt: r.lastAt,
      latencyMeanMs: r.latencyCount ? Math.round((r.latencySum / r.latencyCount) * 10) / 10 : null,
      latencyMaxMs: r.latencyCount ? r.latencyMax : null,
    });
  }
  return base;
}

/** Disconnects a role's client (bounded) and forgets it. */
export async function close(name) {
  const r = roles.get(name);
  if (!r) return null;
  clearInterval(r.timer);
  clearInterval(r.attemptPoll);
  roles.delete(name);
  let timer;
  const outcome = await Promise.race([
    r.client.disconnect().then(() => 'closed', (e) => `rejected: ${e && (e.message || e.code)}`),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve('timed out'), 5000);
    }),
  ]);
  clearTimeout(timer);
  return { outcome, state: r.client.state };
}

/** The size of the package's WebAssembly memory, in bytes. */
export async function wasmMemoryBytes() {
  return (await import('/pkg/webstomp_wasm.js')).wasmMemoryBytes();
}
