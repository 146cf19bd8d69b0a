// The path and query of a request's URL, without `new URL()` (which throws on
// request targets like "//" or "//[x" that a client may well send).

/** @returns {{pathname: string, searchParams: URLSearchParams}} */
export function requestUrl(req) {
  const raw = String(req.url ?? '/').split('#')[0];
  const at = raw.indexOf('?');
  return {
    pathname: at === -1 ? raw : raw.slice(0, at),
    searchParams: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)),
  };
}
