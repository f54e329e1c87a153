/** The generated project's `.gitignore`. vendor/ stays in: the project installs from it. */
export function gitignoreTemplate(): string {
  return [
    'node_modules/',
    '# written by npm run data / demo / backtest',
    'data/*.duckdb',
    'data/*.duckdb.wal',
    'runs/',
    '',
  ].join('\n');
}
