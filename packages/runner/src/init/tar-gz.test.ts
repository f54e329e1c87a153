import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type TarEntry, tarGz } from './tar-gz.js';

/** A minimal ustar reader: enough to check what tarGz wrote, header checksums included. */
function untar(gz: Buffer): Array<{ path: string; data: Buffer; mode: number; mtime: number }> {
  const tar = gunzipSync(gz);
  const out: Array<{ path: string; data: Buffer; mode: number; mtime: number }> = [];
  const str = (h: Buffer, at: number, len: number) =>
    h
      .subarray(at, at + len)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let off = 0; off < tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    expect(Number.parseInt(str(h, 148, 8).trim(), 8)).toBe(sum);
    expect(str(h, 257, 6)).toBe('ustar');
    const name = str(h, 0, 100);
    const prefix = str(h, 345, 155);
    const size = Number.parseInt(str(h, 124, 12), 8);
    out.push({
      path: prefix ? `${prefix}/${name}` : name,
      data: Buffer.from(tar.subarray(off + 512, off + 512 + size)),
      mode: Number.parseInt(str(h, 100, 8), 8),
      mtime: Number.parseInt(str(h, 136, 12), 8),
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const longDir = `package/${'a'.repeat(60)}/${'b'.repeat(60)}`;
const entries: TarEntry[] = [
  { path: 'package/package.json', data: Buffer.from('{"name":"x"}\n') },
  { path: 'package/empty.txt', data: Buffer.alloc(0) },
  { path: 'package/block.bin', data: Buffer.alloc(512, 7), mode: 0o755 },
  { path: `${longDir}/file-with-a-long-name.js`, data: Buffer.from('export {};\n') },
  { path: 'package/unicode-ü.md', data: Buffer.from('π ≈ 3.14\n') },
];

const tmp = mkdtempSync(join(tmpdir(), 'botp-tar-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tarGz', () => {
  it('round-trips paths, contents and modes, long paths through the ustar prefix', () => {
    const files = untar(tarGz(entries));
    expect(files.map((f) => f.path)).toEqual(entries.map((e) => e.path));
    files.forEach((f, i) => {
      expect(f.data.equals(entries[i]!.data)).toBe(true);
      expect(f.mode).toBe(entries[i]!.mode ?? 0o644);
      expect(f.mtime).toBe(Date.UTC(1985, 9, 26, 8, 15) / 1000); // npm pack's fixed date
    });
  });

  it('is byte-for-byte deterministic', () => {
    expect(tarGz(entries).equals(tarGz(entries))).toBe(true);
  });

  it('refuses a path ustar cannot hold', () => {
    expect(() => tarGz([{ path: `package/${'x'.repeat(120)}`, data: Buffer.alloc(1) }])).toThrow(/too long/);
  });

  const hasTar = spawnSync('tar', ['--version']).status === 0;
  it.skipIf(!hasTar)('is read by the system tar', () => {
    const file = join(tmp, 'a.tgz');
    writeFileSync(file, tarGz(entries));
    const r = spawnSync('tar', ['-xzf', file, '-C', tmp], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const e of entries) expect(readFileSync(join(tmp, e.path)).equals(e.data)).toBe(true);
  });
});
