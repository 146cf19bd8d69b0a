// A raw HTTP GET that sends the path exactly as given (no URL normalising),
// so traversal attempts reach the server as written.

import http from 'node:http';

export function rawGet(baseUrl, rawPath, { method = 'GET' } = {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path: rawPath, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}
