// Check page (check.html?uuid=...): definition, status, metric catalogue and
// one dygraph per numeric metric, with zoom, event annotations and live data.
'use strict';

// ---- alerting overlay: anomaly bands and forecast trends --------------------------
// drawBands(graph, metric[, {transform}]) is called after every (re)draw of a
// metric's graph with the Dygraph instance and the metric's catalogue entry. It
// fetches the check's alerting view for that metric and the graph's x-range
// (/api/checks/<uuid>/alerting?metric=...), then installs an underlayCallback
// that draws, beneath the series:
//   - each anomaly band as a translucent area between lower and upper, with a
//     thin dashed line for expected;
//   - each trend as a dashed line through its two points, a dotted horizontal
//     line at its level, and a marker where the trend crosses the level (when
//     that is inside the visible range).
// While the graph shows the present and the metric has a trend, its x-range is
// extended by 25 % into the future so the trend can be seen heading somewhere.
// The graph's root (div.graph) gets data-bands="drawn" once something was drawn
// ("none" when the metric has nothing to draw, "error" when the fetch failed,
// "off" for transformed series, whose scale the band does not share).
// Errors never reach the caller.
const AlertingOverlay = (() => {
  const FUTURE_FRACTION = 0.25;
  const POINTS = 200;
  const CACHE_MAX = 64;
  // Rule kinds that never have a band or trend; any other kind (anomaly,
  // forecast, or one this UI does not know yet) is asked about.
  const PLAIN_KINDS = new Set(['threshold', 'absence', 'status']);
  const BAND_COLORS = [
    { fill: 'rgba(46, 139, 62, 0.14)', line: 'rgba(30, 110, 45, 0.85)' },
    { fill: 'rgba(142, 68, 173, 0.12)', line: 'rgba(120, 50, 150, 0.85)' },
    { fill: 'rgba(0, 137, 150, 0.12)', line: 'rgba(0, 110, 120, 0.85)' },
  ];
  const TREND_COLOR = '#b0460f';
  const LEVEL_COLOR = '#c62828';
  const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  const uuid = new URLSearchParams(location.search).get('uuid') ?? '';
  const base = `/api/checks/${encodeURIComponent(uuid)}/alerting`;

  // The check's alerting view without a metric: which rule series exist. Shared
  // with the Alerting card, which refreshes it.
  let overview = null;      // the latest promise
  let lastOverview = null;  // the last successful answer
  let overviewFailed = null; // the error of the last attempt when none succeeded

  function loadOverview() {
    const p = fetchJSON(base, { quiet: true });
    overview = p;
    p.then((data) => { lastOverview = data; overviewFailed = null; }, (e) => { if (!lastOverview) overviewFailed = e; });
    return p;
  }

  async function currentOverview() {
    if (!overview) loadOverview();
    try { await overview; } catch { /* judged below */ }
    return lastOverview;
  }

  // Bands and trends come from the rule series of this metric.
  function mayHaveBands(data, name) {
    return (Array.isArray(data && data.series) ? data.series : [])
      .some((s) => s && s.metric === name && !PLAIN_KINDS.has(s.kind));
  }

  const NOTHING = Object.freeze({ bands: [], trends: [] });
  const cache = new Map(); // key -> promise of normalized {bands, trends}

  const finite = (v) => typeof v === 'number' && Number.isFinite(v);

  function normalize(data) {
    const bands = (Array.isArray(data && data.bands) ? data.bands : []).map((b) => ({
      rule: String(b && b.rule ? b.rule : 'band'),
      points: (Array.isArray(b && b.points) ? b.points : [])
        .filter((p) => Array.isArray(p) && finite(p[0]))
        .map((p) => [p[0], finite(p[1]) ? p[1] : null, finite(p[2]) ? p[2] : null, finite(p[3]) ? p[3] : null])
        .sort((x, y) => x[0] - y[0]),
    })).filter((b) => b.points.some((p) => p[1] !== null && p[3] !== null));
    const trends = (Array.isArray(data && data.trends) ? data.trends : []).map((t) => {
      const pts = (Array.isArray(t && t.points) ? t.points : []).filter((p) => Array.isArray(p) && finite(p[0]) && finite(p[1]));
      if (pts.length < 2) return null;
      pts.sort((x, y) => x[0] - y[0]);
      const [a, b] = [pts[0], pts[pts.length - 1]];
      if (b[0] === a[0]) return null;
      const slope = (b[1] - a[1]) / (b[0] - a[0]); // per ms
      const level = finite(t.level) ? t.level : null;
      let crossing = null;
      if (level !== null && slope !== 0) {
        const at = a[0] + (level - a[1]) / slope;
        if (Number.isFinite(at)) crossing = at;
      }
      return {
        rule: String(t.rule ?? 'trend'), a, b, slope, level, crossing,
        perHour: finite(t.slope_per_second) ? t.slope_per_second * 3600 : slope * 3600e3,
      };
    }).filter(Boolean);
    return { bands, trends };
  }

  function fetchBands(name, startMs, endMs) {
    const key = `${name}|${startMs}|${endMs}`;
    if (cache.has(key)) return cache.get(key);
    const p = new URLSearchParams({
      metric: name, start: String(Math.floor(startMs / 1000)), end: String(Math.ceil(endMs / 1000)), points: String(POINTS),
    });
    const promise = fetchJSON(`${base}?${p}`, { quiet: true }).then(normalize);
    // A failure is not remembered: the next redraw asks again.
    promise.catch(() => { if (cache.get(key) === promise) cache.delete(key); });
    cache.set(key, promise);
    while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
    return promise;
  }

  const perGraph = new WeakMap(); // Dygraph -> { want, base, future, data, installed }

  const alive = (graph) => Boolean(graph && graph.graphDiv);

  function rootOf(graph) {
    const div = graph.graphDiv;
    const plot = div && div.parentElement;
    return (plot && plot.closest('.graph')) || plot || null;
  }

  function setRootState(root, value) {
    if (root && root.dataset.bands !== value) root.dataset.bands = value;
  }

  function formatLevel(v) {
    return formatValue(v);
  }

  function legendFor(root, data) {
    if (!root) return;
    let legend = root.querySelector(':scope > .graph-bands');
    if (data.bands.length === 0 && data.trends.length === 0) {
      legend?.remove();
      return;
    }
    if (!legend) {
      legend = el('div', { class: 'graph-bands' });
      root.append(legend);
    }
    const items = [];
    data.bands.forEach((b, i) => {
      items.push(el('span', { class: 'band-item', dataset: { rule: b.rule, kind: 'band' } },
        el('span', { class: `swatch swatch-band-${i % BAND_COLORS.length}` }),
        `expected range (${b.rule})`));
    });
    for (const t of data.trends) {
      let text = `trend (${t.rule})`;
      if (t.level !== null) {
        text += ` · level ${formatLevel(t.level)}`;
        if (t.crossing === null) text += ', never reached';
        else if (t.crossing > Date.now()) text += `, reached ${formatUTC(t.crossing)} (${formatRelative(t.crossing)})`;
        else text += `, crossed ${formatUTC(t.crossing)}`;
      }
      text += ` · ${t.perHour >= 0 ? '+' : ''}${formatValue(t.perHour)}/h`;
      items.push(el('span', { class: 'band-item', dataset: { rule: t.rule, kind: 'trend' } },
        el('span', { class: 'swatch swatch-trend' }), text));
    }
    legend.replaceChildren(...items);
  }

  // Splits band points into runs without gaps (missing times or null bounds).
  function runs(points) {
    const steps = [];
    for (let i = 1; i < points.length; i++) steps.push(points[i][0] - points[i - 1][0]);
    steps.sort((x, y) => x - y);
    const step = steps.length ? steps[steps.length >> 1] : Infinity;
    const out = [];
    let cur = [];
    for (const p of points) {
      const broken = p[1] === null || p[3] === null;
      const gap = cur.length && p[0] - cur[cur.length - 1][0] > 2.5 * step;
      if (broken || gap) {
        if (cur.length) out.push(cur);
        cur = [];
      }
      if (!broken) cur.push(p);
    }
    if (cur.length) out.push(cur);
    return out;
  }

  function label(ctx, text, x, y, color, align = 'left') {
    ctx.font = FONT;
    ctx.textAlign = align;
    ctx.textBaseline = 'bottom';
    const w = ctx.measureText(text).width;
    const left = align === 'right' ? x - w : x;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(left - 2, y - 13, w + 4, 13);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y - 1);
  }

  function makeUnderlay(data, st, root) {
    return function underlay(ctx, area, g) {
      let drawn = 0;
      let crossingShown = false;
      ctx.save();
      try {
        ctx.beginPath();
        ctx.rect(area.x, area.y, area.w, area.h);
        ctx.clip();
        const [x0, x1] = g.xAxisRange();
        const [y0, y1] = g.yAxisRange();
        const X = (t) => g.toDomCoords(t, null)[0];
        const Y = (v) => g.toDomCoords(null, v)[1];
        const now = Date.now();

        // The future part of an extended range, lightly shaded.
        if (st.future > 0 && now < x1) {
          const xn = Math.max(area.x, X(now));
          ctx.fillStyle = 'rgba(120, 130, 150, 0.07)';
          ctx.fillRect(xn, area.y, area.x + area.w - xn, area.h);
          ctx.strokeStyle = 'rgba(90, 100, 120, 0.6)';
          ctx.lineWidth = 1;
          ctx.setLineDash([2, 3]);
          ctx.beginPath();
          ctx.moveTo(Math.round(xn) + 0.5, area.y);
          ctx.lineTo(Math.round(xn) + 0.5, area.y + area.h);
          ctx.stroke();
          ctx.setLineDash([]);
          label(ctx, 'now', xn + 3, area.y + 14, '#5a6478');
        }

        data.bands.forEach((b, i) => {
          const color = BAND_COLORS[i % BAND_COLORS.length];
          for (const run of runs(b.points)) {
            if (run[run.length - 1][0] < x0 || run[0][0] > x1) continue;
            ctx.fillStyle = color.fill;
            ctx.beginPath();
            run.forEach((p, j) => (j ? ctx.lineTo(X(p[0]), Y(p[3])) : ctx.moveTo(X(p[0]), Y(p[3]))));
            for (let j = run.length - 1; j >= 0; j--) ctx.lineTo(X(run[j][0]), Y(run[j][1]));
            ctx.closePath();
            ctx.fill();
            ctx.strokeStyle = color.line;
            ctx.lineWidth = 1;
            ctx.setLineDash([4, 3]);
            ctx.beginPath();
            let pen = false;
            for (const p of run) {
              if (p[2] === null) { pen = false; continue; }
              if (pen) ctx.lineTo(X(p[0]), Y(p[2])); else ctx.moveTo(X(p[0]), Y(p[2]));
              pen = true;
            }
            ctx.stroke();
            ctx.setLineDash([]);
            drawn++;
          }
        });

        for (const t of data.trends) {
          // The line between its two points (the clip keeps it in the plot).
          if (t.b[0] >= x0 && t.a[0] <= x1) {
            ctx.strokeStyle = TREND_COLOR;
            ctx.lineWidth = 1.5;
            ctx.setLineDash([6, 4]);
            ctx.beginPath();
            ctx.moveTo(X(t.a[0]), Y(t.a[1]));
            ctx.lineTo(X(t.b[0]), Y(t.b[1]));
            ctx.stroke();
            ctx.setLineDash([]);
            drawn++;
          }
          if (t.level === null) continue;
          const levelText = `level ${formatLevel(t.level)}`;
          if (t.level >= y0 && t.level <= y1) {
            const yl = Math.round(Y(t.level)) + 0.5;
            ctx.strokeStyle = LEVEL_COLOR;
            ctx.lineWidth = 1;
            ctx.setLineDash([1, 3]);
            ctx.beginPath();
            ctx.moveTo(area.x, yl);
            ctx.lineTo(area.x + area.w, yl);
            ctx.stroke();
            ctx.setLineDash([]);
            // Labels go above the line, or below it when the top is too close.
            const below = yl - area.y < 30;
            label(ctx, levelText, area.x + 4, below ? yl + 14 : yl - 1, LEVEL_COLOR);
            if (t.crossing !== null && t.crossing >= x0 && t.crossing <= x1) {
              const xc = X(t.crossing);
              ctx.fillStyle = LEVEL_COLOR;
              ctx.strokeStyle = '#fff';
              ctx.lineWidth = 1.5;
              ctx.beginPath();
              ctx.arc(xc, yl, 4.5, 0, 2 * Math.PI);
              ctx.fill();
              ctx.stroke();
              const when = x1 - x0 > 2 * 86400e3 ? formatUTC(t.crossing).slice(0, 16) : formatClock(t.crossing).slice(0, 5);
              const right = xc > area.x + area.w - 90;
              label(ctx, `${when} UTC`, right ? xc - 7 : xc + 7, below ? yl + 19 : yl - 6, LEVEL_COLOR, right ? 'right' : 'left');
              crossingShown = true;
            }
          } else {
            // Off the scale: say where it is instead of drawing it.
            ctx.setLineDash([]);
            const above = t.level > y1;
            label(ctx, `${above ? '▲' : '▼'} ${levelText}`, area.x + area.w - 4, above ? area.y + 14 : area.y + area.h - 2, LEVEL_COLOR, 'right');
          }
        }
      } catch {
        // A drawing problem must not break the graph.
      } finally {
        ctx.restore();
      }
      if (root) {
        setRootState(root, drawn > 0 ? 'drawn' : 'none');
        const crossing = crossingShown ? 'visible' : '';
        if ((root.dataset.trendCrossing ?? '') !== crossing) {
          if (crossing) root.dataset.trendCrossing = crossing; else delete root.dataset.trendCrossing;
        }
      }
    };
  }

  // Installs (or keeps) the underlay for `data` and the x-range extension.
  // updateOptions runs only when something changed, so redraws cannot loop.
  function apply(graph, st, data) {
    if (!alive(graph)) return;
    const root = rootOf(graph);
    const opts = {};
    if (st.installed !== data) {
      const has = data.bands.length > 0 || data.trends.length > 0;
      opts.underlayCallback = has ? makeUnderlay(data, st, root) : null;
      st.installed = data;
      if (root) {
        root.dataset.bandCount = String(data.bands.length);
        root.dataset.trendCount = String(data.trends.length);
      }
      legendFor(root, data);
      if (!has) setRootState(root, 'none');
    }
    const future = data.trends.length > 0 ? st.future : 0;
    const want = [st.base[0], st.base[1] + future];
    const cur = graph.xAxisRange();
    if (future > 0 && (Math.abs(cur[0] - want[0]) > 1 || Math.abs(cur[1] - want[1]) > 1)) opts.dateWindow = want;
    const range = levelRange(graph, data, want);
    const had = graph.getOption('valueRange');
    if (range) {
      if (!sameRange(had, range)) opts.valueRange = range;
      st.valueRange = range;
    } else if (st.valueRange) {
      // Only ever undo a range this overlay set.
      if (sameRange(had, st.valueRange)) opts.valueRange = null;
      st.valueRange = null;
    }
    if (Object.keys(opts).length) graph.updateOptions(opts);
  }

  // dygraphs scales y to the data only. When a trend crosses its level inside
  // the shown x-range, the y-range is widened on that side to include the
  // level (plus 5 %) so the crossing can be seen; the other bound stays
  // automatic (null). Recomputed after every render from the data's extremes,
  // so later data above the level still widens the axis. Null when not needed.
  function levelRange(graph, data, xr) {
    const levels = data.trends
      .filter((t) => t.level !== null && t.crossing !== null && t.crossing >= xr[0] && t.crossing <= xr[1])
      .map((t) => t.level);
    if (levels.length === 0) return null;
    const ext = (graph.yAxisExtremes() || [])[0];
    if (!ext || !Number.isFinite(ext[0]) || !Number.isFinite(ext[1])) return null;
    let [lo, hi] = ext;
    const top = Math.max(...levels);
    const bottom = Math.min(...levels);
    const pad = 0.05 * (Math.max(hi, top) - Math.min(lo, bottom) || 1);
    const range = [null, null];
    if (top + pad > hi) range[1] = top + pad;
    if (bottom - pad < lo) range[0] = bottom - pad;
    return range[0] === null && range[1] === null ? null : range;
  }

  function sameRange(a, b) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    const same = (x, y) => (x === null || x === undefined ? y === null || y === undefined : y !== null && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)));
    return same(a[0], b[0]) && same(a[1], b[1]);
  }

  function clear(graph, st, value) {
    const root = rootOf(graph);
    const opts = {};
    if (st.installed && st.installed !== NOTHING) opts.underlayCallback = null;
    if (st.valueRange && sameRange(graph.getOption('valueRange'), st.valueRange)) opts.valueRange = null;
    st.valueRange = null;
    if (Object.keys(opts).length) graph.updateOptions(opts);
    st.installed = NOTHING;
    legendFor(root, NOTHING);
    setRootState(root, value);
  }

  async function draw(graph, metric, options) {
    if (!alive(graph) || !metric || typeof metric.name !== 'string' || !uuid) return;
    let st = perGraph.get(graph);
    if (!st) {
      st = { want: null, base: null, future: 0, installed: null, valueRange: null };
      perGraph.set(graph, st);
    }
    if (options && options.transform && options.transform !== 'none') {
      st.want = null;
      clear(graph, st, 'off');
      return;
    }
    // Right after a render the x-range is the page's window (not yet extended).
    const [x0, x1] = graph.xAxisRange();
    const span = x1 - x0;
    if (!(span > 0)) return;
    const now = Date.now();
    const showsNow = x1 >= now - Math.max(0.02 * span, 60e3);
    st.base = [x0, x1];
    st.future = showsNow ? FUTURE_FRACTION * span : 0;
    // Rounded so a moving live window reuses the answer for a while; the
    // drawing uses absolute coordinates, so slightly wider data is harmless.
    const q = Math.max(10e3, span / 100);
    const start = Math.floor(x0 / q) * q;
    const end = Math.ceil((x1 + st.future) / q) * q + (st.future > 0 ? q : 0);
    const want = `${metric.name}|${start}|${end}`;
    st.want = want;
    // Until the answer is there, keep what was drawn (re-extending the range
    // the render just reset).
    if (st.installed && st.installed !== NOTHING) apply(graph, st, st.installed);

    const info = await currentOverview();
    if (st.want !== want || !alive(graph)) return;
    if (!info) {
      // 404: this stratcond has no alerting at all.
      clear(graph, st, !overviewFailed ? 'none' : overviewFailed.status === 404 ? 'unavailable' : 'error');
      return;
    }
    if (!mayHaveBands(info, metric.name)) {
      clear(graph, st, 'none');
      return;
    }
    let data;
    try {
      data = await fetchBands(metric.name, start, end);
    } catch {
      if (st.want === want && alive(graph) && !st.installed) setRootState(rootOf(graph), 'error');
      return;
    }
    if (st.want !== want || !alive(graph)) return;
    apply(graph, st, data);
  }

  return { draw, loadOverview };
})();

function drawBands(graph, metric, options) {
  try {
    AlertingOverlay.draw(graph, metric, options).catch(() => {});
  } catch {
    // Never into the caller.
  }
}
// ------------------------------------------------------------------------------

(() => {
  const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '1d': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
  const DEFAULT_RANGE = '6h';
  const TRANSFORMS = ['none', 'derive', 'counter'];
  const MAX_POINTS = 2000;
  const METRICS_PER_REQUEST = 20; // keeps /api/series URLs short on wide checks
  const TRANSFORM_REFETCH_MS = 15000;
  const ANNOTATION_TEXT_MAX = 300;

  const pageParams = new URLSearchParams(location.search);
  const uuid = pageParams.get('uuid') ?? '';
  // ?live=0 turns the live stream off: for slow links, and for headless
  // snapshots (an endless stream keeps the page from ever going idle).
  const liveAllowed = pageParams.get('live') !== '0';

  const $ = (id) => document.getElementById(id);
  const ui = {
    name: $('check-name'), status: $('status'), definition: $('definition'),
    metrics: document.querySelector('#metrics tbody'), catalogue: $('catalogue'),
    rangeBar: $('range-bar'), from: $('from'), to: $('to'), custom: $('custom-range'),
    resetZoom: $('reset-zoom'), window: $('window'), graphs: $('graphs'), live: $('live'),
    alerting: $('alerting'), alertingNote: $('alerting-note'), alertingLink: $('alerting-link'),
    alertingSeries: document.querySelector('#alerting-series tbody'),
    checkAlerts: document.querySelector('#check-open-alerts tbody'),
  };

  const state = {
    check: null,
    metrics: new Map(),    // name -> catalogue entry (kept current by live data)
    metricCells: new Map(), // name -> {value, at, last} table cells
    graphs: new Map(),     // name -> graph record, numeric metrics only
    range: { span: DEFAULT_RANGE }, // or { start, end } in epoch ms
    zoom: null,            // [startMs, endMs] while drag-zoomed
    window: null,          // [startMs, endMs] currently displayed
    events: [],
    live: null,
    liveLatest: 0,
    meta: null,            // last /api/series metadata (resolution, step)
    generation: 0,
    abort: null,
    flushQueued: false,
  };

  // ---- URL / range -----------------------------------------------------------

  function readRange() {
    const p = pageParams;
    const from = Number(p.get('from'));
    const to = Number(p.get('to'));
    if (p.has('from') && p.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) {
      state.range = { start: from * 1000, end: to * 1000 };
    } else if (RANGES[p.get('range')]) {
      state.range = { span: p.get('range') };
    }
  }

  function writeRange() {
    const p = new URLSearchParams({ uuid });
    if (!liveAllowed) p.set('live', '0');
    if (state.range.span) p.set('range', state.range.span);
    else {
      p.set('from', String(Math.floor(state.range.start / 1000)));
      p.set('to', String(Math.ceil(state.range.end / 1000)));
    }
    history.replaceState(null, '', `?${p}`);
  }

  const endsAtNow = () => !state.zoom && Boolean(state.range.span);

  // Relative ranges are sent as "-6h"/"now" so the server resolves "now"
  // with its own clock; absolute windows as epoch seconds.
  function windowParams() {
    if (state.zoom) {
      const start = Math.floor(state.zoom[0] / 1000);
      return { start: String(start), end: String(Math.max(start + 1, Math.ceil(state.zoom[1] / 1000))) };
    }
    if (state.range.span) return { start: `-${state.range.span}`, end: 'now' };
    return { start: String(Math.floor(state.range.start / 1000)), end: String(Math.ceil(state.range.end / 1000)) };
  }

  // datetime-local has no zone; the page works in UTC throughout.
  const toInputValue = (ms) => new Date(ms).toISOString().slice(0, 19);
  const fromInputValue = (v) => (v ? Date.parse(`${v}Z`) : NaN);

  function renderRangeBar() {
    const meta = state.meta;
    for (const b of ui.rangeBar.querySelectorAll('button.range')) {
      b.setAttribute('aria-pressed', String(!state.zoom && b.dataset.range === state.range.span));
    }
    ui.resetZoom.hidden = !state.zoom;
    if (state.window) {
      ui.from.value = toInputValue(state.window[0]);
      ui.to.value = toInputValue(state.window[1]);
      const res = meta && meta.resolution ? ` · ${meta.resolution} resolution, step ${meta.step_seconds} s` : '';
      ui.window.textContent = `${formatUTC(state.window[0])} → ${formatUTC(state.window[1])}${res}`;
    }
  }

  // ---- definition, status, catalogue ------------------------------------------

  function conditionOf(status) {
    if (!status) return 'unknown';
    return status.availability === 'unavailable' ? 'unavailable' : status.state;
  }

  function renderDefinition(check) {
    document.title = `${check.name || check.uuid} — stratcond`;
    ui.name.textContent = check.name || check.uuid;
    const rows = [
      ['uuid', check.uuid], ['name', check.name], ['target', check.target], ['module', check.module],
      ['noit', check.noit], ['defined', formatUTC(check.defined_at)],
    ];
    if (check.deleted_at) rows.push(['deleted', formatUTC(check.deleted_at)]);
    ui.definition.replaceChildren(...rows.flatMap(([k, v]) => [
      el('dt', { text: k }), el('dd', { dataset: { field: k }, text: v ?? '—' }),
    ]));
  }

  function renderStatus(condition, status) {
    ui.status.dataset.condition = CONDITIONS.includes(condition) ? condition : 'unknown';
    if (!status) {
      ui.status.replaceChildren(badge(condition), el('span', { class: 'status-text muted', text: 'no status received yet' }));
      return;
    }
    ui.status.replaceChildren(
      badge(condition),
      el('span', { class: 'status-text', title: status.status, text: truncate(status.status, 300) }),
      el('span', { class: 'status-time muted', text: formatUTC(status.time_ms) }),
      el('span', { class: 'muted', text: `took ${formatDuration(status.duration_ms)}` }));
  }

  function renderCatalogue(metrics) {
    if (metrics.length === 0) {
      ui.metrics.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 6, text: 'No metrics recorded.' })));
      return;
    }
    ui.metrics.replaceChildren(...metrics.map((m) => {
      const cells = {
        value: el('td', { class: 'value', title: m.value, text: truncate(formatValue(m.value), 120) }),
        at: el('td', { text: formatUTC(m.time) }),
        last: el('td', { text: formatUTC(m.last_seen) }),
      };
      state.metricCells.set(m.name, cells);
      return el('tr', { class: 'metric-row', dataset: { metric: m.name, type: m.type } },
        el('td', { class: 'name', text: m.name }), el('td', { text: m.type }),
        cells.value, cells.at, el('td', { text: formatUTC(m.first_seen) }), cells.last);
    }));
  }

  function updateCatalogueValue(name, timeMs, value) {
    const m = state.metrics.get(name);
    const cells = state.metricCells.get(name);
    if (!m || !cells) return;
    m.value = value;
    m.time = timeMs;
    m.last_seen = timeMs;
    cells.value.textContent = truncate(formatValue(value), 120);
    cells.value.title = formatValue(value);
    cells.at.textContent = formatUTC(timeMs);
    cells.last.textContent = formatUTC(timeMs);
  }

  // ---- alerting card -------------------------------------------------------------
  // The rule series that watch this check (their detector condition) and its
  // open alerts, from /api/checks/<uuid>/alerting, refreshed every 10 s.

  const ALERTING_REFRESH_MS = 10000;
  const SERIES_CONDITIONS = ['firing', 'pending', 'learning', 'normal'];
  const alerting = { timer: null, disabled: false };

  const alertHref = (id) => `/alerts.html?${new URLSearchParams({ state: 'all', alert: String(id) })}`;

  function seriesConditionCell(s) {
    const c = SERIES_CONDITIONS.includes(s.condition) ? s.condition : 'unknown';
    if (c === 'learning') {
      // "learning" means the detector has too little history to judge yet; the
      // summary says how much (e.g. "not enough history yet (6h of 1d)").
      return el('td', { class: 'condition' },
        el('span', { class: 'cond cond-learning', text: s.summary || 'not enough history yet' }));
    }
    return el('td', { class: 'condition' }, el('span', { class: `cond cond-${c}`, text: s.condition ?? 'unknown' }));
  }

  function seriesRow(s, openAlerts) {
    const metric = s.metric ?? null;
    const alert = s.open
      ? openAlerts.find((a) => a.rule === s.rule && (a.metric ?? null) === metric)
      : null;
    let openCell;
    if (alert) openCell = el('a', { href: alertHref(alert.id), class: 'tag tag-open', text: 'open' });
    else if (s.open) openCell = el('span', { class: 'tag tag-open', text: 'open' });
    else openCell = el('span', { class: 'muted', text: '—' });
    return el('tr', {
      class: 'series-row',
      dataset: {
        rule: String(s.rule ?? ''), kind: String(s.kind ?? ''), metric: metric ?? '',
        condition: SERIES_CONDITIONS.includes(s.condition) ? s.condition : 'unknown', open: String(Boolean(s.open)),
      },
    },
    el('td', { class: 'rule', text: s.rule ?? '—' }),
    el('td', { text: s.kind ?? '—' }),
    el('td', { text: metric ?? '—' }),
    seriesConditionCell(s),
    el('td', { class: 'wrap', text: s.condition === 'learning' ? '' : (s.summary ?? '') }),
    el('td', {}, openCell));
  }

  function checkAlertRow(a) {
    return el('tr', { class: `alert-row sev-row-${severityOf(a.severity)}`, dataset: { alertId: String(a.id), severity: severityOf(a.severity) } },
      el('td', {}, severityBadge(a.severity)),
      el('td', {}, el('a', { href: alertHref(a.id), text: a.rule ?? `#${a.id}` })),
      el('td', { text: a.metric ?? '—' }),
      el('td', { class: 'wrap', title: a.summary ?? null },
        el('span', { text: truncate(a.summary ?? '—', 300) }),
        a.silenced ? el('span', { class: 'tag tag-silenced', text: 'silenced' }) : null),
      el('td', { class: 'time', title: formatUTC(a.opened_at) }, formatRelative(a.opened_at)),
      el('td', { text: a.acknowledged_at ? `${a.acknowledged_by ?? '—'} (${formatRelative(a.acknowledged_at)})` : '—' }));
  }

  function renderAlerting(data) {
    const rank = (s) => { const i = SERIES_CONDITIONS.indexOf(s.condition); return i < 0 ? SERIES_CONDITIONS.length : i; };
    const series = (Array.isArray(data.series) ? data.series : []).filter((s) => s && typeof s === 'object').slice()
      .sort((a, b) => rank(a) - rank(b) || String(a.rule ?? '').localeCompare(String(b.rule ?? ''))
        || String(a.metric ?? '').localeCompare(String(b.metric ?? '')));
    const open = (Array.isArray(data.open_alerts) ? data.open_alerts : []).filter((a) => a && typeof a === 'object');
    ui.alertingSeries.replaceChildren(...(series.length
      ? series.map((s) => seriesRow(s, open))
      : [el('tr', { class: 'empty' }, el('td', { colspan: 6, text: 'No alert rule watches this check (yet).' }))]));
    ui.checkAlerts.replaceChildren(...(open.length
      ? open.map(checkAlertRow)
      : [el('tr', { class: 'empty' }, el('td', { colspan: 6, text: 'No open alerts.' }))]));
    const firing = series.filter((s) => s.condition === 'firing').length;
    const learning = series.filter((s) => s.condition === 'learning').length;
    const parts = [`${series.length} rule series`];
    if (firing) parts.push(`${firing} firing`);
    if (learning) parts.push(`${learning} still learning`);
    parts.push(`${open.length} open alert${open.length === 1 ? '' : 's'}`);
    ui.alertingNote.textContent = parts.join(' · ');
    ui.alertingNote.classList.remove('error-text');
    ui.alerting.dataset.state = 'loaded';
    ui.alerting.dataset.openAlerts = String(open.length);
  }

  async function refreshAlerting() {
    clearTimeout(alerting.timer);
    if (alerting.disabled) return;
    try {
      renderAlerting(await AlertingOverlay.loadOverview());
    } catch (e) {
      ui.alerting.dataset.state = e.status === 404 ? 'disabled' : 'error';
      ui.alertingNote.classList.toggle('error-text', e.status !== 404);
      if (e.status === 404) {
        alerting.disabled = true;
        ui.alertingNote.textContent = 'Alerting is not enabled on this stratcond.';
        ui.alertingSeries.closest('table').hidden = true;
        ui.checkAlerts.closest('table').hidden = true;
        ui.checkAlerts.closest('table').previousElementSibling.hidden = true;
        return;
      }
      ui.alertingNote.textContent = `alerting: ${e.message}`;
    }
    if (!document.hidden) alerting.timer = setTimeout(refreshAlerting, ALERTING_REFRESH_MS);
  }

  function startAlerting() {
    ui.alertingLink.href = `/alerts.html?${new URLSearchParams({ state: 'all', check: uuid })}`;
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) clearTimeout(alerting.timer);
      else refreshAlerting();
    });
    refreshAlerting();
  }

  // ---- graphs ------------------------------------------------------------------

  function buildGraphs(metrics) {
    const numeric = metrics.filter((m) => m.numeric ?? m.type !== 's');
    if (numeric.length === 0) {
      ui.graphs.replaceChildren(el('p', { class: 'muted', id: 'no-graphs', text: 'This check has no numeric metrics to graph.' }));
      return;
    }
    ui.graphs.replaceChildren(...numeric.map((m) => {
      const select = el('select', { class: 'transform', 'aria-label': `transform for ${m.name}` },
        TRANSFORMS.map((t) => el('option', { value: t, text: t })));
      const plot = el('div', { class: 'graph-plot' });
      const note = el('p', { class: 'graph-note muted', text: 'loading…' });
      const root = el('div', { class: 'graph', dataset: { metric: m.name, state: 'loading' } },
        el('div', { class: 'graph-head' }, el('h3', { text: m.name }), select), note, plot);
      const g = { name: m.name, metric: m, root, plot, note, select, transform: 'none', rows: [], dygraph: null, refetchTimer: null };
      select.addEventListener('change', () => {
        g.transform = select.value;
        refetchGraphs([g]);
      });
      state.graphs.set(m.name, g);
      return root;
    }));
  }

  function pointsWanted() {
    const first = state.graphs.values().next().value;
    const width = (first && first.root.clientWidth) || ui.graphs.clientWidth || 800;
    return Math.max(50, Math.min(MAX_POINTS, Math.round(width)));
  }

  // API rows are [time_ms, avg, min, max]; customBars wants [min, avg, max].
  function toRow([t, avg, min, max]) {
    if (avg === null || avg === undefined) return [new Date(t), null];
    return [new Date(t), [min ?? avg, avg, max ?? avg]];
  }

  // Fetches series for `graphs` into graph.rows; one request per transform and
  // chunk. Resolves to the metadata of the first successful response.
  async function fetchSeries(graphs, win, signal) {
    const groups = new Map();
    for (const g of graphs) {
      if (!groups.has(g.transform)) groups.set(g.transform, []);
      groups.get(g.transform).push(g);
    }
    const requests = [];
    for (const [transform, list] of groups) {
      for (let i = 0; i < list.length; i += METRICS_PER_REQUEST) {
        const chunk = list.slice(i, i + METRICS_PER_REQUEST);
        const p = new URLSearchParams({ check: uuid, start: win.start, end: win.end, points: String(pointsWanted()), transform });
        for (const g of chunk) p.append('metric', g.name);
        requests.push(fetchJSON(`/api/series?${p}`, { signal }).then(
          (resp) => {
            const byName = new Map((resp.series || []).map((s) => [s.metric, s.rows || []]));
            for (const g of chunk) { g.rows = (byName.get(g.name) || []).map(toRow); g.failed = false; }
            return resp;
          },
          (err) => {
            if (err.name === 'AbortError') throw err;
            for (const g of chunk) { g.rows = []; g.failed = true; }
            return null;
          }));
      }
    }
    const results = await Promise.all(requests);
    return results.find((r) => r) || null;
  }

  function statusLetter(to) {
    const [st, avail] = String(to ?? '').split('/');
    if (avail === 'unavailable') return { short: 'U', cls: 'unavailable' };
    return st === 'bad' ? { short: 'B', cls: 'bad' } : { short: 'G', cls: 'good' };
  }

  function describeEvent(ev) {
    const when = formatUTC(ev.time_ms);
    if (ev.kind === 'status') {
      const { short, cls } = statusLetter(ev.to);
      return { short, cls, rank: 2, text: `${when} status ${ev.from ?? '—'} → ${ev.to}` };
    }
    return { short: 'T', cls: 'text', rank: 1, text: `${when} ${ev.metric ?? 'text'}: ${ev.from ?? '—'} → ${ev.to}` };
  }

  function nearestIndex(xs, t) {
    let lo = 0;
    let hi = xs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo > 0 && t - xs[lo - 1] < xs[lo] - t ? lo - 1 : lo;
  }

  // dygraphs only shows an annotation whose x equals a data point of its
  // series, so each event snaps to the nearest non-null point. Events that
  // land on the same point are merged; status letters win over "T".
  function annotationsFor(g) {
    const xs = g.rows.filter((r) => r[1] !== null).map((r) => r[0].getTime());
    if (xs.length === 0 || !state.window) return [];
    const byX = new Map();
    for (const ev of state.events) {
      if (ev.time_ms < state.window[0] || ev.time_ms > state.window[1]) continue;
      const x = xs[nearestIndex(xs, ev.time_ms)];
      const d = describeEvent(ev);
      const prev = byX.get(x);
      if (!prev) {
        byX.set(x, { ...d, text: d.text });
        continue;
      }
      prev.text = `${prev.text}\n${d.text}`;
      if (d.rank >= prev.rank) Object.assign(prev, { short: d.short, cls: d.cls, rank: d.rank });
    }
    return [...byX].map(([x, d]) => ({
      series: g.name,
      xval: x,
      shortText: d.short,
      text: truncate(d.text, ANNOTATION_TEXT_MAX),
      cssClass: `ann ann-${d.cls}`,
    }));
  }

  function renderGraph(g) {
    const points = g.rows.reduce((n, r) => n + (r[1] === null ? 0 : 1), 0);
    if (points === 0) {
      g.dygraph?.destroy();
      g.dygraph = null;
      g.plot.replaceChildren();
      g.plot.hidden = true;
      g.note.hidden = false;
      g.note.textContent = g.failed ? 'failed to load this metric' : 'no data in this range';
      g.root.dataset.state = g.failed ? 'error' : 'empty';
      return;
    }
    g.note.hidden = true;
    g.plot.hidden = false;
    const opts = { dateWindow: state.window, drawPoints: points < 60 };
    if (g.dygraph) {
      g.dygraph.updateOptions({ ...opts, file: g.rows });
    } else {
      g.dygraph = new Dygraph(g.plot, g.rows, {
        ...opts,
        labels: ['time', g.name],
        customBars: true,
        labelsUTC: true,
        colors: ['#2f6fd0'],
        fillAlpha: 0.2,
        strokeWidth: 1.4,
        axisLabelFontSize: 11,
        yAxisLabelWidth: 56,
        labelsKMB: true,
        zoomCallback: (minX, maxX) => onZoom(g, minX, maxX),
      });
    }
    g.dygraph.setAnnotations(annotationsFor(g));
    g.root.dataset.state = 'drawn';
    drawBands(g.dygraph, g.metric, { transform: g.transform });
  }

  function renderAllGraphs() {
    for (const g of state.graphs.values()) renderGraph(g);
  }

  // ---- loading -----------------------------------------------------------------

  // (Re)loads every graph and the events for the current range/zoom.
  async function loadWindow() {
    const mine = ++state.generation;
    stopLive();
    state.abort?.abort();
    state.abort = new AbortController();
    const signal = state.abort.signal;
    for (const key of ['/api/series', '/api/events', 'range']) clearError(key);
    const win = windowParams();
    writeRange();
    state.meta = null;
    renderRangeBar();

    const eventsP = fetchJSON(`/api/events?${new URLSearchParams({ check: uuid, ...win })}`, { signal })
      .then((r) => (Array.isArray(r.events) ? r.events : []), (e) => { if (e.name === 'AbortError') throw e; return []; });
    let meta;
    let events;
    try {
      [meta, events] = await Promise.all([fetchSeries([...state.graphs.values()], win, signal), eventsP]);
    } catch (e) {
      if (e.name === 'AbortError') return;
      throw e;
    }
    if (mine !== state.generation) return;

    state.events = events.filter((e) => Number.isFinite(e.time_ms)).sort((a, b) => a.time_ms - b.time_ms);
    if (state.zoom) state.window = state.zoom;
    else if (meta && Number.isFinite(meta.start_ms) && Number.isFinite(meta.end_ms)) state.window = [meta.start_ms, meta.end_ms];
    else if (state.range.span) state.window = [Date.now() - RANGES[state.range.span], Date.now()];
    else state.window = [state.range.start, state.range.end];
    state.liveLatest = 0;

    state.meta = meta;
    renderRangeBar();
    renderAllGraphs();
    // Before opening the (never-ending) live stream, so a test waiting for
    // "ready" does not also have to wait on it.
    document.body.dataset.ready = 'true';
    startLive();
  }

  // Refetches a subset of graphs (transform change, or live data for a
  // transformed graph) without touching the others.
  async function refetchGraphs(graphs) {
    const mine = state.generation;
    for (const g of graphs) g.root.dataset.state = 'loading';
    try {
      await fetchSeries(graphs, windowParams(), state.abort?.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      throw e;
    }
    if (mine !== state.generation) return;
    graphs.forEach(renderGraph);
  }

  function onZoom(g, minX, maxX) {
    // A double-click resets dygraphs' own zoom (no dateWindow): treat it like
    // the reset button.
    if (!g.dygraph.isZoomed('x')) {
      resetZoom();
      return;
    }
    // Vertical drags only zoom the y axis; nothing to refetch. (drawBands may
    // have extended the shown range into the future: that is still the window.)
    if (state.window && Math.abs(minX - state.window[0]) < 1 && maxX > state.window[1] - 1) return;
    state.zoom = [Math.floor(minX), Math.ceil(maxX)];
    loadWindow();
  }

  function resetZoom() {
    state.zoom = null;
    loadWindow();
  }

  // ---- live updates ------------------------------------------------------------

  const LIVE_TEXT = { live: 'live', reconnecting: 'reconnecting…', off: '' };

  function setLiveIndicator(mode) {
    ui.live.hidden = mode === 'off';
    ui.live.textContent = LIVE_TEXT[mode];
    ui.live.dataset.state = mode;
  }

  function startLive() {
    if (state.live || !liveAllowed || !state.check || !endsAtNow() || document.hidden) return;
    const es = new EventSource(`/api/live?${new URLSearchParams({ check: uuid })}`);
    const parse = (fn) => (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      if (data && typeof data === 'object') fn(data);
    };
    es.addEventListener('status', parse(onLiveStatus));
    es.addEventListener('metric', parse(onLiveMetric));
    es.addEventListener('open', () => setLiveIndicator('live'));
    // EventSource reconnects by itself; just say so.
    es.addEventListener('error', () => setLiveIndicator(es.readyState === EventSource.CLOSED ? 'off' : 'reconnecting'));
    state.live = es;
  }

  function stopLive() {
    state.live?.close();
    state.live = null;
    setLiveIndicator('off');
  }

  function addEvent(ev) {
    state.events.push(ev);
    queueFlush();
  }

  function onLiveStatus(s) {
    if (!Number.isFinite(s.time_ms)) return;
    const prev = state.check.status;
    const to = `${s.state}/${s.availability}`;
    const from = prev ? `${prev.state}/${prev.availability}` : null;
    if (from !== to) addEvent({ time_ms: s.time_ms, kind: 'status', metric: null, from, to });
    state.check.status = s;
    renderStatus(conditionOf(s), s);
    state.liveLatest = Math.max(state.liveLatest, s.time_ms);
  }

  function onLiveMetric(m) {
    if (typeof m.name !== 'string' || !Number.isFinite(m.time_ms)) return;
    const known = state.metrics.get(m.name);
    if (m.type === 's') {
      if (known && known.value !== m.value) {
        addEvent({ time_ms: m.time_ms, kind: 'text', metric: m.name, from: known.value ?? null, to: String(m.value) });
      }
      updateCatalogueValue(m.name, m.time_ms, m.value);
      return;
    }
    updateCatalogueValue(m.name, m.time_ms, m.value);
    const g = state.graphs.get(m.name);
    const v = typeof m.value === 'number' ? m.value : Number(m.value);
    if (!g || m.value === null || !Number.isFinite(v)) return;
    state.liveLatest = Math.max(state.liveLatest, m.time_ms);
    if (g.transform !== 'none') {
      // A rate needs the previous raw sample; let the server compute it.
      if (!g.refetchTimer) {
        g.refetchTimer = setTimeout(() => { g.refetchTimer = null; refetchGraphs([g]); }, TRANSFORM_REFETCH_MS);
      }
      return;
    }
    const last = g.rows[g.rows.length - 1];
    if (last && last[0].getTime() >= m.time_ms) return;
    g.rows.push([new Date(m.time_ms), [v, v, v]]);
    queueFlush();
  }

  // Batches redraws: a check reports all its metrics at once.
  function queueFlush() {
    if (state.flushQueued) return;
    state.flushQueued = true;
    requestAnimationFrame(() => {
      state.flushQueued = false;
      if (!endsAtNow()) return;
      const end = Math.max(Date.now(), state.liveLatest);
      state.window = [end - RANGES[state.range.span], end];
      for (const g of state.graphs.values()) {
        const cut = g.rows.findIndex((r) => r[0].getTime() >= state.window[0]);
        if (cut > 0) g.rows.splice(0, cut);
      }
      renderRangeBar();
      renderAllGraphs();
    });
  }

  // ---- wiring --------------------------------------------------------------------

  function wireControls() {
    for (const b of ui.rangeBar.querySelectorAll('button.range')) {
      b.addEventListener('click', () => {
        state.range = { span: b.dataset.range };
        state.zoom = null;
        loadWindow();
      });
    }
    ui.custom.addEventListener('submit', (e) => {
      e.preventDefault();
      const start = fromInputValue(ui.from.value);
      const end = fromInputValue(ui.to.value);
      if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
        showError('custom range: "from" must be before "to"', 'range');
        return;
      }
      clearError('range');
      state.range = { start, end };
      state.zoom = null;
      loadWindow();
    });
    ui.resetZoom.addEventListener('click', resetZoom);
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) stopLive();
      // Values that arrived while hidden were missed: reload, which reopens live.
      else if (endsAtNow() && !state.live) loadWindow();
    });
  }

  async function init() {
    initAlertBadge();
    if (!uuid) {
      ui.name.textContent = 'No check selected';
      ui.catalogue.hidden = true;
      ui.alerting.hidden = true;
      showError('missing ?uuid= in the address');
      return;
    }
    readRange();
    let data;
    try {
      data = await fetchJSON(`/api/checks/${encodeURIComponent(uuid)}`);
    } catch (e) {
      ui.name.textContent = e.status === 404 ? 'No such check' : 'Check unavailable';
      ui.catalogue.hidden = true;
      ui.alerting.hidden = true;
      return;
    }
    state.check = data.check;
    const metrics = (Array.isArray(data.metrics) ? data.metrics : [])
      .slice().sort((a, b) => a.name.localeCompare(b.name));
    for (const m of metrics) state.metrics.set(m.name, m);
    renderDefinition(data.check);
    renderStatus(data.check.condition, data.check.status);
    // Before the graphs: their bands wait on the same overview request.
    startAlerting();
    renderCatalogue(metrics);
    buildGraphs(metrics);
    ui.rangeBar.hidden = false;
    wireControls();
    await loadWindow();
  }

  init()
    .catch((e) => showError(`page error: ${e.message}`))
    .finally(() => { document.body.dataset.ready = 'true'; });
})();
