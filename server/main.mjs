#!/usr/bin/env node
// The dev server and test relay: static files, a SockJS endpoint
// (sockjs-node) and raw STOMP over WebSocket (ws), every session joined to the
// embedded broker or relayed to a real broker over TCP. See server/README.md.

import fs from 'node:fs';
import { parseArgs, UsageError } from './lib/args.mjs';
import { startApp } from './lib/app.mjs';
import { createBackend } from './lib/backends.mjs';
import { parseHeader, parseMount } from './lib/static-files.mjs';
import { announce, stopOnSignals } from './lib/lifecycle.mjs';

const USAGE = `usage: node server/main.mjs [options]
  --port N              port on --host (default: $PORT, else 0 = any free port)
  --host H              address to bind (default 127.0.0.1)
  --static P=DIR        serve DIR at URL prefix P (repeatable), e.g. --static /=www --static /pkg=pkg
  --header "N: V"       add this header to every static file (repeatable), e.g. a Content-Security-Policy
  --sockjs P            SockJS endpoint prefix, e.g. /stomp
  --no-websocket        SockJS without its websocket transport (forces HTTP fallback)
  --heartbeat-delay MS  SockJS "h" frame interval (sockjs-node default 25000)
  --disconnect-delay MS SockJS session reap delay after its last receiver (default 5000)
  --response-limit B    bytes before SockJS ends a streaming response (default 131072)
  --ws PATH             raw STOMP-over-WebSocket endpoint, e.g. /ws
  --broker B            "embedded" (default) or tcp://host:port (default: $STOMP_BROKER)
  --raw-chunks          relay: pass TCP chunks as they come instead of one frame per message
  --stomp-heartbeat SX,SY  embedded broker: the heart-beat its CONNECTED offers, in ms
                        (default 10000,10000: beats no more often than every 10 s)
  --control PATH        test hook: GET PATH/sessions, POST PATH/close?code=&reason=
  --quiet               no log lines on stderr
  --help`;

const SPEC = {
  port: { type: 'number' },
  host: { type: 'string', default: '127.0.0.1' },
  static: { type: 'list' },
  header: { type: 'list' },
  sockjs: { type: 'string' },
  websocket: { type: 'boolean', default: true },
  'heartbeat-delay': { type: 'number' },
  'disconnect-delay': { type: 'number' },
  'response-limit': { type: 'number' },
  ws: { type: 'string' },
  broker: { type: 'string' },
  'raw-chunks': { type: 'boolean', default: false },
  'stomp-heartbeat': { type: 'string' },
  control: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
};

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), SPEC);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const log = args.quiet ? () => {} : (line) => process.stderr.write(`[server] ${line}\n`);
  const port = args.port ?? (process.env.PORT ? Number(process.env.PORT) : 0);
  const statics = args.static.map((s) => parseMount(s));
  let staticHeaders;
  try {
    staticHeaders = args.header.map((h) => parseHeader(h));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  for (const m of statics) if (!fs.existsSync(m.dir)) log(`warning: --static ${m.prefix}=${m.dir}: no such directory (yet)`);
  const backend = await createBackend(args.broker ?? process.env.STOMP_BROKER ?? 'embedded', {
    rawChunks: args.rawChunks,
    heartbeat: args.stompHeartbeat,
    log,
  });
  const app = await startApp({
    backend,
    host: args.host,
    port,
    statics,
    staticHeaders,
    sockjs: args.sockjs
      ? {
          prefix: normalizePath(args.sockjs),
          websocket: args.websocket,
          heartbeatDelay: args.heartbeatDelay,
          disconnectDelay: args.disconnectDelay,
          responseLimit: args.responseLimit,
        }
      : null,
    wsPath: args.ws ? normalizePath(args.ws) : null,
    controlPath: args.control ? normalizePath(args.control) : null,
    log,
  });
  stopOnSignals(app.stop, { log });
  announce(app.info);
}

function normalizePath(p) {
  const withSlash = p.startsWith('/') ? p : '/' + p;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : withSlash;
}

// A stray error in one session must not take every other session down.
process.on('uncaughtException', (err) => process.stderr.write(`[server] uncaught: ${err.stack || err}\n`));
process.on('unhandledRejection', (err) => process.stderr.write(`[server] unhandled rejection: ${err?.stack || err}\n`));

main().catch((err) => {
  process.stderr.write(`[server] ${err.message}\n`);
  process.exit(1);
});
