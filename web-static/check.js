// Check page (check.html?uuid=...): definition, status, metric catalogue and
// one dygraph per numeric metric, with zoom, event annotations and live data.
'use strict';

// ---- extension hook ----------------------------------------------------------
// Called after every (re)draw of a metric's graph with the Dygraph instance and
// the metric's catalogue entry. Deliberately empty for now: a later feature will
// draw anomaly bands and forecasts here (e.g. by installing an
// underlayCallback). Global on purpose, so that feature can replace it.
function drawBands(graph, metric) {}
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
    drawBands(g.dygraph, g.metric);
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
    // Vertical drags only zoom the y axis; nothing to refetch.
    if (state.window && Math.abs(minX - state.window[0]) < 1 && Math.abs(maxX - state.window[1]) < 1) return;
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
    if (!uuid) {
      ui.name.textContent = 'No check selected';
      ui.catalogue.hidden = true;
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
      return;
    }
    state.check = data.check;
    const metrics = (Array.isArray(data.metrics) ? data.metrics : [])
      .slice().sort((a, b) => a.name.localeCompare(b.name));
    for (const m of metrics) state.metrics.set(m.name, m);
    renderDefinition(data.check);
    renderStatus(data.check.condition, data.check.status);
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
