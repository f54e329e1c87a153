import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { UserError } from '../../cli/user-error.js';

/** How an input file is stored, told by its first bytes (not its name, which users rename). */
export type InputEncoding = 'zip' | 'gzip' | 'plain';

/** Reads the file's magic number: `PK\x03\x04` is a zip, `\x1f\x8b` gzip, anything else text. */
export async function inputEncoding(file: string): Promise<InputEncoding> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
      return 'zip';
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    return 'plain';
  } finally {
    await handle.close();
  }
}

/**
 * The text lines of an input file, streamed and decompressed on the fly: a zip holding one file
 * (read through yauzl, never extracted), a gzip file, or plain text. Lines come in batches, one
 * per chunk read (~64 KB), so the per-line cost is a string slice, not an await. Line ends (LF
 * or CRLF) and a leading UTF-8 BOM are dropped; the last line needs no newline. Stopping the
 * iteration early (break or throw) closes the file. A file that cannot be decompressed is a
 * UserError naming it.
 */
export async function* inputLineBatches(file: string): AsyncGenerator<string[], void, undefined> {
  const encoding = await inputEncoding(file);
  let zip: yauzl.ZipFile | undefined;
  let stream: Readable;
  try {
    if (encoding === 'zip') {
      zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
      stream = await zip.openReadStreamPromise(await singleEntry(zip, file));
    } else if (encoding === 'gzip') {
      const gunzip = createGunzip();
      // pipeline() forwards a read error of the file into the gunzip stream we iterate.
      stream = pipeline(createReadStream(file), gunzip, () => {});
    } else {
      stream = createReadStream(file);
    }
  } catch (err) {
    zip?.close();
    throw unreadable(file, encoding, err);
  }
  stream.setEncoding('utf8');
  const chunks = stream[Symbol.asyncIterator]();
  let rest = '';
  let first = true;
  try {
    while (true) {
      let chunk: string;
      try {
        const next = await chunks.next();
        if (next.done) break;
        chunk = next.value as string;
      } catch (err) {
        throw unreadable(file, encoding, err);
      }
      if (first) {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      const batch = splitLines(rest + chunk);
      rest = batch.pop() ?? '';
      if (batch.length > 0) yield batch;
    }
    if (rest !== '') yield [stripCr(rest)];
  } finally {
    stream.destroy();
    zip?.close();
  }
}

/** Complete lines of `text`, plus the unfinished tail as the last element. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let nl = text.indexOf('\n', start);
  while (nl !== -1) {
    out.push(stripCr(text.slice(start, nl)));
    start = nl + 1;
    nl = text.indexOf('\n', start);
  }
  out.push(text.slice(start));
  return out;
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** The one file inside the archive (Binance's archives hold exactly one CSV). */
async function singleEntry(zip: yauzl.ZipFile, file: string): Promise<yauzl.Entry> {
  const files: yauzl.Entry[] = [];
  for await (const entry of zip.eachEntry()) {
    if (!entry.fileName.endsWith('/')) files.push(entry);
  }
  if (files.length !== 1) {
    const names = files.map((e) => e.fileName).join(', ');
    throw new UserError(
      `${file} holds ${files.length} files${names ? ` (${names})` : ''}; pass a zip holding exactly one CSV, or the CSV itself`,
    );
  }
  return files[0]!;
}

function unreadable(file: string, encoding: InputEncoding, err: unknown): Error {
  if (err instanceof UserError) return err;
  const why = err instanceof Error ? err.message : String(err);
  const what = encoding === 'plain' ? 'file' : `${encoding} file`;
  return new UserError(`${file}: cannot read it as a ${what} (${why}); is the download complete?`);
}
