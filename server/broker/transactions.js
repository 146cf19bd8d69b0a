// BEGIN / COMMIT / ABORT: the frames of a transaction take effect at COMMIT, in order, and are
// dropped at ABORT or when the connection closes.

import { CLOSE, ProtocolError, requireHeader } from './errors.js';

/** The open transactions of one connection, bounded by count, frames and body bytes. */
export class Transactions {
  constructor({ maxTransactions, maxTransactionFrames, maxTransactionBytes }) {
    this.limits = { maxTransactions, maxTransactionFrames, maxTransactionBytes };
    /** transaction id → frames held */
    this.open = new Map();
    this.frames = 0;
    this.bytes = 0;
  }

  begin(id) {
    if (this.open.has(id)) {
      throw new ProtocolError('transaction already begun', { detail: `transaction ${JSON.stringify(id)} is already open` });
    }
    if (this.open.size >= this.limits.maxTransactions) {
      throw new ProtocolError('too many transactions', {
        detail: `at most ${this.limits.maxTransactions} transactions may be open at once`,
        closeCode: CLOSE.POLICY,
      });
    }
    this.open.set(id, []);
  }

  /** Holds `frame` (SEND, ACK or NACK) until its transaction ends. */
  hold(id, frame) {
    const held = this.get(id, frame.command);
    const { maxTransactionFrames, maxTransactionBytes } = this.limits;
    if (this.frames + 1 > maxTransactionFrames || this.bytes + frame.body.length > maxTransactionBytes) {
      throw new ProtocolError('transaction too large', {
        detail: `open transactions may hold at most ${maxTransactionFrames} frames and ${maxTransactionBytes} body bytes`,
        closeCode: CLOSE.POLICY,
      });
    }
    held.push(frame);
    this.frames++;
    this.bytes += frame.body.length;
  }

  /** Ends transaction `id`, returning its frames in the order they were sent. */
  end(id, command) {
    const held = this.get(id, command);
    this.open.delete(id);
    this.frames -= held.length;
    for (const frame of held) this.bytes -= frame.body.length;
    return held;
  }

  clear() {
    this.open.clear();
    this.frames = this.bytes = 0;
  }

  get(id, command) {
    const held = this.open.get(id);
    if (!held) {
      throw new ProtocolError('unknown transaction', {
        detail: `${command} names transaction ${JSON.stringify(id)}, which is not open`,
      });
    }
    return held;
  }
}

export function handleBegin(conn, frame) {
  conn.transactions.begin(requireHeader(frame, 'transaction'));
}

export function handleAbort(conn, frame) {
  conn.transactions.end(requireHeader(frame, 'transaction'), 'ABORT');
}

/** COMMIT: runs the held frames through `apply(conn, frame)`, in order. */
export function handleCommit(conn, frame, apply) {
  const held = conn.transactions.end(requireHeader(frame, 'transaction'), 'COMMIT');
  for (const f of held) {
    if (conn.isClosed()) return;
    apply(conn, f);
  }
}
