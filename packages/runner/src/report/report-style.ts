/** The report page's own stylesheet (uPlot's is inlined beside it). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 0; }
.sub, .caption, .hint { color: var(--muted); margin: 0; }
.caption { font-size: 12px; }
.note { background: #fff7ed; border: 1px solid #fed7aa; padding: 8px 12px; border-radius: 6px; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 500; color: #334155; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pos { color: #15803d; }
td.neg { color: #b91c1c; }
.metric-columns { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.metrics { min-width: 380px; }
.kv td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.kv pre { margin: 0; white-space: pre-wrap; }
.toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
button { font: inherit; padding: 3px 10px; border: 1px solid #cbd5e1; border-radius: 5px; background: #fff; cursor: pointer; }
figure.chart { margin: 0 0 18px; padding: 10px 12px; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
figure.chart .plot { width: 100%; min-height: 40px; }
.no-data { margin: 10px 0 4px; padding: 18px; text-align: center; color: var(--muted); border: 1px dashed #cbd5e1; border-radius: 6px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 18px; }
.u-legend { font-size: 12px; }
`;
