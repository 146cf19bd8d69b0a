// One SUBSCRIBE of one connection, with its deliveries awaiting ACK.

export const ACK_MODES = Object.freeze(['auto', 'client', 'client-individual']);

export class Subscription {
  constructor(conn, id, destination, ack) {
    this.conn = conn;
    this.id = id;
    this.destination = destination;
    this.ack = ack; // one of ACK_MODES
    this.active = true; // false once unsubscribed or its connection closed
    /** Deliveries awaiting ACK/NACK, oldest first: ackId → { ackId, envelope, sub }. */
    this.pending = new Map();
  }

  /**
   * The deliveries an ACK or NACK of `delivery` settles: in `client` mode it and every earlier
   * one (cumulative), in `client-individual` mode only it.
   */
  settledBy(delivery) {
    if (this.ack !== 'client') return [delivery];
    const out = [];
    for (const d of this.pending.values()) {
      out.push(d);
      if (d === delivery) break;
    }
    return out;
  }
}
