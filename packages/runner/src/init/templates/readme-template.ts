import { type DependencyPlan, VENDOR_DIR } from '../dependency-plan.js';

/** The generated project's `README.md`: its two commands first, then what each file is for. */
export function readmeTemplate(name: string, plan: DependencyPlan): string {
  const vendorRow =
    plan.kind === 'vendored'
      ? `| \`${VENDOR_DIR}/\` | \`@botplatform/*\` packed from a BotPlatform checkout (see below); commit it |\n`
      : '';
  return `# ${name}

A trading strategy for BotPlatform: one strategy module
(\`src/strategy.ts\`), a test that backtests it, and the run config the backtests use. The
same module runs in \`botp backtest\`, and later in \`botp live --paper\` and \`botp live\`.

## Quick start

Needs Node ≥ 20.19 and npm.

\`\`\`sh
# 1. install, generate 2 minutes of synthetic market data and backtest the strategy on it
npm install && npm run demo

# 2. run the tests
npm test
\`\`\`

With pnpm: \`pnpm install && pnpm demo\`, then \`pnpm test\`.

\`npm run demo\` writes \`data/demo.duckdb\` (a deterministic synthetic BTCUSDT perpetual: depth
snapshot and 100 ms diffs, trades, book tickers, mark prices, feed latency with spikes), prints
the run's summary and writes \`runs/demo/summary.json\` and \`runs/demo/fills.csv\`.

## What is here

| path | what it holds |
| --- | --- |
| \`src/strategy.ts\` | the strategy and its params: order-book and trade-flow imbalance entries, a reduce-only take-profit, a stop |
| \`test/strategy.test.ts\` | backtests the strategy on a market it generates: it trades, no order is rejected, two runs give the same fills |
| \`botp.config.json\` | the run config (\`--config\`): risk limits checked before every order leaves |
${vendorRow}
## Working on it

| command | what it does |
| --- | --- |
| \`npm run backtest\` | backtests as \`botp.config.json\` says (strategy, data, models, params, risk); writes a run folder \`runs/<strategy>-<time>/\` with report.html |
| \`npm run backtest -- --params '{"threshold":0.6}'\` | the same with other params (checked against the strategy's zod schema) |
| \`npm run backtest -- --latency constant:5000 --queue prob-power:3\` | other order-latency and queue-position models |
| \`npm run data\` | regenerates \`data/demo.duckdb\` |
| \`npm run typecheck\` | a strict type check of \`src/\` and \`test/\` |
| \`npx botp backtest --help\` | every flag, and the simulation models' formulas |
| \`npx botp import normalized <file.jsonl> --db data/my.duckdb\` | imports your own market data (normalized event lines) |

The strategy is plain TypeScript that \`botp\` runs as is: no build step. Everything it does goes
through \`ctx\` (\`placeOrder\`, \`cancelOrder\`, \`position\`, \`book\`, \`signals\`, timers, \`log\`), so
what you backtest is what runs live. Orders the exchange or the risk limits refuse come back
to \`onOrderUpdate\` as \`rejected\` with the reason.

## Where \`@botplatform/*\` comes from

${dependencySection(plan)}

## Caveats

This template is an example, not an edge. On BTCUSDT a tick (0.1) is 0.0002 % of the price
while a maker fee is 0.02 %: a round trip pays about 200 ticks in fees, hence the default
200-tick take-profit. The synthetic market is a random walk with no signal to find: there the
strategy loses roughly its fees. A backtest on L2 data only estimates queue position: prefer conservative models
(\`--queue risk-averse\`, a realistic \`--latency\`) before trusting a result on real data.
`;
}

function dependencySection(plan: DependencyPlan): string {
  if (plan.kind === 'registry') {
    return `\`package.json\` depends on the published \`@botplatform/runner\` and \`@botplatform/sdk\` (\`${plan.version}\`).`;
  }
  const version = plan.packages.find((p) => p.name === '@botplatform/sdk')?.version ?? '';
  const files = plan.packages.map((p) => `\`${VENDOR_DIR}/${p.fileName}\``).join(', ');
  return `\`@botplatform/*\` is not on the npm registry yet, so \`botp init\` packed the packages of your
BotPlatform checkout (${version}) into ${files}: the tarballs a publish would produce, with the
monorepo's \`workspace:*\` links turned into that version. \`package.json\` installs them from
there (\`file:${VENDOR_DIR}/…\`), and \`overrides\` (npm) and \`pnpm.overrides\` point every
\`@botplatform/*\` name at those files — the runner's own dependencies on \`@botplatform/sim\` and
\`@botplatform/exchanges\` included — so none is ever looked up on the registry. Commit
\`${VENDOR_DIR}/\`: the project then installs anywhere, with or without the checkout.

To take a newer BotPlatform: build the updated checkout, run its \`botp init\` into a scratch
directory, copy that \`${VENDOR_DIR}/\` over this one (and the new file names into \`package.json\`
if the version changed), then reinstall: \`rm -rf node_modules package-lock.json && npm install\`.

Once \`@botplatform/*\` is published: set \`@botplatform/runner\` and \`@botplatform/sdk\` in
\`package.json\` to a version, delete the \`@botplatform/*\` entries of \`overrides\` and
\`pnpm.overrides\` and the \`${VENDOR_DIR}/\` folder, and reinstall (\`botp init --sdk-version
<version>\` writes that form).`;
}
