// Check list page (index.html).
'use strict';

(() => {
  const REFRESH_MS = 10000;
  const STATES = ['good', 'bad', 'unavailable', 'stale'];

  const form = document.getElementById('filters');
  const qInput = document.getElementById('q');
  const stateSel = document.getElementById('state');
  const moduleSel = document.getElementById('module');
  const tbody = document.querySelector('#checks tbody');
  const summary = document.getElementById('summary');
  const updated = document.getElementById('updated');
  const noitList = document.getElementById('noits');

  // Modules accumulate across responses: once the list is filtered by module
  // the response no longer shows the others, but they must stay selectable.
  const knownModules = new Set();
  let limit = null;
  let generation = 0;
  let inflight = null;
  let timer = null;

  function setModuleOptions(selected) {
    if (selected) knownModules.add(selected);
    const options = [...knownModules].sort().map((m) => el('option', { value: m, text: m }));
    moduleSel.replaceChildren(el('option', { value: '', text: 'any module' }), ...options);
    moduleSel.value = selected || '';
  }

  function readURL() {
    const p = new URLSearchParams(location.search);
    qInput.value = p.get('q') ?? '';
    const state = p.get('state') ?? '';
    stateSel.value = STATES.includes(state) ? state : '';
    setModuleOptions(p.get('module') ?? '');
    const l = Number.parseInt(p.get('limit') ?? '', 10);
    limit = Number.isFinite(l) && l > 0 ? l : null;
  }

  function filterParams() {
    const p = new URLSearchParams();
    const q = qInput.value.trim();
    if (q) p.set('q', q);
    if (stateSel.value) p.set('state', stateSel.value);
    if (moduleSel.value) p.set('module', moduleSel.value);
    if (limit) p.set('limit', String(limit));
    return p;
  }

  function writeURL(p) {
    const qs = p.toString();
    history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
  }

  function checkRow(c) {
    const st = c.status;
    const name = el('a', { href: `/check.html?uuid=${encodeURIComponent(c.uuid)}`, text: c.name || c.uuid });
    return el('tr', { class: 'check-row', dataset: { uuid: c.uuid, condition: c.condition } },
      el('td', {}, badge(c.condition)),
      el('td', { class: 'name' }, name, c.deleted_at ? el('span', { class: 'tag', text: 'deleted' }) : null),
      el('td', { text: c.target }),
      el('td', { text: c.module }),
      el('td', { class: 'status-text', title: st ? st.status : null, text: st ? truncate(st.status, 200) : '—' }),
      el('td', {
        class: 'age',
        dataset: st ? { ms: String(st.time_ms) } : {},
        title: st ? formatUTC(st.time_ms) : null,
        text: st ? formatAge(st.time_ms) : '—',
      }),
      el('td', { text: c.noit }));
  }

  function renderChecks(data) {
    const checks = Array.isArray(data.checks) ? data.checks : [];
    let added = false;
    for (const c of checks) {
      if (c.module && !knownModules.has(c.module)) { knownModules.add(c.module); added = true; }
    }
    if (added) setModuleOptions(moduleSel.value);

    if (checks.length === 0) {
      tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 7, text: 'No checks match.' })));
    } else {
      tbody.replaceChildren(...checks.map(checkRow));
    }
    const count = data.count ?? checks.length;
    summary.textContent = data.truncated
      ? `${checks.length} of ${count} checks shown (truncated; narrow the search)`
      : `${count} check${count === 1 ? '' : 's'}`;
  }

  function renderNoits(data) {
    const noits = Array.isArray(data.noits) ? data.noits : [];
    if (noits.length === 0) {
      noitList.replaceChildren(el('li', { class: 'muted', text: 'no noits' }));
      return;
    }
    noitList.replaceChildren(...noits.map((n) => {
      const parts = [n.connected ? 'connected' : 'disconnected'];
      parts.push(n.last_batch ? `batch ${formatAge(n.last_batch)}` : 'no batch yet');
      if (n.lag_ms) parts.push(`lag p99 ${formatDuration(n.lag_ms.p99)}`);
      const title = [
        `subscriber: ${n.subscriber ?? '—'}`,
        `first seen: ${formatUTC(n.first_seen)}`,
        `last batch: ${formatUTC(n.last_batch)}`,
        `records stored: ${n.records_stored ?? '—'}`,
        `checkpoint: ${n.checkpoint ?? '—'}`,
        n.lag_ms ? `lag p50/p99/max: ${n.lag_ms.p50}/${n.lag_ms.p99}/${n.lag_ms.max} ms` : 'lag: —',
      ].join('\n');
      return el('li', { class: `noit ${n.connected ? 'connected' : 'disconnected'}`, dataset: { noit: n.name }, title },
        el('span', { class: 'dot' }),
        el('span', { class: 'noit-name', text: n.name }),
        el('span', { class: 'noit-info', text: parts.join(' · ') }));
    }));
  }

  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    inflight?.abort();
    inflight = new AbortController();
    const params = filterParams();
    writeURL(params);
    const opts = { signal: inflight.signal };
    const [checks, noits] = await Promise.allSettled([
      fetchJSON(`/api/checks?${params}`, opts),
      fetchJSON('/api/noits', opts),
    ]);
    // A newer refresh superseded this one (typing, or the timer); its result wins.
    if (mine !== generation) return;
    if (checks.status === 'fulfilled') renderChecks(checks.value);
    else if (checks.reason.status >= 400 && checks.reason.status < 500) {
      // The filter itself was rejected: rows from the previous filter would mislead.
      tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 7, text: 'Query rejected (see the error above).' })));
      summary.textContent = '';
    }
    if (noits.status === 'fulfilled') renderNoits(noits.value);
    if (checks.status === 'fulfilled' || noits.status === 'fulfilled') {
      updated.textContent = `updated ${formatClock(Date.now())} UTC`;
    }
    document.body.dataset.ready = 'true';
    if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
  }

  // Ages drift between refreshes; recompute them from the stored timestamps.
  function tickAges() {
    const now = Date.now();
    for (const cell of tbody.querySelectorAll('td.age[data-ms]')) {
      cell.textContent = formatAge(Number(cell.dataset.ms), now);
    }
  }

  const refreshSoon = debounce(refresh, 250);
  qInput.addEventListener('input', refreshSoon);
  stateSel.addEventListener('change', refresh);
  moduleSel.addEventListener('change', refresh);
  form.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else refresh();
  });
  setInterval(tickAges, 1000);

  readURL();
  refresh();
  initAlertBadge();
})();
