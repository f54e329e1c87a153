import { downsampleIndices, lowerBound } from './downsample.js';
import { formatTimestampUs } from './format.js';

/**
 * Functions the page shares with the renderer, inlined from their compiled source so the
 * downsampling the tests check is the one the page runs.
 */
const SHARED_FUNCTIONS: readonly ((...args: never[]) => unknown)[] = [
  lowerBound,
  downsampleIndices,
  formatTimestampUs,
];

/**
 * The page's script: reads the embedded payload (chart-spec.ts), draws every chart with uPlot
 * and wires zooming. Plain ES2017 in a string: the runner compiles without DOM types, and the
 * page must run as is, offline, with nothing but uPlot beside it.
 *
 * 'run' charts (equity, drawdown, prices, positions) share one time axis: a drag on any of them
 * zooms all of them; double-click or the Reset button returns to the whole run. Each keeps its
 * full-resolution points and draws at most `pointBudget` of them, re-sliced from the full data
 * at every zoom, so a narrow enough window shows every tick.
 */
const CLIENT_MAIN = `
var payload = JSON.parse(document.getElementById('report-data').textContent);
var T0 = payload.t0;
var BUDGET = payload.pointBudget;
var HEIGHT = 260;
var entries = [];
var runCharts = [];
var allCharts = [];
var pendingDraws = 0;
var fullMin = Infinity;
var fullMax = -Infinity;

function fmtNum(v) {
  if (v == null || !isFinite(v)) return '—';
  var a = Math.abs(v);
  if (a >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (a === 0) return '0';
  return String(Number(v.toPrecision(6)));
}

function fmtTime(v) {
  return v == null ? '—' : formatTimestampUs(Math.round(v * 1e6));
}

function pxRatio() {
  return window.devicePixelRatio || 1;
}

// Fill markers as uPlot point paths: ▲ (dir 1) for buys, ▼ (dir -1) for sells.
function triangles(dir) {
  return function (u, si, i0, i1) {
    var s = u.series[si];
    var r = (s.points.size / 2) * pxRatio();
    var xs = u.data[0];
    var ys = u.data[si];
    var p = new Path2D();
    for (var i = Math.max(0, i0); i <= i1 && i < xs.length; i++) {
      var y = ys[i];
      if (y == null) continue;
      var cx = u.valToPos(xs[i], 'x', true);
      var cy = u.valToPos(y, s.scale, true);
      p.moveTo(cx, cy - dir * r);
      p.lineTo(cx + r, cy + dir * r);
      p.lineTo(cx - r, cy + dir * r);
      p.closePath();
    }
    var b = u.bbox;
    var clip = new Path2D();
    clip.rect(b.left - r, b.top - r, b.width + 2 * r, b.height + 2 * r);
    return { stroke: p, fill: p, clip: clip, flags: 3 };
  };
}

function seriesOpts(s) {
  var o = { label: s.label, stroke: s.color, width: 1.5, spanGaps: true, value: function (u, v) { return fmtNum(v); } };
  if (s.kind === 'step') {
    o.paths = uPlot.paths.stepped({ align: 1 });
    o.fill = s.color + '22';
  } else if (s.kind === 'area') {
    o.fill = s.color + '33';
    o.width = 1;
  } else if (s.kind === 'buy' || s.kind === 'sell') {
    o.paths = function () { return null; };
    o.points = { show: true, size: 11, width: 1, stroke: s.color, fill: s.color, paths: triangles(s.kind === 'buy' ? 1 : -1) };
  } else if (s.kind === 'bar') {
    o.paths = uPlot.paths.bars({ size: [0.86, Infinity] });
    o.fill = s.color + 'b0';
    o.width = 1;
    o.spanGaps = false;
    o.points = { show: false };
  }
  return o;
}

// Axis width from its widest label, so large prices are never clipped.
function axisSize(u, values, axisIdx, cycleNum) {
  var axis = u.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  var size = axis.ticks.size + axis.gap;
  var longest = '';
  (values || []).forEach(function (v) { if (v != null && String(v).length > longest.length) longest = String(v); });
  if (longest !== '') {
    u.ctx.font = axis.font[0];
    size += u.ctx.measureText(longest).width / pxRatio();
  }
  return Math.ceil(size) + 6;
}

function plotWidth(el) {
  return Math.max(320, el.clientWidth || 900);
}

function pick(st, idx) {
  var data = [idx.map(function (i) { return st.xs[i]; })];
  st.ys.forEach(function (col) { data.push(idx.map(function (i) { var v = col[i]; return v == null ? null : v; })); });
  return data;
}

function zoomChart(st, min, max) {
  var n = st.xs.length;
  var lo = Math.max(0, lowerBound(st.xs, min) - 1);
  var hi = Math.min(n, lowerBound(st.xs, max) + 1);
  if (hi <= lo) { lo = 0; hi = n; }
  var idx = downsampleIndices(st.xs, st.ys, lo, hi, BUDGET);
  st.entry.downsampled = idx.length < hi - lo;
  var data = pick(st, idx);
  st.yRange = valueRange(data);
  st.u.setData(data, false);
  st.u.setScale('x', { min: min, max: max });
}

// The y range of everything in the slice, the points just outside the window included: uPlot
// would range over the points inside only, and a window between two samples has none.
function valueRange(data) {
  var lo = Infinity;
  var hi = -Infinity;
  for (var s = 1; s < data.length; s++) {
    for (var i = 0; i < data[s].length; i++) {
      var v = data[s][i];
      if (v == null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

function zoomAll(min, max) {
  if (!(max > min)) return;
  runCharts.forEach(function (st) { zoomChart(st, min, max); });
}

function resetZoom() {
  zoomAll(fullMin, fullMax);
}

function onSelect(u) {
  var sel = u.select;
  if (sel.width < 2) return;
  var min = u.posToVal(sel.left, 'x');
  var max = u.posToVal(sel.left + sel.width, 'x');
  u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  zoomAll(min, max);
}

function publish() {
  window.__reportCharts = entries;
  document.body.setAttribute('data-charts-ready', 'true');
}

function onDraw(st) {
  var d = st.u.data;
  var n = 0;
  for (var s = 1; s < d.length; s++) for (var i = 0; i < d[s].length; i++) if (d[s][i] != null) n++;
  st.entry.series = n;
  if (!st.drawn) {
    st.drawn = true;
    pendingDraws--;
    if (pendingDraws === 0) publish();
  }
}

function xAxis(spec) {
  var a = { label: spec.xLabel, labelSize: 18 };
  if (spec.xKind === 'day') {
    a.incrs = [86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400];
    a.values = function (u, splits) { return splits.map(function (v) { return fmtTime(v).slice(0, 10); }); };
  }
  if (spec.xKind === 'hour') {
    a.values = function (u, splits) { return splits.map(function (h) { return Number.isInteger(h) ? h + 'h' : ''; }); };
  }
  return a;
}

function xValue(spec) {
  if (spec.xKind === 'run') return function (u, v) { return fmtTime(v); };
  if (spec.xKind === 'day') return function (u, v) { return v == null ? '—' : fmtTime(v).slice(0, 10); };
  if (spec.xKind === 'hour') return function (u, v) { return v == null ? '—' : v + ':00–' + (v + 1) + ':00'; };
  return function (u, v) { return fmtNum(v); };
}

function makeChart(spec, el) {
  var isRun = spec.xKind === 'run';
  var isTime = isRun || spec.xKind === 'day';
  var isBars = spec.series.some(function (s) { return s.kind === 'bar'; });
  var xs = isTime ? spec.x.map(function (o) { return (T0 + o) / 1e6; }) : spec.x.slice();
  var st = { spec: spec, xs: xs, ys: spec.series.map(function (s) { return s.values; }), u: null, drawn: false,
    entry: { id: spec.id, series: 0, downsampled: false }, el: el, yRange: null };
  entries.push(st.entry);
  var barW = (spec.barWidth || 1) / (isTime ? 1e6 : 1);
  var xScale = { time: isTime };
  // Bars always show all of their buckets: uPlot's own range for a single point on a time axis
  // spans 1,000 days, and a few dozen bars need no zoom.
  if (isBars) xScale.range = function () { return [xs[0] - barW / 2, xs[xs.length - 1] + barW / 2]; };
  var zeroBased = spec.series.some(function (s) { return s.kind === 'bar' || s.kind === 'step' || s.kind === 'area'; });
  var yScale = {
    range: function (u, min, max) {
      var r = isRun && st.yRange ? st.yRange : [min, max];
      if (r[0] == null || r[1] == null) return [0, 1];
      return uPlot.rangeNum(zeroBased ? Math.min(0, r[0]) : r[0], zeroBased ? Math.max(0, r[1]) : r[1], 0.1, true);
    },
  };
  var opts = {
    width: plotWidth(el),
    height: HEIGHT,
    // room on the right for the last x label, which uPlot centres on the plot's edge
    padding: [null, 28, null, null],
    scales: { x: xScale, y: yScale },
    series: [{ label: spec.xLabel, value: xValue(spec) }].concat(spec.series.map(seriesOpts)),
    axes: [xAxis(spec), { label: spec.yLabel, labelSize: 18, size: axisSize }],
    cursor: isRun
      ? {
          drag: { x: true, y: false, setScale: false },
          sync: { key: 'botp-run', setSeries: false, filters: { pub: function (type) { return type === 'mousemove' || type === 'mouseleave' || type === 'mouseenter'; } } },
          bind: { dblclick: function () { return function () { resetZoom(); return null; }; } },
        }
      : { drag: { x: !isBars, y: false } },
    hooks: { draw: [function () { onDraw(st); }], setSelect: isRun ? [onSelect] : [] },
  };
  if (isTime) opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
  pendingDraws++;
  var first = isRun ? pick(st, downsampleIndices(xs, st.ys, 0, xs.length, BUDGET)) : [xs].concat(st.ys);
  st.u = new uPlot(opts, first, el);
  allCharts.push(st);
  if (isRun) runCharts.push(st);
}

payload.charts.forEach(function (spec) {
  if (spec.xKind !== 'run' || spec.x.length === 0) return;
  fullMin = Math.min(fullMin, (T0 + spec.x[0]) / 1e6);
  fullMax = Math.max(fullMax, (T0 + spec.x[spec.x.length - 1]) / 1e6);
});
if (fullMax - fullMin < 1e-3) {
  fullMin -= 1;
  fullMax += 1;
}

payload.charts.forEach(function (spec) {
  var el = document.querySelector('[data-chart="' + spec.id + '"] .plot');
  if (spec.x.length === 0 || !el) {
    entries.push({ id: spec.id, series: 0, downsampled: false, noData: true });
    return;
  }
  makeChart(spec, el);
});
if (runCharts.length > 0) resetZoom();
if (pendingDraws === 0) publish();

var resetButton = document.getElementById('reset-zoom');
if (resetButton) resetButton.addEventListener('click', resetZoom);

var resizeTimer = 0;
window.addEventListener('resize', function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () {
    allCharts.forEach(function (st) { st.u.setSize({ width: plotWidth(st.el), height: HEIGHT }); });
  }, 150);
});
`;

/** The page's whole script: the shared functions, then the main code, in one scope. */
export function reportClientScript(): string {
  const shared = SHARED_FUNCTIONS.map((f) => f.toString()).join('\n\n');
  return `(function () {\n'use strict';\n${shared}\n${CLIENT_MAIN}\n})();\n`;
}
