// A small command-line flag parser: "--name value", "--name=value", boolean
// "--flag" and "--no-flag", repeatable list flags. Unknown flags are errors.

/**
 * @param {string[]} argv
 * @param {Record<string, {type: 'string'|'number'|'boolean'|'list', default?: any}>} spec
 */
export function parseArgs(argv, spec) {
  const out = {};
  for (const [name, s] of Object.entries(spec)) {
    out[camel(name)] = s.type === 'list' ? [] : s.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    let [name, value] = splitOnce(arg.slice(2), '=');
    const s = spec[name];
    if (!s && name.startsWith('no-') && spec[name.slice(3)]?.type === 'boolean' && value === undefined) {
      out[camel(name.slice(3))] = false;
      continue;
    }
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`--${name} takes no value`);
      out[camel(name)] = true;
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (s.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} wants a number, got ${JSON.stringify(value)}`);
      out[camel(name)] = n;
    } else if (s.type === 'list') {
      out[camel(name)].push(value);
    } else {
      out[camel(name)] = value;
    }
  }
  return out;
}

export class UsageError extends Error {}

function camel(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function splitOnce(text, sep) {
  const at = text.indexOf(sep);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
