import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageManifest } from './installed-packages.js';
import { packageFiles, packPackage, publishManifest, tarballName } from './package-tarball.js';

const tmp = mkdtempSync(join(tmpdir(), 'botp-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const manifest: PackageManifest = {
  name: '@botplatform/runner',
  version: '0.3.1',
  main: './dist/index.js',
  files: ['dist', 'README.md'],
  dependencies: { '@botplatform/sdk': 'workspace:*', '@botplatform/sim': 'workspace:^', zod: '4.6.7' },
  devDependencies: { '@botplatform/testing': 'workspace:*', vitest: '4.1.12' },
};

function fixture(): string {
  const dir = join(tmp, 'runner');
  for (const [rel, text] of [
    ['package.json', JSON.stringify(manifest)],
    ['README.md', '# runner\n'],
    ['LICENSE', 'MIT\n'],
    ['dist/index.js', 'export {};\n'],
    ['dist/cli/bin.js', '#!/usr/bin/env node\n'],
    ['dist/.tsbuildinfo', '{}'],
    ['src/index.ts', 'export {};\n'],
    ['notes.txt', 'not published\n'],
  ] as const) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** Paths of a tarball's entries (ustar names are at the start of each 512-byte header). */
function paths(tgz: Buffer): string[] {
  const tar = gunzipSync(tgz);
  const out: string[] = [];
  for (let off = 0; off < tar.length && tar[off] !== 0; ) {
    out.push(
      tar
        .subarray(off, off + 100)
        .toString('utf8')
        .replace(/\0.*$/s, ''),
    );
    off += 512 + Math.ceil(Number.parseInt(tar.subarray(off + 124, off + 136).toString(), 8) / 512) * 512;
  }
  return out;
}

describe('packing a package for vendor/', () => {
  const versions = new Map([
    ['@botplatform/sdk', '0.3.1'],
    ['@botplatform/sim', '0.3.0'],
  ]);

  it('names the file as npm pack does', () => {
    expect(tarballName('@botplatform/sdk', '0.1.0')).toBe('botplatform-sdk-0.1.0.tgz');
    expect(tarballName('plain', '1.2.3')).toBe('plain-1.2.3.tgz');
  });

  it('resolves workspace: specs to the packed versions and drops devDependencies', () => {
    const out = publishManifest(manifest, versions);
    expect(out.dependencies).toEqual({
      '@botplatform/sdk': '0.3.1',
      '@botplatform/sim': '0.3.0',
      zod: '4.6.7',
    });
    expect(out).not.toHaveProperty('devDependencies');
    expect(out.name).toBe('@botplatform/runner');
    expect(() => publishManifest(manifest, new Map())).toThrow(/no packed version for @botplatform\/sdk/);
  });

  it('includes what a publish would: files, package.json, README and LICENSE, no build cache', () => {
    const dir = fixture();
    expect(packageFiles(dir, manifest)).toEqual(['LICENSE', 'README.md', 'dist/cli/bin.js', 'dist/index.js']);
    const packed = packPackage({ dir, manifest }, versions);
    expect(packed.fileName).toBe('botplatform-runner-0.3.1.tgz');
    expect(paths(packed.data)).toEqual([
      'package/package.json',
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli/bin.js',
      'package/dist/index.js',
    ]);
  });

  it('refuses "files" globs rather than guess', () => {
    expect(() => packageFiles(fixture(), { ...manifest, files: ['dist/**/*.js'] })).toThrow(/globs/);
  });
});
