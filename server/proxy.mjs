#!/usr/bin/env node
// Front proxy for fault tests: sits before server/main.mjs and forwards HTTP
// and WebSocket upgrades, or misbehaves as --mode says. See server/README.md.

import { parseArgs, UsageError } from './lib/args.mjs';
import { startFrontProxy, PROXY_MODES } from './lib/front-proxy.mjs';
import { announce, stopOnSignals } from './lib/lifecycle.mjs';

const USAGE = `usage: node server/proxy.mjs --target http://127.0.0.1:PORT [options]
  --target URL     where to forward (required)
  --port N         port to listen on (default 0 = any free port)
  --host H         address to bind (default 127.0.0.1)
  --mode M         ${PROXY_MODES.join(' | ')} (default pass)
  --after MS       blackhole: start MS ms after the first connection is established (default 0)
  --quiet          no log lines on stderr
  --help
Run-time mode switch: POST /__proxy/mode?mode=M[&after=MS]; GET /__proxy/mode shows it.`;

const SPEC = {
  target: { type: 'string' },
  port: { type: 'number', default: 0 },
  host: { type: 'string', default: '127.0.0.1' },
  mode: { type: 'string', default: 'pass' },
  after: { type: 'number', default: 0 },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
};

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), SPEC);
    if (!args.help && !args.target) throw new UsageError('--target is required');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const log = args.quiet ? () => {} : (line) => process.stderr.write(`[proxy] ${line}\n`);
  const proxy = await startFrontProxy({ target: args.target, mode: args.mode, after: args.after, host: args.host, port: args.port, log });
  stopOnSignals(proxy.stop, { log });
  announce(proxy.info);
}

process.on('uncaughtException', (err) => process.stderr.write(`[proxy] uncaught: ${err.stack || err}\n`));

main().catch((err) => {
  process.stderr.write(`[proxy] ${err.message}\n`);
  process.exit(1);
});
