// Node side of the numbered stream (page/stream.js): the browser and pages, a fault run
// (stream, break, restore, drain, count) and the checks every fault test makes on its result.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchChromium, openPage, PKG, requireBuiltPackage, ROOT, serve } from '../../js/support/browser.mjs';

export const PAGE_DIR = join(ROOT, 'tests/faults/page');

/**
 * Serves the stream page (with the built package at /pkg/) on http://127.0.0.1:PORT and
 * launches headless Chromium. Resolves to `{ url, browser, page(), close() }`.
 */
export async function openBrowser() {
  await requireBuiltPackage();
  const server = await serve({ '/pkg/': PKG, '/': PAGE_DIR });
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    page: () => openPage(browser, server.url + '/'),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A unique /queue/ destination: a SEND or a SUBSCRIBE declares it, whichever comes first. */
export const queueName = (tag) => `/queue/webstomp-faults-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Waits until `fn(arg)` is truthy in the page (polled every 20 ms). Returns true, or false on
 * timeout (the caller decides whether that fails the test).
 */
export async function waitIn(page, fn, arg, ms) {
  try {
    await page.waitForFunction(fn, arg, { timeout: ms, polling: 20 });
    return true;
  } catch (e) {
    if (/Timeout/i.test(e.message)) return false;
    throw e;
  }
}

/** Like waitIn, but a timeout is an error that says what was awaited and shows the role. */
export async function mustWaitIn(page, fn, arg, ms, what, role) {
  if (await waitIn(page, fn, arg, ms)) return;
  const now = role ? await page.evaluate((n) => S.summary(n), role) : null;
  throw new Error(`timed out after ${ms} ms waiting for ${what}${now ? `; ${role} is ${JSON.stringify(now)}` : ''}`);
}

// True once the role went from connected to another state at or after `since`, and (when
// `back`) came back to connected after that.
function lostSince({ name, since, back }) {
  const states = S.summary(name).states;
  const i = states.findIndex((s) => s.at >= since && s.state !== 'connected');
  if (i < 0) return false;
  return !back || states.slice(i + 1).some((s) => s.state === 'connected');
}

/**
 * One fault run between a producer page and a consumer page connected to `url`:
 *   1. the consumer subscribes to a fresh queue (client-individual acks, each acked as it
 *      arrives) and the producer streams `rate` msg/s, every message with `receipt: true`;
 *   2. once `warmup` messages arrived, `fault()` breaks the connection;
 *   3. both clients notice (state leaves `connected`); the producer keeps sending for
 *      `outageMs` (the client queues);
 *   4. `restore()` repairs it; both clients reconnect; the stream runs `afterMs` more;
 *   5. the producer stops; every receipt and every message must arrive (bounded waits).
 * Returns the figures (see `timings` and `counts`); the caller asserts with `checkStream`.
 */
export async function faultRun({
  producerPage, consumerPage, url, options, dest, fault, restore,
  rate = 50, warmup = 20, steadyMs = 0, outageMs = 1000, afterMs = 1000,
  detectWithinMs = 15_000, recoverWithinMs = 30_000, drainWithinMs = 15_000,
  consumerHeaders = { ack: 'client-individual' },
}) {
  const closeRoles = () =>
    Promise.all([producerPage.evaluate(() => S.close('producer')), consumerPage.evaluate(() => S.close('consumer'))]);
  try {
    await consumerPage.evaluate((a) => S.consumer(a), { url, options, dest, headers: consumerHeaders, keepLog: true });
    await producerPage.evaluate((a) => S.producer(a), { url, options, dest, rate });
    await producerPage.evaluate(() => S.start());
    await mustWaitIn(consumerPage, (n) => S.summary('consumer').unique >= n, warmup, 10_000, `${warmup} messages before the fault`, 'consumer');
    await sleep(steadyMs);
    return await breakAndCount();
  } finally {
    await closeRoles();
  }

  async function breakAndCount() {
    const faultAt = Date.now();
    const faultInfo = await fault();
    const faultDoneAt = Date.now();
    const detected = await Promise.all([
      waitIn(producerPage, lostSince, { name: 'producer', since: faultAt }, detectWithinMs),
      waitIn(consumerPage, lostSince, { name: 'consumer', since: faultAt }, detectWithinMs),
    ]);
    await sleep(outageMs);

    const restoreAt = Date.now();
    await restore(faultInfo);
    const readyAt = Date.now();
    const recovered = await Promise.all([
      waitIn(producerPage, lostSince, { name: 'producer', since: faultAt, back: true }, recoverWithinMs),
      waitIn(consumerPage, lostSince, { name: 'consumer', since: faultAt, back: true }, recoverWithinMs),
    ]);
    await sleep(afterMs);

    const last = await producerPage.evaluate(() => S.stop());
    const stoppedAt = Date.now();
    // One deadline for both waits; without a reconnect there is nothing to wait for.
    const drainUntil = stoppedAt + (recovered.every(Boolean) ? drainWithinMs : 1000);
    await waitIn(producerPage, () => S.summary('producer').pending === 0, null, Math.max(1, drainUntil - Date.now()));
    await waitIn(consumerPage, (n) => S.missing('consumer', n, 0).count === 0, last, Math.max(1, drainUntil - Date.now()));

    const producer = await producerPage.evaluate(() => S.summary('producer'));
    const consumer = await consumerPage.evaluate(() => S.summary('consumer'));
    const missing = await consumerPage.evaluate((n) => S.missing('consumer', n), last);
    const arrivals = await consumerPage.evaluate(() => S.log('consumer'));
    const marks = { faultAt, faultDoneAt, restoreAt, readyAt, stoppedAt };
    return {
      detected: { producer: detected[0], consumer: detected[1] },
      recovered: { producer: recovered[0], consumer: recovered[1] },
      // The states each client went through before the fault: a false alarm shows here.
      beforeFault: {
        producer: producer.states.filter((s) => s.at < faultAt).map((s) => s.state),
        consumer: consumer.states.filter((s) => s.at < faultAt).map((s) => s.state),
      },
      timings: {
        producer: timings(producer, marks),
        consumer: timings(consumer, marks),
        faultMs: faultDoneAt - faultAt,
        downMs: readyAt - faultAt,
        caughtUpMs: caughtUp(producer.states, arrivals, marks),
      },
      counts: counts(producer, consumer, missing, arrivals, last, faultAt),
      // Every state change and error callback, in ms from the fault.
      log: {
        producer: history(producer, faultAt),
        consumer: history(consumer, faultAt),
      },
      producer,
      consumer,
    };
  }
}

function history({ states, errors }, faultAt) {
  return [
    ...states.map((s) => ({ t: s.at - faultAt, state: s.state, attempt: s.attempt })),
    ...errors.map((e) => ({ t: e.at - faultAt, error: e.what })),
  ].sort((a, b) => a.t - b.t);
}

// When a client lost its connection and got it back, relative to the fault and the repair:
//   detectMs   fault injected -> state left `connected`
//   recoverMs  server ready again -> `connected` again (negative: it was back before the
//              restore step returned, e.g. while a start script was still checking)
//   outageMs   state left `connected` -> `connected` again
//   attempts   the reconnect attempts it took (the attempt number that connected)
function timings({ states, connects }, { faultAt, readyAt }) {
  const i = states.findIndex((s) => s.at >= faultAt && s.state !== 'connected');
  if (i < 0) return { detectMs: null, recoverMs: null, outageMs: null, attempts: 0, states: states.map((s) => s.state) };
  const j = states.findIndex((s, k) => k > i && s.state === 'connected');
  const between = states.slice(i, j < 0 ? undefined : j + 1);
  const back = j < 0 ? null : connects.find((c) => c.at >= states[i].at);
  return {
    // Losses after the fault: 1 unless the connection dropped again after coming back.
    losses: states.filter((s, k) => k >= i && s.state === 'reconnecting' && (k === 0 || states[k - 1].state !== 'reconnecting')).length,
    detectMs: states[i].at - faultAt,
    recoverMs: j < 0 ? null : states[j].at - readyAt,
    outageMs: j < 0 ? null : states[j].at - states[i].at,
    attempts: back ? back.attempts : null,
    states: between.map((s) => s.state),
  };
}

// How long after the repair the consumer had every message the producer sent while it was
// down (their first arrivals), and how many those were.
function caughtUp(producerStates, arrivals, { faultAt, readyAt }) {
  const i = producerStates.findIndex((s) => s.at >= faultAt && s.state !== 'connected');
  const j = producerStates.findIndex((s, k) => k > i && s.state === 'connected');
  if (i < 0 || j < 0) return null;
  const from = producerStates[i].seq;
  const to = producerStates[j].seq;
  const first = new Map();
  for (const [seq, at] of arrivals) if (!first.has(seq)) first.set(seq, at);
  let latest = 0;
  for (let seq = from + 1; seq <= to; seq++) {
    if (!first.has(seq)) return { sentWhileDown: to - from, ms: null };
    latest = Math.max(latest, first.get(seq));
  }
  return { sentWhileDown: to - from, ms: to > from ? latest - readyAt : 0 };
}

function counts(producer, consumer, missing, arrivals, last, faultAt) {
  const seen = new Set();
  const dups = [];
  let dupsFrom = null;
  let dupsTo = null;
  for (const [seq, at] of arrivals) {
    if (seen.has(seq)) {
      if (dups.length < 20) dups.push(seq);
      dupsFrom ??= at - faultAt;
      dupsTo = at - faultAt;
    }
    seen.add(seq);
  }
  return {
    sent: last,
    sentWhileDown: producer.sentWhileDown,
    receipted: producer.receipted,
    receiptsPending: producer.pending,
    rejected: producer.rejectedCount,
    thrown: producer.thrownCount,
    thrownFirst: producer.thrown.slice(0, 3),
    rejectedFirst: producer.rejected.slice(0, 3),
    received: arrivals.length,
    unique: consumer.unique,
    lost: missing.count,
    lostSeqs: missing.list,
    duplicates: consumer.duplicates,
    duplicateSeqs: dups,
    // When the duplicates arrived, in ms from the fault.
    duplicatesArrived: dupsFrom === null ? null : [dupsFrom, dupsTo],
    redelivered: consumer.redelivered,
    reordered: consumer.reordered,
    subscriptions: consumer.subscriptions,
    subId: consumer.subId,
    maxReceiptMs: producer.maxReceiptMs,
  };
}

/**
 * The checks of every fault run: both clients noticed the loss and came back, the stream went
 * on through the outage (sends were queued), every send's receipt came, nothing was lost, the
 * first arrivals kept the send order, and the subscription kept its id.
 */
export function checkStream(r) {
  const c = r.counts;
  const show = JSON.stringify({
    timings: r.timings,
    counts: c,
    producer: { states: r.producer.states, errors: r.producer.errors, pending: r.producer.pendingSeqs },
    consumer: { states: r.consumer.states, errors: r.consumer.errors },
  });
  const steady = ['connecting', 'connected'];
  assert.deepEqual(r.beforeFault, { producer: steady, consumer: steady }, `no loss before the fault: ${show}`);
  assert.deepEqual(r.detected, { producer: true, consumer: true }, `both clients notice the loss: ${show}`);
  assert.deepEqual(r.recovered, { producer: true, consumer: true }, `both clients reconnect: ${show}`);
  assert.ok(c.sentWhileDown > 0, `the producer sent while disconnected: ${show}`);
  assert.equal(c.thrown, 0, `no send threw: ${JSON.stringify(r.producer.thrown)}`);
  assert.equal(c.rejected, 0, `no receipt Promise rejected: ${JSON.stringify(r.producer.rejected)}`);
  assert.equal(c.receiptsPending, 0, `every receipt arrived (pending: ${JSON.stringify(r.producer.pendingSeqs)}): ${show}`);
  assert.equal(c.receipted, c.sent, `every message was confirmed: ${show}`);
  assert.equal(c.lost, 0, `no message lost (missing: ${JSON.stringify(c.lostSeqs)}): ${show}`);
  assert.equal(c.unique, c.sent, `every message arrived: ${show}`);
  assert.deepEqual(c.reordered, [], `first arrivals keep the send order: ${show}`);
  assert.deepEqual(c.subscriptions, [c.subId], `the subscription kept its id: ${show}`);
}

/** The figures of a run in one line, for the test's diagnostics. */
export function figures(r) {
  const t = r.timings;
  const role = (x) => `detect ${x.detectMs} ms, recover ${x.recoverMs} ms after ready (outage ${x.outageMs} ms, ${x.attempts} attempts${x.losses > 1 ? `, lost ${x.losses} times` : ''})`;
  const c = r.counts;
  return [
    `producer: ${role(t.producer)}`,
    `consumer: ${role(t.consumer)}`,
    `fault step ${t.faultMs} ms, down ${t.downMs} ms, caught up ${t.caughtUpMs?.ms} ms after ready (${t.caughtUpMs?.sentWhileDown} sent while down)`,
    `sent ${c.sent}, receipted ${c.receipted}, lost ${c.lost}, duplicates ${c.duplicates}${c.duplicates ? ` (${c.duplicateSeqs.join(',')})` : ''}, redelivered ${c.redelivered}, max receipt wait ${c.maxReceiptMs} ms`,
  ].join('; ');
}

/**
 * Uncaught exceptions in a page since the last call. Console errors are not counted: the
 * browser logs every refused connection attempt there, which these tests cause on purpose.
 */
export function pageErrors(page) {
  const errors = page.problems.filter((p) => p.startsWith('pageerror:'));
  page.problems.length = 0;
  return errors;
}
