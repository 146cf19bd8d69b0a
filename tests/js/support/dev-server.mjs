// The dev server (server/main.mjs) as a child process, for suites that need its embedded
// broker, SockJS endpoint or static mounts with extra headers.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from './browser.mjs';

/**
 * Starts `node server/main.mjs` with `args` (plus --port 0 --quiet) and waits for its JSON
 * line. Resolves to `{ url, info, stop() }`; stop() ends it (SIGTERM, then SIGKILL).
 */
export async function startDevServer(args) {
  const child = spawn(process.execPath, ['server/main.mjs', '--port', '0', '--quiet', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((ok) => child.once('exit', ok));
  let timer;
  try {
    const line = await Promise.race([
      new Promise((ok) => createInterface({ input: child.stdout }).once('line', ok)),
      exited.then((code) => { throw new Error(`server/main.mjs exited (${code}): ${stderr}`); }),
      new Promise((_, fail) => { timer = setTimeout(() => fail(new Error(`server/main.mjs did not start: ${stderr}`)), 10_000); }),
    ]);
    const info = JSON.parse(line);
    return {
      url: info.url,
      info,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      },
    };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
