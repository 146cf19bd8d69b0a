// ACK / NACK (STOMP 1.2 §"ACK", §"NACK"): which delivery a frame names, per version, and what
// settling it does. In `client` mode an ACK or NACK covers every earlier delivery of the
// subscription too; in `client-individual` mode only the one named. A NACKed message is
// redelivered (see Router.redeliver). An ACK or NACK naming no pending delivery is ignored.

import { requireHeader } from './errors.js';

/** Checks the headers the version requires; throws ProtocolError when one is missing. */
export function checkAckHeaders(conn, frame) {
  if (conn.version === '1.2') {
    requireHeader(frame, 'id');
  } else {
    requireHeader(frame, 'message-id');
    if (conn.version === '1.1') requireHeader(frame, 'subscription');
  }
}

/** Settles the delivery `frame` (ACK or NACK, headers already checked) names. */
export function applyAck(conn, frame) {
  const delivery = findDelivery(conn, frame);
  if (!delivery) {
    conn.log.debug(`broker: session ${conn.session}: ${frame.command} for no pending message, ignored`);
    return;
  }
  const { sub } = delivery;
  const settled = sub.settledBy(delivery);
  conn.settle(settled);
  if (frame.command === 'NACK') {
    for (const d of settled) conn.broker.router.redeliver(d.envelope, sub);
  }
}

/** 1.2: by `id` (the MESSAGE `ack` header); 1.1: `message-id` + `subscription`; 1.0: `message-id`. */
function findDelivery(conn, frame) {
  if (conn.version === '1.2') return conn.deliveries.get(frame.get('id'));
  const messageId = frame.get('message-id');
  const subId = frame.get('subscription');
  const subs = subId !== undefined ? [conn.subscriptions.get(subId)] : conn.subscriptions.values();
  for (const sub of subs) {
    if (!sub) continue;
    for (const d of sub.pending.values()) if (d.envelope.message.id === messageId) return d;
  }
  return undefined;
}
