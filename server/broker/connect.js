// CONNECT / STOMP → CONNECTED: version and heart-beat negotiation (STOMP 1.2 §"Connecting").

import { VERSIONS } from './commands.js';
import { ProtocolError } from './errors.js';
import { negotiateHeartBeat, parseHeartBeat } from './heartbeat.js';

/**
 * The highest version in both the client's `accept-version` list and VERSIONS; '1.0' when the
 * header is absent. Throws ProtocolError (whose ERROR carries a `version` header) when none.
 */
export function negotiateVersion(acceptVersion) {
  if (acceptVersion === undefined) return '1.0';
  const offered = new Set(acceptVersion.split(',').map((v) => v.trim()));
  for (let i = VERSIONS.length - 1; i >= 0; i--) if (offered.has(VERSIONS[i])) return VERSIONS[i];
  throw new ProtocolError('unsupported STOMP version', {
    detail: `the client accepts ${JSON.stringify(acceptVersion)}; this broker supports ${VERSIONS.join(', ')}`,
    headers: [['version', VERSIONS.join(',')]],
  });
}

/** Handles the session's first frame. `host`, `login` and `passcode` are accepted as they are. */
export function handleConnect(conn, frame) {
  const version = negotiateVersion(frame.get('accept-version'));
  const { heartbeat } = conn.options;
  const headers = [['version', version]];
  let beats = { send: 0, receive: 0 };
  if (version !== '1.0') {
    beats = negotiateHeartBeat(parseHeartBeat(frame.get('heart-beat')), heartbeat);
    headers.push(['heart-beat', `${heartbeat.outgoing},${heartbeat.incoming}`]);
  }
  headers.push(['server', conn.options.server], ['session', conn.session]);
  conn.log.debug(`broker: session ${conn.session} connected, STOMP ${version}, heart-beats out ${beats.send} ms, in ${beats.receive} ms`);
  conn.connected(version, beats);
  conn.sendFrame('CONNECTED', headers);
}
