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

// GETs JSON from the same origin. Non-2xx answers become an ApiError carrying
// the API's {"error": "..."} message, which is also shown in #error (unless
// opts.quiet). Aborted requests are rethrown silently.
async function fetchJSON(url, opts = {}) {
  const key = opts.errorKey ?? new URL(url, location.href).pathname;
  const fail = (message, status) => {
    const err = new ApiError(message, status);
    if (!opts.quiet) showError(message, key);
    throw err;
  };
  let resp;
  try {
    resp = await fetch(url, { headers: { Accept: 'application/json' }, signal: opts.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    fail(`${key}: request failed (${e.message})`, 0);
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
