// Chooses what each client session is joined to: the embedded broker
// (server/broker/, the default) or a TCP relay to a real broker.

import { createTcpRelay, parseTcpUrl } from './tcp-relay.mjs';

/**
 * @param {string} spec "embedded" or "tcp://host:port"
 * @param {{rawChunks?: boolean, heartbeat?: string, log: (line: string) => void}} options
 *   `heartbeat` ("SX,SY" in ms, embedded only): the heart-beat the broker's CONNECTED offers
 */
export async function createBackend(spec, { rawChunks = false, heartbeat, log }) {
  if (!spec || spec === 'embedded') {
    if (rawChunks) throw new Error('--raw-chunks applies only to --broker tcp://host:port');
    const offer = heartbeat === undefined ? {} : { heartbeat: parseHeartbeatOffer(heartbeat) };
    let mod;
    try {
      mod = await import('../broker/index.js');
    } catch (err) {
      if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('broker/index.js')) {
        throw new Error('the embedded broker (server/broker/index.js) is not there; use --broker tcp://host:port');
      }
      throw err;
    }
    const broker = mod.createBroker({ logger: { warn: log, error: log }, ...offer });
    return { attach: (peer) => broker.attach(peer), close: () => broker.close(), describe: 'embedded' };
  }
  if (heartbeat !== undefined) throw new Error('--stomp-heartbeat applies only to the embedded broker');
  const { host, port } = parseTcpUrl(spec);
  return createTcpRelay({ host, port, rawChunks, log });
}

/** "SX,SY" (non-negative integers, ms) as the broker's heartbeat option. */
function parseHeartbeatOffer(text) {
  const match = /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(text);
  if (!match) throw new Error(`--stomp-heartbeat wants "SX,SY" in ms (e.g. 1000,1000), got ${JSON.stringify(text)}`);
  return { outgoing: Number(match[1]), incoming: Number(match[2]) };
}
