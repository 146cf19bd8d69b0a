// Starts server/main.mjs or server/proxy.mjs as a child process and reads the
// JSON line it prints; stop() sends SIGTERM and waits for the exit.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startProcess(script, args, { env = {}, timeoutMs = 5000 } = {}) {
  const child = spawn(process.execPath, [path.join(SERVER_DIR, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = readline.createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: no JSON line within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch (err) {
        reject(new Error(`${script}: not JSON: ${line}`));
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready\n${stderr}`));
    });
  });
  return {
    info,
    child,
    exited,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export const startServer = (args, opts) => startProcess('main.mjs', ['--quiet', ...args], opts);
export const startProxy = (args, opts) => startProcess('proxy.mjs', ['--quiet', ...args], opts);
