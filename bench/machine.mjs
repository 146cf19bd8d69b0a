// The machine a report was measured on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

const versionOf = (root, name) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

/** Date, CPU, cores, OS, Node, browser, load average, and the competitors' versions. */
export async function machine(browser, root) {
  return {
    versions: {
      stompjs: versionOf(root, '@stomp/stompjs'),
      webstompClient: versionOf(root, 'webstomp-client'),
      sockjsClient: versionOf(root, 'sockjs-client'),
    },
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() || 'unknown CPU',
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    browser: `Chromium ${browser.version()} (headless)`,
    loadStart: os.loadavg()[0],
  };
}
