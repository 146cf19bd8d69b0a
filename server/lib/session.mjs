// Joins one client transport (a SockJS session or a raw WebSocket) to the
// backend (embedded broker or TCP relay), and keeps the set of live sessions
// so that the server can list and close them.
//
// A transport is { kind, send(message), close(code, reason), bufferedAmount? }:
// send takes one STOMP frame or heart-beat (string or Buffer); close ends the
// client side.
// The backend calls peer.send / peer.close; the endpoint calls
// fromClient(data) for each message and clientGone() when the transport
// closed. conn.closed() reaches the backend exactly once, however the session
// ended (also after the backend itself asked to close).

export class SessionRegistry {
  constructor() {
    this.sessions = new Set();
  }

  get size() {
    return this.sessions.size;
  }

  list() {
    return [...this.sessions].map((s) => ({ id: s.id, kind: s.kind, since: s.since }));
  }

  closeAll(code, reason) {
    const all = [...this.sessions];
    for (const s of all) s.close(code, reason);
    return all.length;
  }
}

let nextId = 1;

/**
 * @param {{attach(peer): {receive(data), closed()}}} backend
 * @param {{kind: string, send(message: string|Buffer): void, close(code: number, reason: string): void}} transport
 * @param {SessionRegistry} registry
 * @param {(line: string) => void} log
 */
export function joinSession(backend, transport, registry, log) {
  let open = true;
  let conn = null;

  const session = {
    id: nextId++,
    kind: transport.kind,
    since: new Date().toISOString(),
    close(code, reason) {
      closeTransport(code, reason);
    },
  };

  function closeTransport(code, reason) {
    if (!open) return;
    try {
      transport.close(code, reason);
    } catch (err) {
      log(`session ${session.id}: closing ${transport.kind} failed: ${err.message}`);
    }
    // Some transports report their close late (SockJS HTTP sessions only after
    // disconnect_delay); the backend learns now, outside its own call stack.
    setImmediate(clientGone);
  }

  function clientGone() {
    if (!open) return;
    open = false;
    registry.sessions.delete(session);
    if (conn) {
      try {
        conn.closed();
      } catch (err) {
        log(`session ${session.id}: backend closed() threw: ${err.message}`);
      }
    }
  }

  const peer = {
    send(message) {
      if (!open) return;
      try {
        transport.send(message);
      } catch (err) {
        log(`session ${session.id}: send to ${transport.kind} failed: ${err.message}`);
      }
    },
    close(code = 1000, reason = 'Normal closure') {
      closeTransport(code, reason);
    },
    // Bytes queued towards the client, where the transport knows (ws does):
    // the embedded broker uses it to spot slow consumers.
    get bufferedAmount() {
      return transport.bufferedAmount;
    },
  };

  registry.sessions.add(session);
  try {
    conn = backend.attach(peer);
  } catch (err) {
    log(`session ${session.id}: backend refused the session: ${err.message}`);
    closeTransport(1011, 'Backend unavailable');
  }

  return {
    session,
    fromClient(data) {
      if (!open || !conn) return;
      try {
        conn.receive(data);
      } catch (err) {
        log(`session ${session.id}: backend receive() threw: ${err.message}`);
        closeTransport(1011, 'Internal error');
      }
    },
    clientGone,
  };
}
