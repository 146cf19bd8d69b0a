// A trivial in-process stand-in with the embedded broker's interface
// (createBroker().attach(peer) -> {receive, closed}), until server/broker/
// lands: CONNECT -> CONNECTED, SEND -> MESSAGE back to the sender,
// DISCONNECT -> RECEIPT then close. It records every call for assertions.

export function createStandInBroker() {
  const events = [];
  const conns = new Set();
  const all = []; // every conn ever attached, in order
  return {
    events,
    conns,
    all,
    attach(peer) {
      let buffer = '';
      const conn = {
        peer,
        receive(data) {
          events.push(['receive', String(data)]);
          buffer += String(data);
          let at;
          while ((at = buffer.indexOf('\0')) !== -1) {
            const text = buffer.slice(0, at).replace(/^[\r\n]+/, '');
            buffer = buffer.slice(at + 1);
            const [head, body = ''] = text.split('\n\n');
            const [command, ...lines] = head.split('\n');
            const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
            if (command === 'CONNECT' || command === 'STOMP') peer.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
            else if (command === 'SEND') peer.send(`MESSAGE\ndestination:${headers.destination}\nmessage-id:1\nsubscription:0\n\n${body}\0`);
            else if (command === 'DISCONNECT') {
              peer.send(`RECEIPT\nreceipt-id:${headers.receipt}\n\n\0`);
              peer.close(1000, 'Bye');
            }
          }
        },
        closedCalls: 0,
        closed() {
          conn.closedCalls += 1;
          events.push(['closed']);
          conns.delete(conn);
        },
      };
      conns.add(conn);
      all.push(conn);
      events.push(['attach']);
      return conn;
    },
    close() {
      events.push(['broker-close']);
    },
  };
}
