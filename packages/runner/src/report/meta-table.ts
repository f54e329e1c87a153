import { formatTimestampUs } from './format.js';
import { escapeHtml } from './html.js';

/** run_meta keys in the order the run store documents them; any others follow alphabetically. */
const KEY_ORDER = [
  'strategy',
  'started_at',
  'params',
  'config',
  'argv',
  'data_path',
  'data_fingerprint',
  'code_version',
];

/** A value that holds JSON (params, config, argv) pretty-printed; anything else as text. */
function valueHtml(value: string): string {
  const t = value.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return `<pre>${escapeHtml(JSON.stringify(JSON.parse(t), null, 2))}</pre>`;
    } catch {
      // not JSON after all: shown as text
    }
  }
  return escapeHtml(value);
}

/** Key/value rows as an HTML table. */
export function keyValueTableHtml(rows: readonly (readonly [string, string])[]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${valueHtml(v)}</td></tr>`);
  return `<table class="kv"><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** run_meta without 'summary' (the report shows that as metrics and headline figures). */
export function metaRows(meta: ReadonlyMap<string, string>): [string, string][] {
  const keys = [...meta.keys()].filter((k) => k !== 'summary');
  const rank = (k: string) => {
    const i = KEY_ORDER.indexOf(k);
    return i < 0 ? KEY_ORDER.length : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((k) => [k, meta.get(k) ?? '']);
}

/** The summary's headline figures (everything but `metrics`): timestamps in UTC, objects as JSON. */
export function summaryRows(summary: Readonly<Record<string, unknown>>): [string, string][] {
  return Object.entries(summary)
    .filter(([k]) => k !== 'metrics')
    .map(([k, v]) => {
      if (k.endsWith('_ts') && typeof v === 'number') return [k, `${formatTimestampUs(v)} UTC`];
      return [k, typeof v === 'string' ? v : JSON.stringify(v)];
    });
}
