// Where the fault tests find the run's own RabbitMQ: the same environment variables as the
// other suites (scripts/test.sh exports test-output/rabbitmq/env), and how they restart it
// (scripts/rabbitmq.sh with the same TEST_RABBITMQ_* settings, so the rest of the run keeps
// the same broker on the same ports).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../js/support/browser.mjs';

export const RABBITMQ = {
  wsUrl: process.env.RABBITMQ_WS_URL,
  stompHost: process.env.RABBITMQ_STOMP_HOST || '127.0.0.1',
  stompPort: process.env.RABBITMQ_STOMP_PORT,
};

/** A skip reason when the broker's URLs are not in the environment, else false. */
export const skipWithoutRabbitMQ =
  RABBITMQ.wsUrl && RABBITMQ.stompPort
    ? false
    : 'RABBITMQ_WS_URL / RABBITMQ_STOMP_PORT are unset: start a broker with `scripts/rabbitmq.sh start` and export test-output/rabbitmq/env';

/** The relay's `--broker` argument: RabbitMQ's STOMP TCP port. */
export const brokerTcpUrl = () => `tcp://${RABBITMQ.stompHost}:${RABBITMQ.stompPort}`;

/**
 * Runs `scripts/rabbitmq.sh cmd` (start | stop | status) with this process's environment.
 * Resolves with its output; rejects with it when the script fails.
 */
export function rabbitmq(cmd, timeoutMs = 150_000) {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts/rabbitmq.sh'), cmd], { cwd: ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scripts/rabbitmq.sh ${cmd} failed (${err.code ?? err.signal}): ${stderr}${stdout}`));
      else resolve(stdout + stderr);
    });
  });
}

/**
 * Saves a test's figures as test-output/faults/NAME.json, for the release note; returns the
 * path.
 */
export async function saveFigures(name, figures) {
  const dir = join(ROOT, 'test-output/faults');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(figures, null, 2) + '\n');
  return path;
}
