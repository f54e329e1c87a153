import { closeSync, openSync, writeSync } from 'node:fs';
import type { Fill } from '@botplatform/sdk';
import { FILLS_CSV_HEADER, fillToCsv } from './fills-csv.js';

/**
 * Streams fills to a CSV file as they happen, so a long run keeps no fill in memory.
 * Lines are buffered and written in blocks; `close` writes the rest.
 */
export class FillsCsvWriter {
  private readonly fd: number;
  private buffer: string[] = [];

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    this.buffer.push(FILLS_CSV_HEADER);
  }

  write(fill: Fill): void {
    this.buffer.push(fillToCsv(fill));
    if (this.buffer.length >= 4096) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
  }
}
