// What both command-line programs do around their server: print the one
// JSON line that scripts read the address from, and stop cleanly on
// SIGINT/SIGTERM.

/** Prints the ready line, e.g. {"url":"http://127.0.0.1:PORT",...}. */
export function announce(info) {
  process.stdout.write(JSON.stringify(info) + '\n');
}

/**
 * Runs stop() once on SIGINT or SIGTERM, then exits 0 (or 1 if stop failed
 * or took longer than graceMs).
 */
export function stopOnSignals(stop, { graceMs = 3000, log = (l) => process.stderr.write(l + '\n') } = {}) {
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      log(`stop took over ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    Promise.resolve()
      .then(stop)
      .then(
        () => process.exit(0),
        (err) => {
          log(`error while stopping on ${signal}: ${err.stack || err}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
