// Destinations: who subscribes where, topic fan-out, queue round-robin, held queue messages
// and redelivery.
//
// A message travels in an envelope { message, attempts }: `message` is shared and immutable
// ({ id, destination, headers, body, size }); `attempts` counts redeliveries of this copy.
// A topic gives each subscription its own envelope; a queue passes one envelope along.
// Subscriptions are delivered to through `sub.conn.deliver(sub, envelope)`, which returns
// whether the connection took the message (it may close itself instead, and so change the
// subscriber lists while they are walked: every walk is over a copy and skips inactive ones).

export class Router {
  constructor(options) {
    this.options = options;
    this.log = options.logger;
    /** destination → Subscription[] in subscription order */
    this.subscribers = new Map();
    /** queue destination → { held: envelope[], next: round-robin counter, draining } */
    this.queues = new Map();
    this.heldBytes = 0;
    this.heldCount = 0;
  }

  isQueue(destination) {
    return this.options.queuePrefixes.some((prefix) => destination.startsWith(prefix));
  }

  subscribe(sub) {
    const list = this.subscribers.get(sub.destination);
    if (list) list.push(sub);
    else this.subscribers.set(sub.destination, [sub]);
    if (this.isQueue(sub.destination)) this.drain(sub.destination);
  }

  unsubscribe(sub) {
    sub.active = false;
    const list = this.subscribers.get(sub.destination);
    if (!list) return;
    const i = list.indexOf(sub);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) {
      this.subscribers.delete(sub.destination);
      this.forgetQueueIfIdle(sub.destination);
    }
  }

  /** Routes a newly sent message. */
  publish(message) {
    if (this.isQueue(message.destination)) {
      this.toQueue({ message, attempts: 0 }, null);
      return;
    }
    for (const sub of this.active(message.destination)) {
      sub.conn.deliver(sub, { message, attempts: 0 });
    }
  }

  /**
   * Routes again a message `fromSub` did not acknowledge (NACK, UNSUBSCRIBE or disconnect): a
   * queue message goes to another subscriber if there is one (else back to `fromSub`, else it
   * is held); a topic message goes back to `fromSub` if still active, else it is dropped.
   */
  redeliver(envelope, fromSub) {
    const { message } = envelope;
    const again = { message, attempts: envelope.attempts + 1 };
    if (again.attempts > this.options.maxRedeliveries) {
      this.log.warn(`broker: dropping message ${message.id} to ${message.destination} after ${envelope.attempts} redeliveries`);
      return;
    }
    if (this.isQueue(message.destination)) {
      this.toQueue(again, fromSub);
    } else if (fromSub.active) {
      fromSub.conn.deliver(fromSub, again);
    } else {
      this.log.debug(`broker: dropping unacknowledged topic message ${message.id}: its subscription is gone`);
    }
  }

  /** Forgets every subscription and held message. */
  clear() {
    this.subscribers.clear();
    this.queues.clear();
    this.heldBytes = this.heldCount = 0;
  }

  stats() {
    let subscriptions = 0;
    for (const list of this.subscribers.values()) subscriptions += list.length;
    return { destinations: this.subscribers.size, subscriptions, heldMessages: this.heldCount, heldBytes: this.heldBytes };
  }

  // ---- queues ----

  active(destination) {
    return (this.subscribers.get(destination) ?? []).filter((sub) => sub.active);
  }

  queue(destination) {
    let q = this.queues.get(destination);
    if (!q) {
      q = { held: [], next: 0, draining: false };
      this.queues.set(destination, q);
    }
    return q;
  }

  forgetQueueIfIdle(destination) {
    const q = this.queues.get(destination);
    if (q && q.held.length === 0 && !this.subscribers.has(destination)) this.queues.delete(destination);
  }

  /** Delivers to the next subscriber in turn (avoiding `exclude` when another exists), or holds. */
  toQueue(envelope, exclude) {
    if (!this.offer(envelope, exclude)) this.hold(envelope);
  }

  /** Tries each subscriber once, in round-robin order; whether one took the message. */
  offer(envelope, exclude) {
    const destination = envelope.message.destination;
    let candidates = this.active(destination);
    if (exclude && candidates.some((sub) => sub !== exclude)) {
      candidates = candidates.filter((sub) => sub !== exclude);
    }
    if (candidates.length === 0) return false;
    const q = this.queue(destination);
    for (let tried = 0; tried < candidates.length; tried++) {
      const sub = candidates[q.next++ % candidates.length];
      if (q.next >= Number.MAX_SAFE_INTEGER) q.next = 0;
      if (sub.active && sub.conn.deliver(sub, envelope)) return true;
    }
    return false;
  }

  hold(envelope) {
    const { message } = envelope;
    const q = this.queue(message.destination);
    const { maxQueueDepth, maxHeldBytes } = this.options;
    if (q.held.length >= maxQueueDepth || this.heldBytes + message.size > maxHeldBytes) {
      this.log.warn(`broker: queue ${message.destination} is full (maxQueueDepth ${maxQueueDepth}, maxHeldBytes ${maxHeldBytes}); dropping message ${message.id}`);
      this.forgetQueueIfIdle(message.destination);
      return;
    }
    q.held.push(envelope);
    this.heldBytes += message.size;
    this.heldCount++;
  }

  /** Hands held messages, oldest first, to the queue's subscribers. */
  drain(destination) {
    const q = this.queues.get(destination);
    if (!q || q.draining) return;
    q.draining = true;
    try {
      while (q.held.length > 0) {
        const envelope = q.held[0];
        q.held.shift();
        this.heldBytes -= envelope.message.size;
        this.heldCount--;
        if (!this.offer(envelope, null)) {
          q.held.unshift(envelope);
          this.heldBytes += envelope.message.size;
          this.heldCount++;
          break;
        }
      }
    } finally {
      q.draining = false;
    }
  }
}
