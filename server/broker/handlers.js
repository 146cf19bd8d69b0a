// The command handlers of a connected session: (conn, frame) => void, throwing ProtocolError
// to fail the connection. RECEIPT and DISCONNECT's close are done by the connection afterwards.

import { applyAck, checkAckHeaders } from './acks.js';
import { CLOSE, ProtocolError, requireHeader } from './errors.js';
import { messageFromSend } from './message.js';
import { ACK_MODES, Subscription } from './subscription.js';
import { handleAbort, handleBegin, handleCommit } from './transactions.js';

function handleSend(conn, frame) {
  requireHeader(frame, 'destination');
  holdOrApply(conn, frame);
}

function handleAckOrNack(conn, frame) {
  checkAckHeaders(conn, frame);
  holdOrApply(conn, frame);
}

/** A frame with a `transaction` header waits for COMMIT; any other takes effect now. */
function holdOrApply(conn, frame) {
  const transaction = frame.get('transaction');
  if (transaction !== undefined) conn.transactions.hold(transaction, frame);
  else apply(conn, frame);
}

/** What SEND, ACK and NACK do, now or at COMMIT. */
function apply(conn, frame) {
  if (frame.command === 'SEND') {
    conn.broker.router.publish(messageFromSend(frame, conn.broker.nextMessageId()));
  } else {
    applyAck(conn, frame);
  }
}

function handleSubscribe(conn, frame) {
  const destination = requireHeader(frame, 'destination');
  // STOMP 1.0 makes `id` optional: the destination then names the subscription.
  const id = conn.version === '1.0' ? frame.get('id') ?? destination : requireHeader(frame, 'id');
  const ack = frame.get('ack') ?? 'auto';
  if (!ACK_MODES.includes(ack)) {
    throw new ProtocolError('invalid ack header', { detail: `ack must be one of ${ACK_MODES.join(', ')}, got ${JSON.stringify(ack)}` });
  }
  if (conn.subscriptions.has(id)) {
    throw new ProtocolError('duplicate subscription id', { detail: `subscription ${JSON.stringify(id)} already exists on this session` });
  }
  if (conn.subscriptions.size >= conn.options.maxSubscriptions) {
    throw new ProtocolError('too many subscriptions', {
      detail: `a session may hold at most ${conn.options.maxSubscriptions} subscriptions`,
      closeCode: CLOSE.POLICY,
    });
  }
  const sub = new Subscription(conn, id, destination, ack);
  conn.subscriptions.set(id, sub);
  conn.broker.router.subscribe(sub);
}

/** Unknown ids are ignored. STOMP 1.0 may name the subscription by `destination` instead. */
function handleUnsubscribe(conn, frame) {
  let subs;
  if (conn.version === '1.0' && frame.get('id') === undefined) {
    const destination = requireHeader(frame, 'destination');
    subs = [...conn.subscriptions.values()].filter((s) => s.destination === destination);
  } else {
    const sub = conn.subscriptions.get(requireHeader(frame, 'id'));
    subs = sub ? [sub] : [];
  }
  for (const sub of subs) {
    conn.subscriptions.delete(sub.id);
    conn.broker.router.unsubscribe(sub);
    conn.release(sub);
  }
}

export const COMMAND_HANDLERS = Object.freeze({
  SEND: handleSend,
  SUBSCRIBE: handleSubscribe,
  UNSUBSCRIBE: handleUnsubscribe,
  ACK: handleAckOrNack,
  NACK: handleAckOrNack,
  BEGIN: handleBegin,
  COMMIT: (conn, frame) => handleCommit(conn, frame, apply),
  ABORT: handleAbort,
  DISCONNECT: () => {},
});
