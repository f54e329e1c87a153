import { META_UNSORTED } from '../../schema.js';
import type { CheckResult } from '../check-result.js';

/**
 * The `meta` mark a writer leaves while `events` may be out of order and clears once it has
 * sorted them; still set means the write was interrupted, and replays refuse the file.
 */
export function unsortedMarkResult(marked: boolean): CheckResult {
  return {
    id: 'unsorted-mark',
    title: `meta: no '${META_UNSORTED}' mark (left by an interrupted write; replays refuse the file)`,
    severity: 'problem',
    count: marked ? 1 : 0,
    examples: marked
      ? [
          {
            row: null,
            localTs: null,
            exchange: null,
            symbol: null,
            detail: `meta ${META_UNSORTED} = true: re-run the import (or open the file with any botp writer) to sort it`,
          },
        ]
      : [],
  };
}
