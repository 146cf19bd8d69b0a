// Static directories mounted at URL prefixes ("/" -> www, "/pkg" -> pkg).
// GET and HEAD only; directories serve their index.html; nothing outside a
// mounted directory is ever read (".." and encoded forms are refused).

import fs from 'node:fs';
import path from 'node:path';

const TEXT = '; charset=utf-8';
export const MIME_TYPES = {
  '.html': 'text/html' + TEXT,
  '.htm': 'text/html' + TEXT,
  '.js': 'text/javascript' + TEXT,
  '.mjs': 'text/javascript' + TEXT,
  '.cjs': 'text/javascript' + TEXT,
  '.css': 'text/css' + TEXT,
  '.json': 'application/json' + TEXT,
  '.map': 'application/json' + TEXT,
  '.wasm': 'application/wasm',
  '.ts': 'text/plain' + TEXT,
  '.txt': 'text/plain' + TEXT,
  '.md': 'text/markdown' + TEXT,
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function mimeType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Parses "--static" values "<urlPrefix>=<dir>". */
export function parseMount(spec, cwd = process.cwd()) {
  const at = spec.indexOf('=');
  if (at < 1) throw new Error(`bad --static ${JSON.stringify(spec)}: expected <urlPrefix>=<dir>`);
  let prefix = spec.slice(0, at);
  if (!prefix.startsWith('/')) prefix = '/' + prefix;
  if (prefix.length > 1) prefix = prefix.replace(/\/+$/, '');
  return { prefix, dir: path.resolve(cwd, spec.slice(at + 1)) };
}

/**
 * Parses a "--header" value "Name: value" into [name, value]. Throws on anything else (a
 * name that is not an HTTP token, a value with CR, LF or NUL).
 */
export function parseHeader(spec) {
  const at = spec.indexOf(':');
  const name = at < 0 ? '' : spec.slice(0, at).trim();
  const value = at < 0 ? '' : spec.slice(at + 1).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
    throw new Error(`bad --header ${JSON.stringify(spec)}: expected "Name: value"`);
  }
  return [name, value];
}

/**
 * @param {{prefix: string, dir: string}[]} mounts
 * @param {{headers?: [string, string][]}} [o] headers added to every file served (e.g. a
 *   Content-Security-Policy for the pages)
 * @returns {(req, res) => boolean} true when a mount took the request
 */
export function createStaticHandler(mounts, { headers = [] } = {}) {
  // Longest prefix first, so "/pkg" wins over "/".
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);

  return function handleStatic(req, res) {
    const rawPath = (req.url ?? '/').split('?')[0].split('#')[0];
    const mount = sorted.find((m) => m.prefix === '/' || rawPath === m.prefix || rawPath.startsWith(m.prefix + '/'));
    if (!mount) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return true;
    }
    let rel;
    try {
      rel = decodeURIComponent(mount.prefix === '/' ? rawPath : rawPath.slice(mount.prefix.length));
    } catch {
      send(res, 400, 'Bad request\n');
      return true;
    }
    if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) {
      send(res, 403, 'Forbidden\n');
      return true;
    }
    const file = path.resolve(mount.dir, '.' + path.posix.normalize('/' + rel));
    if (file !== mount.dir && !file.startsWith(mount.dir + path.sep)) {
      send(res, 403, 'Forbidden\n');
      return true;
    }
    serveFile(req, res, file, rawPath, headers);
    return true;
  };
}

function serveFile(req, res, file, rawPath, extra) {
  fs.stat(file, (err, stat) => {
    if (err) return send(res, 404, 'Not found\n');
    if (stat.isDirectory()) {
      if (!rawPath.endsWith('/')) {
        const query = (req.url ?? '').slice(rawPath.length);
        // One leading slash only: "//host/dir" must not become a redirect off-site.
        return send(res, 301, 'Moved\n', { Location: '/' + rawPath.replace(/^\/+/, '') + '/' + query });
      }
      return serveFile(req, res, path.join(file, 'index.html'), rawPath, extra);
    }
    if (!stat.isFile()) return send(res, 404, 'Not found\n');
    const headers = {
      'Content-Type': mimeType(file),
      'Content-Length': stat.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    };
    for (const [name, value] of extra) headers[name] = value;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
}

export function send(res, status, body, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
