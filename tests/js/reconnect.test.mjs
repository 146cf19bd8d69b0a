// Reconnect as a user sees it (API.md "Reconnect"), in headless Chromium: the server side is
// played by scripted sockets that `over(factory)` asks for, one per connection attempt.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from './support/suite.mjs';

const suite = pageSuite({
  setUp: async (inPage) => {
    // A factory of scripted sockets: `R.sockets` holds every socket made, `R.times` when.
    await inPage(() => {
      window.scripted = (options) => {
        const R = { sockets: [], times: [], states: [], errors: [], connects: 0 };
        R.client = W.over(() => {
          const s = new H.FakeSocket();
          R.sockets.push(s);
          R.times.push(performance.now());
          return s;
        }, { heartbeat: false, ...options });
        R.client.onstatechange = (s) => R.states.push(s);
        R.last = () => R.sockets[R.sockets.length - 1];
        // Opens the newest socket and answers its CONNECT.
        R.accept = async (n) => {
          await H.until(() => R.sockets.length >= n, 3000, `socket #${n}`);
          const s = R.sockets[n - 1];
          s.open('v12.stomp');
          await H.until(() => s.commands()[0] === 'CONNECT', 2000, 'CONNECT');
          s.receive(H.frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' }));
          return s;
        };
        return R;
      };
    });
  },
});
const { run } = suite;

const SUITE = { timeout: 30_000 };

describe('reconnect', SUITE, () => {
  test('a lost connection reconnects with the same CONNECT and subscribes again with the same id', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 30, jitter: 0 } });
      const got = [];
      const connectedFrames = [];
      R.client.connect({ login: 'me', passcode: 'pw' }, (f) => connectedFrames.push(f.command), (e) => R.errors.push(e));
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected, 2000, 'connected');
      const sub = R.client.subscribe('/topic/a', (m) => got.push(m.body), { ack: 'client', 'x-custom': 'v' });
      const firstSub = s1.last();
      s1.serverClose(1006, 'gone', false);
      const during = { state: R.client.state, attempt: R.client.reconnectAttempt, connected: R.client.connected };
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected, 2000, 'reconnected');
      const frames = s2.frames();
      s2.receive(H.frame('MESSAGE', { subscription: sub.id, 'message-id': '1', destination: '/topic/a', ack: 'a1' }, 'after'));
      await H.until(() => got.length === 1, 1000, 'message');
      return {
        during,
        after: { state: R.client.state, attempt: R.client.reconnectAttempt },
        states: R.states,
        errors: R.errors.map((e) => ({ code: e.code, reason: e.reason, wasClean: e.wasClean })),
        connectedFrames,
        connect: frames[0].headers,
        resubscribe: frames[1],
        firstSub: firstSub.headers,
        got,
        sockets: R.sockets.length,
      };
    });
    assert.deepEqual(r.during, { state: 'reconnecting', attempt: 1, connected: false });
    assert.deepEqual(r.after, { state: 'connected', attempt: 0 });
    assert.deepEqual(r.states, ['connecting', 'connected', 'reconnecting', 'connected']);
    assert.deepEqual(r.errors, [{ code: 1006, reason: 'gone', wasClean: false }], 'the error callback hears of the loss');
    assert.deepEqual(r.connectedFrames, ['CONNECTED', 'CONNECTED'], 'the connect callback runs on every CONNECTED');
    assert.equal(r.connect.login, 'me');
    assert.equal(r.connect.passcode, 'pw');
    assert.equal(r.resubscribe.command, 'SUBSCRIBE');
    assert.deepEqual(r.resubscribe.headers, r.firstSub, 'the same id, destination and headers');
    assert.deepEqual(r.got, ['after'], 'the callback keeps working without user code');
    assert.equal(r.sockets, 2);
  });

  test('send, subscribe, begin and ack while reconnecting are held in order and flushed after CONNECTED', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 20, jitter: 0 } });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      s1.serverClose(1006, '', false);
      R.client.send('/queue/a', 'one');
      const tx = R.client.begin();
      R.client.send('/queue/a', 'two', { transaction: tx.id });
      R.client.ack('m-1', 'sub-9');
      tx.commit();
      R.client.subscribe('/topic/late', () => {});
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected);
      return s2.frames().map((f) => [f.command, f.body || f.headers.transaction || f.headers.id || f.headers.destination]);
    });
    assert.deepEqual(r, [
      ['CONNECT', undefined],
      ['SUBSCRIBE', 'sub-0'],
      ['SEND', 'one'],
      ['BEGIN', 'tx-0'],
      ['SEND', 'two'],
      ['ACK', 'm-1'],
      ['COMMIT', 'tx-0'],
    ]);
  });

  test('message.ack() of a message from the lost connection is dropped; client.ack() is held', async () => {
    const r = await run(async () => {
      const lines = [];
      const R = scripted({ reconnect: { delay: 20, jitter: 0 }, debug: (l) => lines.push(l) });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      const got = [];
      R.client.subscribe('/queue/a', (m) => got.push(m), { ack: 'client-individual' });
      s1.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': 'm1', destination: '/queue/a', ack: 'a1' }, 'x'));
      await H.until(() => got.length === 1);
      s1.serverClose(1006, '', false);
      got[0].ack();
      R.client.ack('a2', 'sub-0');
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected);
      return { sent: s2.frames().map((f) => [f.command, f.headers.id]), logged: lines.some((l) => /message.ack\(\): dropped/.test(l)) };
    });
    assert.deepEqual(r.sent, [['CONNECT', undefined], ['SUBSCRIBE', 'sub-0'], ['ACK', 'a2']]);
    assert.equal(r.logged, true);
  });

  test('past maxQueued, send throws a clear Error; nothing queued is lost', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 20, jitter: 0 }, maxQueued: 3 });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      s1.serverClose(1006, '', false);
      for (const b of ['1', '2', '3']) R.client.send('/q', b);
      const error = H.thrown(() => R.client.send('/q', '4'));
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected);
      return { error, bodies: s2.frames().filter((f) => f.command === 'SEND').map((f) => f.body) };
    });
    assert.equal(r.error.name, 'Error');
    assert.match(r.error.message, /3 frames are already waiting/);
    assert.deepEqual(r.bodies, ['1', '2', '3']);
  });

  test('a send with a receipt is sent again after a reconnect until its RECEIPT comes (at-least-once)', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 20, jitter: 0 } });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      const confirmed = R.client.send('/queue/a', 'first', { receipt: true });
      const lost = R.client.send('/queue/a', 'second', { receipt: 'my-id' });
      const sent1 = s1.frames().filter((f) => f.command === 'SEND').map((f) => [f.body, f.headers.receipt]);
      s1.receive(H.frame('RECEIPT', { 'receipt-id': sent1[0][1] }));
      await H.within(confirmed, 1000, 'first receipt');
      s1.serverClose(1006, '', false);
      const during = R.client.send('/queue/a', 'third', { receipt: true });
      const pendingDuring = await H.isPending(lost);
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected);
      const sent2 = s2.frames().filter((f) => f.command === 'SEND').map((f) => [f.body, f.headers.receipt]);
      for (const [, id] of sent2) s2.receive(H.frame('RECEIPT', { 'receipt-id': id }));
      const frames = await H.within(Promise.all([lost, during]), 2000, 'receipts');
      return { sent1, sent2, pendingDuring, ids: frames.map((f) => f.headers['receipt-id']) };
    });
    assert.equal(r.pendingDuring, true, 'the Promise waits across the loss');
    assert.deepEqual(r.sent2.map((s) => s[0]), ['second', 'third'], 'the unconfirmed SEND again, then the held one');
    assert.equal(r.sent2[0][1], 'my-id', 'with the same receipt id');
    assert.deepEqual(r.ids, ['my-id', r.sent2[1][1]]);
  });

  test('transactions begun on the lost connection are aborted and reported; commit then throws', async () => {
    const r = await run(async () => {
      const lines = [];
      const R = scripted({ reconnect: { delay: 20, jitter: 0 }, debug: (l) => lines.push(l) });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      const tx = R.client.begin();
      const inTx = R.client.send('/q', 'x', { transaction: tx.id, receipt: true });
      const rejected = inTx.then(() => null, (e) => e.message);
      s1.serverClose(1006, '', false);
      const commit = H.thrown(() => tx.commit());
      const s2 = await R.accept(2);
      await H.until(() => R.client.connected);
      return {
        commit,
        rejected: await H.within(rejected, 1000, 'rejection'),
        reported: lines.filter((l) => /tx-0/.test(l) && /aborted/.test(l)),
        resent: s2.commands(),
      };
    });
    assert.equal(r.commit.name, 'Error');
    assert.match(r.commit.message, /transaction "tx-0" was aborted/);
    assert.match(r.rejected, /aborted/);
    assert.equal(r.reported.length >= 1, true, 'a log line reports the abort');
    assert.deepEqual(r.resent, ['CONNECT'], 'nothing of the aborted transaction is sent again');
  });

  test('waits grow by the multiplier; maxAttempts ends in closed, rejecting the connect Promise', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 40, multiplier: 2, maxDelay: 1000, jitter: 0, maxAttempts: 3 } });
      const p = R.client.connect().then(() => 'resolved', (e) => e);
      const attempts = [];
      for (let n = 1; n <= 4; n++) {
        await H.until(() => R.sockets.length >= n, 3000, `socket #${n}`);
        attempts.push(R.client.reconnectAttempt);
        R.sockets[n - 1].serverClose(1006, 'refused ' + n, false);
      }
      const outcome = await H.within(p, 2000, 'connect Promise');
      await H.sleep(200);
      const gaps = R.times.slice(1).map((t, i) => Math.round(t - R.times[i]));
      return { attempts, gaps, outcome: { code: outcome.code, reason: outcome.reason }, state: R.client.state, sockets: R.sockets.length, states: R.states };
    });
    assert.deepEqual(r.attempts, [0, 1, 2, 3]);
    assert.deepEqual(r.outcome, { code: 1006, reason: 'refused 4' });
    assert.equal(r.state, 'closed');
    assert.equal(r.sockets, 4, 'no attempt after the last');
    assert.deepEqual(r.states, ['connecting', 'reconnecting', 'closed']);
    for (const [i, expected] of [40, 80, 160].entries()) {
      assert.ok(r.gaps[i] >= expected - 2 && r.gaps[i] < expected + 250, `wait ${i + 1}: ${r.gaps[i]} ms, expected ~${expected}`);
    }
  });

  test('the connect Promise waits across failed attempts and resolves on the first CONNECTED', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 10, jitter: 0 } });
      const p = R.client.connect();
      await H.until(() => R.sockets.length >= 1);
      R.sockets[0].open('v12.stomp');
      R.sockets[0].receive(H.frame('ERROR', { message: 'not ready' }));
      const pending = await H.isPending(p, 30);
      await R.accept(2);
      const f = await H.within(p, 2000, 'connect');
      return { pending, command: f.command };
    });
    assert.deepEqual(r, { pending: true, command: 'CONNECTED' });
  });

  test('disconnect() while reconnecting ends at once; no attempt follows', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 50, jitter: 0 } });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      s1.serverClose(1006, '', false);
      await H.within(R.client.disconnect(), 500, 'disconnect');
      const state = R.client.state;
      await H.sleep(200);
      return { state, sockets: R.sockets.length, sendError: H.thrown(() => R.client.send('/q', 'x'))?.name };
    });
    assert.deepEqual(r, { state: 'closed', sockets: 1, sendError: 'Error' });
  });

  test('disconnect() during an attempt closes that socket and ends', async () => {
    const r = await run(async () => {
      const R = scripted({ reconnect: { delay: 10, jitter: 0 } });
      R.client.connect({}, () => {}, () => {});
      const s1 = await R.accept(1);
      await H.until(() => R.client.connected);
      s1.serverClose(1006, '', false);
      await H.until(() => R.sockets.length === 2);
      const s2 = R.sockets[1];
      s2.open('v12.stomp');
      await H.within(R.client.disconnect(), 1000, 'disconnect');
      await H.sleep(100);
      return { state: R.client.state, closed: s2.closeCalls.length, sockets: R.sockets.length };
    });
    assert.deepEqual(r, { state: 'closed', closed: 1, sockets: 2 });
  });

  test('over(socket) with a plain socket cannot reconnect: a loss closes the client', async () => {
    const r = await run(async () => {
      const sock = new H.FakeSocket();
      const c = W.over(sock, { heartbeat: false, reconnect: { delay: 10 } });
      const states = [];
      c.onstatechange = (s) => states.push(s);
      c.connect({}, () => {}, () => {});
      sock.open('v12.stomp');
      sock.receive(H.frame('CONNECTED', { version: '1.2' }));
      sock.serverClose(1006, '', false);
      await H.sleep(50);
      return states;
    });
    assert.deepEqual(r, ['connecting', 'connected', 'closed']);
  });

  test('client() with URLs that refuse keeps trying each in turn, then gives up', async () => {
    const r = await run(async () => {
      const lines = [];
      const c = W.client(['ws://127.0.0.1:9/a', 'ws://127.0.0.1:9/b'], {
        heartbeat: false,
        reconnect: { delay: 10, jitter: 0, maxAttempts: 2 },
      });
      const states = [];
      c.onstatechange = (s) => states.push(s);
      const outcome = await H.within(c.connect().then(() => 'connected', (e) => e.code), 10_000, 'give up');
      return { outcome, states, lines };
    });
    assert.equal(r.outcome, 1006);
    assert.deepEqual(r.states, ['connecting', 'reconnecting', 'closed']);
    // The browser logs each failed WebSocket: they show the order the URLs were tried in.
    const tried = suite.page.problems.splice(0).map((p) => /WebSocket connection to '([^']+)'/.exec(p)?.[1]);
    assert.deepEqual(tried, ['ws://127.0.0.1:9/a', 'ws://127.0.0.1:9/b', 'ws://127.0.0.1:9/a']);
  });
});
