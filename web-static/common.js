// Helpers shared by index.html and check.html. Classic script (not a module)
// so that `node --check` can parse it and pages can load it without a bundler.
'use strict';

// Kept for the rare case where a string must be embedded in markup; the pages
// themselves build DOM nodes and assign textContent instead.
function escapeHTML(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

// Builds an element. Children that are strings become text nodes, so data can
// never be interpreted as markup. `attrs` keys: class, dataset, text, title, or
// any attribute name.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function truncate(text, max) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

// ---- error box -------------------------------------------------------------
// Errors are keyed by their source (usually the API path) so that a later
// success of the same request clears only its own message, not others.
const errorMessages = new Map();

function renderErrors() {
  const box = document.getElementById('error');
  if (!box) return;
  box.replaceChildren(...[...errorMessages.values()].map((m) => el('div', { text: m })));
  box.hidden = errorMessages.size === 0;
}

function showError(message, key = 'page') {
  errorMessages.set(key, String(message));
  renderErrors();
}

function clearError(key) {
  if (key === undefined) errorMessages.clear();
  else errorMessages.delete(key);
  renderErrors();
}

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

// Sends a request to the same origin and returns its JSON body (null for 204
// No Content). `opts`: method (GET), body (sent as JSON), signal, quiet (do not
// show failures in #error), errorKey (the #error slot; the API path by
// default). Non-2xx answers become an ApiError carrying the API's
// {"error": "..."} message. Aborted requests are rethrown silently.
async function requestJSON(url, opts = {}) {
  const method = (opts.method || 'GET').toUpperCase();
  const key = opts.errorKey ?? new URL(url, location.href).pathname;
  const fail = (message, status) => {
    const err = new ApiError(message, status);
    if (!opts.quiet) showError(message, key);
    throw err;
  };
  const init = { method, headers: { Accept: 'application/json' }, signal: opts.signal };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let resp;
  try {
    resp = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    fail(`${key}: request failed (${e.message})`, 0);
  }
  if (resp.status === 204) {
    if (!opts.quiet) clearError(key);
    return null;
  }
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    // Fall through: reported below with the HTTP status.
  }
  if (!resp.ok) {
    // The API's own message is meant for humans; only bare statuses need context.
    fail(body && typeof body.error === 'string' ? body.error : `${key}: HTTP ${resp.status}`, resp.status);
  }
  if (body === null || typeof body !== 'object') fail(`${key}: invalid JSON response`, resp.status);
  if (!opts.quiet) clearError(key);
  return body;
}

// GETs JSON from the same origin (see requestJSON); failures are also shown in
// #error unless opts.quiet.
function fetchJSON(url, opts = {}) {
  return requestJSON(url, { ...opts, method: 'GET', body: undefined });
}

// ---- time ------------------------------------------------------------------
// The UI shows every absolute time in UTC: operators compare it with server
// logs, and the browser's zone would make two screenshots disagree.

function toMs(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function formatUTC(value) {
  const ms = toMs(value);
  if (ms === null) return '—';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

function formatClock(value) {
  const ms = toMs(value);
  if (ms === null) return '—';
  return new Date(ms).toISOString().slice(11, 19);
}

function formatAge(value, now = Date.now()) {
  const ms = toMs(value);
  if (ms === null) return '—';
  // Small clock skew between browser and server would show "-2 s ago".
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60000)} min`;
}

function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(6)));
  }
  return String(value);
}

// Condition names the API may send; anything else is shown as "unknown" so a
// surprising value cannot inject an arbitrary class name.
const CONDITIONS = ['good', 'bad', 'unavailable', 'stale', 'unknown'];

function badge(condition) {
  const c = CONDITIONS.includes(condition) ? condition : 'unknown';
  return el('span', { class: `badge badge-${c}`, dataset: { condition: c }, text: c });
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// ---- alerting ----------------------------------------------------------------

// Severities the API may send, most urgent first; anything else is shown as
// "unknown" so a surprising value cannot inject an arbitrary class name.
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

function severityOf(value) {
  return SEVERITIES.includes(value) ? value : 'unknown';
}

function severityBadge(value) {
  const s = severityOf(value);
  return el('span', { class: `sev sev-${s}`, dataset: { severity: s }, text: s });
}

// The most urgent severity among `alerts` (unknown when none).
function worstSeverity(alerts) {
  let best = SEVERITIES.length;
  for (const a of alerts) {
    const i = SEVERITIES.indexOf(a && a.severity);
    if (i >= 0 && i < best) best = i;
  }
  return best < SEVERITIES.length ? SEVERITIES[best] : 'unknown';
}

// "in 2 h" / "5 min ago".
function formatRelative(value, now = Date.now()) {
  const ms = toMs(value);
  if (ms === null) return '—';
  if (ms <= now) return formatAge(ms, now);
  const s = Math.round((ms - now) / 1000);
  if (s < 120) return `in ${s} s`;
  if (s < 7200) return `in ${Math.round(s / 60)} min`;
  if (s < 172800) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86400)} d`;
}

// localStorage may be unavailable (privacy settings); the UI then just forgets.
function loadSetting(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

function saveSetting(key, value) {
  try { localStorage.setItem(key, value); } catch { /* not persisted */ }
}

// The count of open alerts next to the "alerts" link of the top bar
// (#alert-count), refreshed every 10 s while the page is visible. Hidden when
// there is none, or when the server has no alerting (404: then it stops
// asking). data-count holds the number once known, data-severity the worst
// severity among the unacknowledged ones. Returns { refresh }.
function initAlertBadge() {
  const node = document.getElementById('alert-count');
  if (!node) return { refresh() {} };
  const REFRESH_MS = 10000;
  const LIMIT = 1000;
  let timer = null;
  let disabled = false;

  function render(alerts) {
    const unacked = alerts.filter((a) => !a.acknowledged_at);
    const worst = worstSeverity(unacked.length ? unacked : alerts);
    const count = alerts.length;
    node.dataset.count = String(count);
    node.dataset.severity = worst;
    node.className = `count-badge sev-${worst}${unacked.length ? '' : ' acked'}`;
    node.textContent = count >= LIMIT ? `${LIMIT}+` : String(count);
    const bySeverity = SEVERITIES.map((s) => [s, alerts.filter((a) => a.severity === s).length])
      .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
    node.title = `${count} open alert${count === 1 ? '' : 's'}` +
      (bySeverity.length ? ` (${bySeverity.join(', ')})` : '') +
      (count ? `, ${count - unacked.length} acknowledged` : '');
    node.hidden = count === 0;
  }

  async function refresh() {
    clearTimeout(timer);
    if (disabled) return;
    try {
      const data = await fetchJSON(`/api/alerts?${new URLSearchParams({ state: 'open', limit: String(LIMIT) })}`, { quiet: true });
      render(Array.isArray(data.alerts) ? data.alerts : []);
    } catch (e) {
      node.hidden = true;
      if (e.status === 404) {
        disabled = true;
        node.dataset.count = '';
        node.parentElement?.setAttribute('title', 'alerting is not enabled on this stratcond');
        return;
      }
    }
    if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(timer);
    else refresh();
  });
  refresh();
  return { refresh };
}
