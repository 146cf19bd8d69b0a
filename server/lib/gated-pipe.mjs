// Copies a readable stream into a writable one with backpressure, unless a
// gate says the link is black-holed: then data is dropped, and neither end nor
// errors are passed on (the link stays open, silent, forever).

/**
 * @param {import('node:stream').Readable} from
 * @param {import('node:stream').Writable} to
 * @param {object} o
 * @param {() => boolean} o.blocked true while the link is black-holed
 * @param {(chunk: Buffer) => Buffer|null} [o.filter] may replace or drop (null) a chunk before the gate
 * @param {boolean} [o.end] end `to` when `from` ends (default true)
 */
export function gatedPipe(from, to, { blocked, filter = (c) => c, end = true }) {
  let waiting = false;
  from.on('data', (chunk) => {
    const out = filter(chunk);
    if (!out || out.length === 0 || blocked()) return;
    if (to.destroyed || to.writableEnded) return;
    if (!to.write(out) && !waiting) {
      waiting = true;
      from.pause();
      to.once('drain', () => {
        waiting = false;
        from.resume();
      });
    }
  });
  from.on('end', () => {
    if (end && !blocked() && !to.destroyed && !to.writableEnded) to.end();
  });
}

/**
 * Joins two sockets both ways with gatedPipe; closing (or failing) one
 * destroys the other, except while black-holed.
 */
export function gatedTunnel(a, b, { blocked, filterBtoA }) {
  gatedPipe(a, b, { blocked });
  gatedPipe(b, a, { blocked, filter: filterBtoA });
  const onGone = (other) => () => {
    if (!blocked()) other.destroy();
  };
  a.on('close', onGone(b));
  b.on('close', onGone(a));
  a.on('error', () => {});
  b.on('error', () => {});
}
