/**
 * What the shared dist files require from Node, given to them in the web worker (see loader.ts).
 * Hashing, random ids, UTF-8 checks and path arithmetic have web equivalents; everything else
 * (files, processes, the inspector) belongs to features that need Node, and a call says so in one
 * line instead of failing somewhere deeper.
 */
import { Sha256 } from './sha256';

export const WEB_HOST_NAME = 'VS Code for the Web';

/** The error a Node-only call throws in the web worker. */
export class NeedsNodeError extends Error {
  constructor(what: string) {
    super(`${what} needs Node.js: it is not available in ${WEB_HOST_NAME}`);
  }
}

const encoder = new TextEncoder();
const bytesOf = (data: Uint8Array | string) => (typeof data === 'string' ? encoder.encode(data) : data);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Bytes that print as node's Buffer does for the encodings the code asks for. */
function printable(bytes: Uint8Array): Uint8Array {
  return Object.assign(bytes, { toString: (encoding?: string) => (encoding === 'base64' ? base64(bytes) : hex(bytes)) });
}

const crypto = {
  createHash(algorithm: string) {
    if (algorithm !== 'sha256') throw new NeedsNodeError(`the hash ${algorithm}`);
    const hash = new Sha256();
    const api = {
      update: (data: Uint8Array | string) => (hash.update(bytesOf(data)), api),
      digest: (encoding?: string) => {
        const bytes = hash.digest();
        return encoding === 'hex' ? hex(bytes) : encoding === 'base64' ? base64(bytes) : printable(bytes);
      },
    };
    return api;
  },
  randomBytes: (n: number) => printable(globalThis.crypto.getRandomValues(new Uint8Array(n))),
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const buffer = {
  isUtf8(bytes: Uint8Array): boolean {
    try {
      strictUtf8.decode(bytes);
      return true;
    } catch {
      return false;
    }
  },
};

/** POSIX path arithmetic (node:path's posix half), for the paths the core joins and compares. */
function normalizeParts(parts: string[], absolute: boolean): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return out;
}
const normalize = (p: string) => {
  const absolute = p.startsWith('/');
  const joined = normalizeParts(p.split('/'), absolute).join('/');
  return (absolute ? '/' : '') + joined || (absolute ? '/' : '.');
};
const pathShim = {
  sep: '/',
  delimiter: ':',
  normalize,
  isAbsolute: (p: string) => p.startsWith('/'),
  join: (...parts: string[]) => normalize(parts.filter(Boolean).join('/') || '.'),
  resolve: (...parts: string[]) => {
    let p = '';
    for (let i = parts.length - 1; i >= 0 && !p.startsWith('/'); i--) p = parts[i] + (p ? '/' + p : '');
    return normalize(p.startsWith('/') ? p : '/' + p);
  },
  dirname: (p: string) => {
    const trimmed = p.replace(/\/+$/, '');
    const i = trimmed.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : trimmed.slice(0, i);
  },
  basename: (p: string, ext?: string) => {
    const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
    return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
  },
  extname: (p: string) => {
    const base = pathShim.basename(p);
    const i = base.lastIndexOf('.');
    return i <= 0 ? '' : base.slice(i);
  },
  relative: (from: string, to: string) => {
    const a = pathShim.resolve(from).split('/').filter(Boolean);
    const b = pathShim.resolve(to).split('/').filter(Boolean);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
  },
  get posix() {
    return pathShim;
  },
};

/**
 * A module whose every export is a function that throws `NeedsNodeError`. The unknown names live
 * on the prototype, where esbuild's interop (`__toESM`, which copies own names) still finds them.
 */
function nodeOnly(name: string): object {
  const proto = new Proxy(
    {},
    {
      get: (_, key) =>
        typeof key !== 'string' || key === '__esModule' || key === 'then' || key === 'default'
          ? undefined
          : () => {
              throw new NeedsNodeError(`${name}.${key}`);
            },
    },
  );
  return Object.create(proto) as object;
}

/** The modules by the name the dist files require them with (without `node:`). */
export const nodeShims = new Map<string, unknown>([
  ['crypto', crypto],
  ['buffer', buffer],
  ['path', pathShim],
  ...['fs', 'fs/promises', 'os', 'child_process', 'inspector'].map((name): [string, unknown] => [name, nodeOnly(name)]),
]);

/** `process` for the dist files: no environment, no CPU clock; the pid only names temp files. */
export const processShim = {
  env: {} as Record<string, string | undefined>,
  pid: 1,
  platform: 'browser',
  versions: {} as Record<string, string>,
  execPath: '',
  cpuUsage: () => ({ user: 0, system: 0 }),
  kill: () => {
    throw new NeedsNodeError('process.kill');
  },
};
