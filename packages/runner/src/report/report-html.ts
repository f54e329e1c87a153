import type { RunMetrics } from '../run-store/run-metrics.js';
import type { ChartSpec, ReportPayload } from './chart-spec.js';
import { formatTimestampUs } from './format.js';
import { escapeHtml, inlineSafe, jsonForScript } from './html.js';
import { keyValueTableHtml, metaRows, summaryRows } from './meta-table.js';
import { metricsTableHtml } from './metrics-table.js';
import { reportClientScript } from './report-client.js';
import { REPORT_CSS } from './report-style.js';
import { uplotAssets } from './uplot-assets.js';

/** Everything the page shows, already read and shaped. */
export interface ReportModel {
  /** The run folder's name. */
  readonly runName: string;
  readonly strategy: string;
  readonly symbols: readonly string[];
  /** µs; null for a run with no rows. */
  readonly span: { readonly start: number; readonly end: number } | null;
  readonly metrics: RunMetrics | null;
  /** Why the metrics are missing, when they are. */
  readonly metricsNote: string;
  readonly meta: ReadonlyMap<string, string>;
  /** summary.json without its metrics; null when the run has none. */
  readonly summary: Readonly<Record<string, unknown>> | null;
  readonly payload: ReportPayload;
}

function chartHtml(c: ChartSpec): string {
  const body =
    c.x.length === 0 ? `<p class="no-data">No data: ${escapeHtml(c.empty)}.</p>` : '<div class="plot"></div>';
  return `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}">
<figcaption><h3>${escapeHtml(c.title)}</h3><p class="caption">${escapeHtml(c.caption)}</p></figcaption>
${body}
</figure>`;
}

/** The whole report as one self-contained HTML document (uPlot, data and script inlined). */
export function reportHtml(m: ReportModel): string {
  const { js, css } = uplotAssets();
  const period = m.span
    ? `${formatTimestampUs(m.span.start)} → ${formatTimestampUs(m.span.end)} UTC`
    : 'no recorded activity';
  const subtitle = [m.runName, m.symbols.join(', '), period].filter(Boolean).join(' · ');
  const runCharts = m.payload.charts.filter((c) => c.xKind === 'run');
  const otherCharts = m.payload.charts.filter((c) => c.xKind !== 'run');
  const metrics = m.metrics
    ? metricsTableHtml(m.metrics)
    : `<p class="note">Metrics unavailable: ${escapeHtml(m.metricsNote)}.</p>`;
  const meta = metaRows(m.meta);
  const summary = m.summary ? summaryRows(m.summary) : [];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${m.strategy} — ${m.runName} — botp report`)}</title>
<link rel="icon" href="data:,">
<style>${inlineSafe(css, 'style')}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(m.strategy)}</h1>
<p class="sub">${escapeHtml(subtitle)}</p>
</header>
<main>
<section id="metrics">
<h2>Metrics</h2>
${metrics}
</section>
<section id="timeline">
<h2>Over time</h2>
<div class="toolbar"><button id="reset-zoom" type="button">Reset zoom</button>
<p class="hint">Drag across a chart to zoom all of them; zoomed in far enough, every tick is drawn. Double-click or Reset zoom shows the whole run again. Times are UTC.</p></div>
${runCharts.map(chartHtml).join('\n')}
</section>
<section id="breakdown">
<h2>Breakdown</h2>
<div class="grid">
${otherCharts.map(chartHtml).join('\n')}
</div>
</section>
<section id="run">
<h2>Run</h2>
${meta.length > 0 ? keyValueTableHtml(meta) : '<p class="note">No run metadata recorded.</p>'}
${summary.length > 0 ? `<h3 style="margin-top:14px">Summary</h3>\n${keyValueTableHtml(summary)}` : ''}
</section>
</main>
<script type="application/json" id="report-data">${jsonForScript(m.payload)}</script>
<script>${inlineSafe(js, 'script')}</script>
<script>${inlineSafe(reportClientScript(), 'script')}</script>
</body>
</html>
`;
}
