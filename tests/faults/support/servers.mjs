// The servers the fault tests break: the relay (server/main.mjs relaying to RabbitMQ's STOMP
// port, SockJS at /chat and raw STOMP over WebSocket at /ws), the fault proxy
// (server/proxy.mjs), and a port where nothing listens.
import { createServer } from 'node:net';
import { startServer, startProxy } from '../../../server/test-support/processes.mjs';
import { brokerTcpUrl } from './env.mjs';

/**
 * Starts a relay to RabbitMQ on `port` (0: any free port). Resolves to
 * `{ url, port, ws, sockjs, kill(), stop() }`; `kill()` is SIGKILL: no close frames, the
 * sockets just die, as when a server crashes.
 */
export async function startRelay(port = 0) {
  const p = await startServer([
    '--port', String(port),
    '--broker', brokerTcpUrl(),
    '--sockjs', '/chat',
    '--ws', '/ws',
    // HTTP sessions of a dead client go away quickly (sockjs-node's default is 5 s).
    '--disconnect-delay', '1000',
  ]);
  const { url } = p.info;
  return {
    url,
    port: p.info.port,
    ws: url.replace(/^http/, 'ws') + '/ws',
    sockjs: url + '/chat',
    kill: () => p.stop('SIGKILL'),
    stop: () => p.stop('SIGTERM'),
  };
}

/**
 * Starts the fault proxy in front of `target` (an http:// URL). Resolves to
 * `{ url, mode(m), stop() }`; `mode(m)` switches it at run time through its control URL and
 * resolves with the time (Date.now()) the switch was answered.
 */
export async function startFaultProxy(target) {
  const p = await startProxy(['--target', target, '--mode', 'pass']);
  const { url } = p.info;
  return {
    url,
    async mode(m) {
      const res = await fetch(`${url}/__proxy/mode?mode=${encodeURIComponent(m)}`, { method: 'POST' });
      if (!res.ok) throw new Error(`proxy mode ${m}: HTTP ${res.status} ${await res.text()}`);
      const at = Date.now();
      const state = await res.json();
      if (state.mode !== m) throw new Error(`proxy mode is ${state.mode}, not ${m}`);
      return at;
    },
    stop: () => p.stop('SIGTERM'),
  };
}

/** A loopback port that refuses connections (bound, read, released). */
export async function deadPort() {
  const server = createServer();
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}
