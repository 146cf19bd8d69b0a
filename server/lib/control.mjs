// Optional test hook (--control <path>): lets a test list the live sessions
// and close them all from the server side with a chosen code, e.g.
//   POST <path>/close?code=3000&reason=Go%20away!   -> {"closed": N}
//   GET  <path>/sessions                            -> {"count": N, "sessions": [...]}

import { send } from './static-files.mjs';
import { requestUrl } from './request-url.mjs';

/**
 * @param {string} base e.g. "/_control"
 * @param {import('./session.mjs').SessionRegistry} registry
 * @returns {(req, res) => boolean}
 */
export function createControlHandler(base, registry) {
  return function handleControl(req, res) {
    const url = requestUrl(req);
    if (url.pathname !== base && !url.pathname.startsWith(base + '/')) return false;
    const action = url.pathname.slice(base.length);
    if (action === '/sessions' && req.method === 'GET') {
      json(res, 200, { count: registry.size, sessions: registry.list() });
    } else if (action === '/close' && req.method === 'POST') {
      const code = Number(url.searchParams.get('code') ?? 1000);
      const reason = url.searchParams.get('reason') ?? 'Closed by server';
      if (!Number.isInteger(code) || code < 1000 || code > 4999) {
        json(res, 400, { error: 'code must be an integer in 1000..4999' });
      } else {
        json(res, 200, { closed: registry.closeAll(code, reason) });
      }
      req.resume();
    } else {
      json(res, 404, { error: 'unknown control action', actions: ['GET /sessions', 'POST /close?code=&reason='] });
    }
    return true;
  };
}

function json(res, status, value) {
  send(res, status, JSON.stringify(value) + '\n', { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
}
