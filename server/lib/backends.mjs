// Chooses what each client session is joined to: the embedded broker
// (server/broker/, the default) or a TCP relay to a real broker.

import { createTcpRelay, parseTcpUrl } from './tcp-relay.mjs';

/**
 * @param {string} spec "embedded" or "tcp://host:port"
 * @param {{rawChunks?: boolean, log: (line: string) => void}} options
 */
export async function createBackend(spec, { rawChunks = false, log }) {
  if (!spec || spec === 'embedded') {
    if (rawChunks) throw new Error('--raw-chunks applies only to --broker tcp://host:port');
    let mod;
    try {
      mod = await import('../broker/index.js');
    } catch (err) {
      if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('broker/index.js')) {
        throw new Error('the embedded broker (server/broker/index.js) is not there; use --broker tcp://host:port');
      }
      throw err;
    }
    const broker = mod.createBroker({ logger: { warn: log, error: log } });
    return { attach: (peer) => broker.attach(peer), close: () => broker.close(), describe: 'embedded' };
  }
  const { host, port } = parseTcpUrl(spec);
  return createTcpRelay({ host, port, rawChunks, log });
}
