import { gzipSync } from 'node:zlib';

/** One regular file of a tarball. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated, relative (e.g. `package/dist/index.js`). */
  readonly path: string;
  readonly data: Buffer;
  /** Unix permission bits; default 0o644. */
  readonly mode?: number;
}

const BLOCK = 512;
/** The fixed mtime `npm pack` gives every entry, so the same files always give the same bytes. */
const NPM_PACK_MTIME_S = Date.UTC(1985, 9, 26, 8, 15) / 1000;

/**
 * A gzipped ustar archive of regular files, as npm and pnpm read package tarballs. Written
 * here rather than by spawning `npm pack` so `botp init` needs neither npm nor a shell, and
 * the output is byte-for-byte deterministic (fixed mtime, no owner names).
 */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.path, e.data.length, e.mode ?? 0o644));
    parts.push(e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK)); // end-of-archive marker
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function header(path: string, size: number, mode: number): Buffer {
  const { name, prefix } = splitPath(path);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, NPM_PACK_MTIME_S);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return h;
}

/** ustar keeps 100 bytes of name plus a 155-byte directory prefix. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`tar: path too long for a ustar archive: ${path}`);
}

function octal(h: Buffer, offset: number, width: number, value: number): void {
  h.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
