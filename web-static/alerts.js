// Alerts page (alerts.html[?state=open|resolved|all][&check=uuid][&alert=id]
// [&outbox=state][&expired=1]): alerts with acknowledgement, one alert's
// details/history/notifications, silences (list, add, end), rules (read-only)
// and the notification outbox. Every value from the API is inserted as text.
'use strict';

(() => {
  const REFRESH_MS = 10000;
  const ALERT_STATES = ['open', 'resolved', 'all'];
  const OUTBOX_STATES = ['all', 'pending', 'delivered', 'rejected', 'abandoned'];
  const OUTBOX_LIMIT = 100;
  const NAME_KEY = 'stratcond.operator';
  const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // As the server's duration parser: 90, 90s, 5m, 3h, 2d, 1w, 250ms, 1h30m.
  const DURATION_RE = /^(\d{1,9}|(\d{1,9}(ms|[smhdw]))+)$/;
  const TITLES = { open: 'Open alerts', resolved: 'Resolved alerts', all: 'All alerts' };
  const SELECTOR_KEYS = ['module', 'target', 'check', 'checks', 'metric'];
  const NOT_PARAMETERS = new Set(['name', 'type', 'severity', 'source', 'updated_at', 'problem', 'enabled', 'hooks', ...SELECTOR_KEYS]);

  const $ = (id) => document.getElementById(id);
  const ui = {
    updated: $('updated'),
    alertState: $('alert-state'), alertsTitle: $('alerts-title'), alertsSummary: $('alerts-summary'),
    alerts: document.querySelector('#open-alerts tbody'),
    checkFilter: $('check-filter'), checkFilterName: $('check-filter-name'), clearCheck: $('clear-check-filter'),
    detail: $('alert-detail'), detailTitle: $('alert-detail-title'), detailSummary: $('alert-detail-summary'),
    detailActions: $('alert-detail-actions'), detailAck: $('alert-detail-ack'), closeDetail: $('close-detail'),
    fields: $('alert-fields'), details: $('alert-details'),
    history: document.querySelector('#alert-history tbody'), detailOutbox: document.querySelector('#alert-outbox tbody'),
    silences: document.querySelector('#silences tbody'), showExpired: $('show-expired'),
    silenceForm: $('silence-form'), silenceError: $('silence-error'), ruleNames: $('rule-names'),
    rules: document.querySelector('#rules tbody'), rulesSummary: $('rules-summary'),
    outbox: document.querySelector('#outbox tbody'), outboxState: $('outbox-state'), outboxSummary: $('outbox-summary'),
  };
  const silenceInputs = {
    rule: $('silence-rule'), check: $('silence-check'), target: $('silence-target'),
    duration: $('silence-duration'), comment: $('silence-comment'), by: $('silence-by'), submit: $('silence-submit'),
  };

  const state = {
    alertState: 'open',
    check: null,          // uuid filter, from ?check=
    selected: null,       // alert id (number) shown in the detail section
    outboxState: 'all',
    showExpired: false,
    alerts: [],
    ack: null,            // { id, where: 'row' | 'detail', form, row? } of the open acknowledge form
    deferred: null,       // alerts that arrived while a row's acknowledge form was open
    gen: { alerts: 0, detail: 0, silences: 0, rules: 0, outbox: 0 },
    disabled: false,      // the server has no alerting (404 from the list endpoints)
  };
  let timer = null;
  let badge = null;

  // ---- URL -----------------------------------------------------------------------

  function readURL() {
    const p = new URLSearchParams(location.search);
    const st = p.get('state');
    state.alertState = ALERT_STATES.includes(st) ? st : 'open';
    const check = (p.get('check') ?? '').trim();
    state.check = check || null;
    const id = Number.parseInt(p.get('alert') ?? '', 10);
    state.selected = Number.isSafeInteger(id) && id > 0 ? id : null;
    const ob = p.get('outbox');
    state.outboxState = OUTBOX_STATES.includes(ob) ? ob : 'all';
    state.showExpired = p.get('expired') === '1';
    ui.alertState.value = state.alertState;
    ui.outboxState.value = state.outboxState;
    ui.showExpired.checked = state.showExpired;
  }

  function urlParams(overrides = {}) {
    const s = { ...state, ...overrides };
    const p = new URLSearchParams();
    if (s.alertState !== 'open') p.set('state', s.alertState);
    if (s.check) p.set('check', s.check);
    if (s.selected) p.set('alert', String(s.selected));
    if (s.outboxState !== 'all') p.set('outbox', s.outboxState);
    if (s.showExpired) p.set('expired', '1');
    return p;
  }

  function writeURL() {
    const qs = urlParams().toString();
    history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
  }

  // A link to this page showing one alert (works in a new tab too).
  function alertHref(id) {
    return `/alerts.html?${urlParams({ selected: id, alertState: state.alertState })}`;
  }

  const checkHref = (uuid) => `/check.html?uuid=${encodeURIComponent(uuid)}`;

  // ---- small builders -------------------------------------------------------------

  function timeCell(value, { cls = '', withAge = true } = {}) {
    const ms = toMs(value);
    if (ms === null) return el('td', { class: cls, text: '—' });
    return el('td', { class: `time ${cls}`.trim(), title: String(value) },
      el('span', { text: formatUTC(ms) }),
      withAge ? el('span', { class: 'age muted', dataset: { ms: String(ms) }, text: formatRelative(ms) }) : null);
  }

  function tag(text, cls) {
    return el('span', { class: `tag ${cls || ''}`.trim(), text });
  }

  function emptyRow(colspan, text) {
    return el('tr', { class: 'empty' }, el('td', { colspan, text }));
  }

  const OUTBOX_STATE_CLASSES = ['pending', 'delivered', 'rejected', 'abandoned'];
  function outboxStateTag(s) {
    const c = OUTBOX_STATE_CLASSES.includes(s) ? s : 'unknown';
    return el('span', { class: `state-tag state-${c}`, text: s ?? 'unknown' });
  }

  // The operator's name, remembered for acknowledgements and silences.
  function rememberName(name) {
    saveSetting(NAME_KEY, name);
    if (!silenceInputs.by.value.trim()) silenceInputs.by.value = name;
  }

  function setFormError(node, message) {
    node.textContent = message || '';
    node.hidden = !message;
  }

  // GETs one of the list endpoints. They only answer 404 when the server has
  // no alerting at all (the routes are absent): that turns the page into a
  // notice instead of four identical errors.
  async function getList(url) {
    const key = new URL(url, location.href).pathname;
    try {
      const data = await fetchJSON(url, { quiet: true });
      clearError(key);
      return data;
    } catch (e) {
      if (e.status === 404) {
        clearError(key);
        disableAlerting();
      } else if (e.name !== 'AbortError') {
        showError(e.message, key);
      }
      throw e;
    }
  }

  function disableAlerting() {
    if (state.disabled) return;
    state.disabled = true;
    clearTimeout(timer);
    for (const id of ['alerts-section', 'alert-detail', 'silences-section', 'rules-section', 'outbox-section']) $(id).hidden = true;
    const notice = el('p', { id: 'alerting-disabled', class: 'card notice', text: 'Alerting is not enabled on this stratcond (it serves no /api/alerts).' });
    document.querySelector('main').prepend(notice);
    document.body.dataset.alerting = 'disabled';
  }

  // ---- alerts list ----------------------------------------------------------------

  function alertRow(a) {
    const id = String(a.id);
    const open = a.state === 'open';
    const check = a.uuid
      ? el('a', { href: checkHref(a.uuid), text: a.check || a.uuid })
      : el('span', { text: a.check || '—' });
    const summary = el('td', { class: 'summary', title: a.summary ?? null },
      el('span', { text: truncate(a.summary ?? '—', 300) }),
      a.silenced ? tag('silenced', 'tag-silenced') : null);
    let acked;
    if (a.acknowledged_at || a.acknowledged_by) {
      acked = el('td', { class: 'acked', title: formatUTC(a.acknowledged_at) },
        el('span', { class: 'ack-by', text: a.acknowledged_by || '—' }),
        el('span', { class: 'age muted', dataset: a.acknowledged_at ? { ms: String(toMs(a.acknowledged_at)) } : {}, text: formatRelative(a.acknowledged_at) }));
    } else if (open) {
      acked = el('td', {}, el('button', { type: 'button', class: 'ack-button', dataset: { alertId: id }, text: 'acknowledge' }));
    } else {
      acked = el('td', { class: 'muted', text: '—' });
    }
    const stateCell = open
      ? el('td', {}, tag('open', 'tag-open'))
      : el('td', { class: 'time', title: a.resolved_at ?? null },
        tag('resolved', 'tag-resolved'),
        el('span', { class: 'age muted', dataset: a.resolved_at ? { ms: String(toMs(a.resolved_at)) } : {}, text: formatRelative(a.resolved_at) }));
    const classes = ['alert-row', `sev-row-${severityOf(a.severity)}`];
    if (state.selected === a.id) classes.push('selected');
    if (a.acknowledged_at) classes.push('acknowledged');
    return el('tr', {
      class: classes.join(' '),
      tabindex: '0',
      'aria-selected': String(state.selected === a.id),
      dataset: {
        alertId: id, severity: severityOf(a.severity), state: open ? 'open' : 'resolved',
        acknowledged: String(Boolean(a.acknowledged_at)), silenced: String(Boolean(a.silenced)),
      },
    },
    el('td', {}, severityBadge(a.severity)),
    el('td', { class: 'rule', text: a.rule ?? '—' }),
    el('td', { class: 'check' }, check, a.target ? el('div', { class: 'muted small', text: a.target }) : null),
    el('td', { class: 'metric', text: a.metric ?? '—' }),
    summary,
    timeCell(a.opened_at),
    stateCell,
    acked);
  }

  function renderAlerts(alerts) {
    state.alerts = alerts;
    // Rebuilding the table would take the focus from an acknowledge form being
    // typed into: keep the rows until it is submitted or cancelled.
    if (state.ack && state.ack.where === 'row' && state.ack.row.isConnected) {
      state.deferred = alerts;
      return;
    }
    state.deferred = null;
    ui.alertsTitle.textContent = TITLES[state.alertState];
    if (alerts.length === 0) {
      const what = state.alertState === 'all' ? 'alerts' : `${state.alertState} alerts`;
      ui.alerts.replaceChildren(emptyRow(8, `No ${what}${state.check ? ' for this check' : ''}.`));
    } else {
      ui.alerts.replaceChildren(...alerts.map(alertRow));
    }
    const acked = alerts.filter((a) => a.acknowledged_at).length;
    const silenced = alerts.filter((a) => a.silenced).length;
    const extra = [acked ? `${acked} acknowledged` : '', silenced ? `${silenced} silenced` : ''].filter(Boolean);
    ui.alertsSummary.textContent = `${alerts.length} alert${alerts.length === 1 ? '' : 's'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    if (state.check) {
      const named = alerts.find((a) => a.check);
      ui.checkFilterName.textContent = named ? `${named.check} (${state.check})` : state.check;
    }
    ui.checkFilter.hidden = !state.check;
  }

  async function refreshAlerts() {
    const mine = ++state.gen.alerts;
    const p = new URLSearchParams({ state: state.alertState });
    if (state.check) p.set('check', state.check);
    try {
      const data = await getList(`/api/alerts?${p}`);
      if (mine !== state.gen.alerts) return;
      renderAlerts(Array.isArray(data.alerts) ? data.alerts : []);
    } catch (e) {
      if (mine !== state.gen.alerts) return;
      if (e.status >= 400 && e.status < 500 && e.status !== 404) ui.alerts.replaceChildren(emptyRow(8, 'Query rejected (see the error above).'));
      ui.alertsSummary.textContent = '';
      throw e;
    }
  }

  // ---- acknowledging --------------------------------------------------------------

  function closeAck() {
    if (!state.ack) return;
    (state.ack.row || state.ack.form).remove();
    state.ack = null;
    if (state.deferred) renderAlerts(state.deferred);
  }

  function buildAckForm(id) {
    const by = el('input', { name: 'by', type: 'text', required: true, maxlength: '200', size: '16', placeholder: 'your name', 'aria-label': 'acknowledged by' });
    by.value = loadSetting(NAME_KEY) ?? '';
    const note = el('input', { name: 'note', type: 'text', maxlength: '2000', size: '40', placeholder: 'note (optional)', 'aria-label': 'note' });
    const error = el('span', { class: 'form-error', role: 'alert', hidden: true });
    const submit = el('button', { type: 'submit', class: 'primary', text: 'acknowledge' });
    const cancel = el('button', { type: 'button', class: 'cancel', text: 'cancel' });
    const form = el('form', { class: 'ack-form inline-form', dataset: { alertId: String(id) } },
      el('span', { class: 'muted', text: `acknowledge alert #${id} as` }), by, note, submit, cancel, error);
    cancel.addEventListener('click', closeAck);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const name = by.value.trim();
      if (!name) { setFormError(error, 'a name is required'); by.focus(); return; }
      rememberName(name);
      setFormError(error, '');
      submit.disabled = true;
      try {
        const data = await requestJSON(`/api/alerts/${encodeURIComponent(id)}/ack`, {
          method: 'POST', body: { by: name, note: note.value.trim() }, quiet: true,
        });
        clearError('ack');
        closeAck();
        if (state.selected === id && data && data.alert) renderDetail(data);
        refreshSoon();
      } catch (err) {
        submit.disabled = false;
        if (err.status === 409) {
          // Someone else was quicker: say so and show the current state.
          closeAck();
          showError(err.message, 'ack');
          refreshSoon();
        } else {
          setFormError(error, err.message);
        }
      }
    });
    // Keep clicks inside the form from selecting the row underneath.
    form.addEventListener('click', (e) => e.stopPropagation());
    return { form, by, note };
  }

  function openAck(id, where) {
    if (state.ack && state.ack.id === id && state.ack.where === where) {
      state.ack.by.focus();
      return;
    }
    closeAck();
    const { form, by, note } = buildAckForm(id);
    if (where === 'row') {
      const row = ui.alerts.querySelector(`tr[data-alert-id="${CSS.escape(String(id))}"]`);
      if (!row) return;
      const formRow = el('tr', { class: 'ack-form-row', dataset: { ackFor: String(id) } }, el('td', { colspan: 8 }, form));
      row.after(formRow);
      state.ack = { id, where, form, by, note, row: formRow };
    } else {
      ui.detailAck.replaceChildren(form);
      state.ack = { id, where, form, by, note, row: null };
    }
    (by.value ? note : by).focus();
  }

  // ---- one alert ------------------------------------------------------------------

  function definitionRows(rows) {
    return rows.flatMap(([k, v]) => [
      el('dt', { text: k }),
      el('dd', { dataset: { field: k } }, v instanceof Node ? v : el('span', { text: v ?? '—' })),
    ]);
  }

  const TIME_TEXT = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

  function renderDetail(data) {
    const a = data.alert;
    const open = a.state === 'open';
    ui.detail.hidden = false;
    ui.detail.dataset.alertId = String(a.id);
    ui.detail.dataset.severity = severityOf(a.severity);
    ui.detailTitle.replaceChildren(severityBadge(a.severity), ` Alert #${a.id} · `, el('span', { text: a.rule ?? '—' }));
    ui.detailSummary.textContent = a.summary ?? '';

    const actions = [];
    if (open && !a.acknowledged_at) {
      const ack = el('button', { type: 'button', id: 'detail-ack', text: 'acknowledge' });
      ack.addEventListener('click', () => openAck(a.id, 'detail'));
      actions.push(ack);
    }
    const silence = el('button', { type: 'button', id: 'detail-silence', text: 'silence…', title: 'fill the silence form with this rule and check' });
    silence.addEventListener('click', () => prefillSilence(a));
    actions.push(silence);
    ui.detailActions.replaceChildren(...actions);
    if (state.ack && state.ack.where === 'detail' && (state.ack.id !== a.id || !open || a.acknowledged_at)) closeAck();

    const check = a.uuid
      ? el('span', {}, el('a', { href: checkHref(a.uuid), text: a.check || a.uuid }), el('span', { class: 'muted mono', text: ` ${a.uuid}` }))
      : (a.check ?? '—');
    const acked = a.acknowledged_at
      ? `${formatUTC(a.acknowledged_at)} by ${a.acknowledged_by ?? '—'}`
      : 'no';
    ui.fields.replaceChildren(...definitionRows([
      ['id', String(a.id)], ['key', a.key], ['rule', a.rule], ['check', check], ['target', a.target],
      ['metric', a.metric ?? '—'], ['severity', a.severity], ['state', a.state],
      ['opened', `${formatUTC(a.opened_at)} (${formatRelative(a.opened_at)})`],
      ['resolved', a.resolved_at ? `${formatUTC(a.resolved_at)} (${formatRelative(a.resolved_at)})` : '—'],
      ['acknowledged', acked], ['value', formatValue(a.value)], ['silenced', a.silenced ? 'yes' : 'no'],
    ]));

    const details = a.details && typeof a.details === 'object' ? Object.entries(a.details) : [];
    details.sort(([x], [y]) => x.localeCompare(y));
    ui.details.replaceChildren(...(details.length
      ? definitionRows(details.map(([k, v]) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        if (typeof v === 'string' && TIME_TEXT.test(v) && toMs(v) !== null) {
          return [k, el('span', { title: v, text: `${formatUTC(v)} (${formatRelative(v)})` })];
        }
        return [k, text];
      }))
      : [el('dd', { class: 'muted', text: 'none' })]));

    const history = Array.isArray(data.history) ? data.history : [];
    ui.history.replaceChildren(...(history.length
      ? history.map((h) => el('tr', { dataset: { event: String(h.event ?? '') } },
        timeCell(h.at),
        el('td', {}, tag(h.event ?? '—', `tag-event`)),
        el('td', { class: 'wrap', text: h.detail ?? '' })))
      : [emptyRow(3, 'No history.')]));

    const outbox = Array.isArray(data.outbox) ? data.outbox : [];
    ui.detailOutbox.replaceChildren(...(outbox.length
      ? outbox.map((o) => outboxRow(o, false))
      : [emptyRow(9, 'No notifications (no hook, or silenced).')]));
  }

  function markSelectedRow() {
    for (const row of ui.alerts.querySelectorAll('tr[data-alert-id]')) {
      const on = Number(row.dataset.alertId) === state.selected;
      row.classList.toggle('selected', on);
      row.setAttribute('aria-selected', String(on));
    }
  }

  async function refreshDetail() {
    const id = state.selected;
    const mine = ++state.gen.detail;
    if (!id) {
      ui.detail.hidden = true;
      return;
    }
    try {
      const data = await fetchJSON(`/api/alerts/${encodeURIComponent(id)}`, { errorKey: 'alert-detail' });
      if (mine !== state.gen.detail || state.selected !== id) return;
      if (!data.alert || typeof data.alert !== 'object') throw new ApiError('invalid alert response', 200);
      renderDetail(data);
    } catch (e) {
      if (mine !== state.gen.detail) return;
      if (e.status === 404) {
        clearError('alert-detail');
        ui.detail.hidden = false;
        ui.detail.dataset.alertId = String(id);
        ui.detailTitle.textContent = `Alert #${id}`;
        ui.detailSummary.textContent = 'No such alert.';
        ui.detailActions.replaceChildren();
        for (const n of [ui.fields, ui.details, ui.history, ui.detailOutbox]) n.replaceChildren();
        return;
      }
      throw e;
    }
  }

  function selectAlert(id) {
    if (state.ack && state.ack.where === 'detail' && state.ack.id !== id) closeAck();
    state.selected = id;
    writeURL();
    markSelectedRow();
    refreshDetail()
      .then(() => { if (state.selected === id && !ui.detail.hidden) ui.detail.scrollIntoView({ block: 'nearest' }); })
      .catch(() => {});
  }

  // ---- silences -------------------------------------------------------------------

  function silenceRow(s) {
    const matchers = [];
    if (s.rule) matchers.push(el('span', { class: 'matcher' }, 'rule ', el('b', { text: s.rule })));
    if (s.check) matchers.push(el('span', { class: 'matcher' }, 'check ', el('a', { href: checkHref(s.check), class: 'mono', text: s.check })));
    if (s.target) matchers.push(el('span', { class: 'matcher' }, 'target ', el('b', { class: 'mono', text: s.target })));
    const now = Date.now();
    const starts = toMs(s.starts_at);
    const upcoming = starts !== null && starts > now;
    const status = s.active ? 'active' : (upcoming ? 'scheduled' : 'expired');
    let action = null;
    if (s.active || upcoming) {
      action = el('button', { type: 'button', class: 'end-silence', dataset: { silenceId: String(s.id) }, text: 'end now' });
    }
    return el('tr', { class: `silence-row silence-${status}`, dataset: { silenceId: String(s.id), active: String(Boolean(s.active)) } },
      el('td', { text: `#${s.id}` }),
      el('td', { class: 'matchers' }, matchers.length ? matchers : el('span', { class: 'muted', text: '—' }),
        s.active ? null : tag(status, `tag-${status}`)),
      timeCell(s.starts_at),
      timeCell(s.ends_at),
      el('td', { class: 'wrap', text: s.comment || '—' }),
      el('td', { text: s.created_by || '—' }),
      el('td', {}, action));
  }

  async function refreshSilences() {
    const mine = ++state.gen.silences;
    const data = await getList(`/api/silences?${new URLSearchParams({ expired: String(state.showExpired) })}`);
    if (mine !== state.gen.silences) return;
    const list = Array.isArray(data.silences) ? data.silences : [];
    ui.silences.replaceChildren(...(list.length
      ? list.map(silenceRow)
      : [emptyRow(7, state.showExpired ? 'No silences.' : 'No active silences.')]));
  }

  // "end now" asks for a second click within a few seconds: ending a silence
  // lets notifications through again.
  async function endSilence(button) {
    const id = button.dataset.silenceId;
    if (button.dataset.confirm !== 'true') {
      button.dataset.confirm = 'true';
      button.textContent = 'click again to end';
      setTimeout(() => {
        if (button.isConnected) { button.dataset.confirm = ''; button.textContent = 'end now'; }
      }, 4000);
      return;
    }
    button.disabled = true;
    try {
      await requestJSON(`/api/silences/${encodeURIComponent(id)}`, { method: 'DELETE', errorKey: 'silence-end' });
      refreshSoon();
    } catch {
      button.disabled = false;
    }
  }

  function prefillSilence(a) {
    silenceInputs.rule.value = a.rule ?? '';
    silenceInputs.check.value = a.uuid ?? '';
    silenceInputs.target.value = '';
    if (!silenceInputs.comment.value) silenceInputs.comment.value = `alert #${a.id}`;
    ui.silenceForm.scrollIntoView({ block: 'center' });
    silenceInputs.duration.focus();
  }

  async function addSilence(e) {
    e.preventDefault();
    const v = (k) => silenceInputs[k].value.trim();
    const body = {};
    for (const k of ['rule', 'check', 'target']) if (v(k)) body[k] = v(k);
    if (!body.rule && !body.check && !body.target) {
      setFormError(ui.silenceError, 'give at least one of rule, check uuid or target pattern (target * silences everything)');
      return;
    }
    if (body.check && !UUID_RE.test(body.check)) {
      setFormError(ui.silenceError, `check "${body.check}" is not a uuid`);
      return;
    }
    if (!DURATION_RE.test(v('duration'))) {
      setFormError(ui.silenceError, 'the duration must look like 30m, 2h, 1d or 1h30m');
      return;
    }
    if (!v('by')) {
      setFormError(ui.silenceError, 'say who creates the silence');
      return;
    }
    body.duration = v('duration');
    body.comment = v('comment');
    body.created_by = v('by');
    rememberName(body.created_by);
    setFormError(ui.silenceError, '');
    silenceInputs.submit.disabled = true;
    try {
      const created = await requestJSON('/api/silences', { method: 'POST', body, quiet: true });
      for (const k of ['rule', 'check', 'target', 'comment']) silenceInputs[k].value = '';
      ui.silenceForm.dataset.created = created && created.id !== undefined ? String(created.id) : '';
      refreshSoon();
    } catch (err) {
      setFormError(ui.silenceError, err.message);
    } finally {
      silenceInputs.submit.disabled = false;
    }
  }

  // ---- rules ----------------------------------------------------------------------

  function pairs(rule, keys) {
    return keys.filter((k) => rule[k] !== undefined && rule[k] !== null && rule[k] !== '')
      .map((k) => el('span', { class: 'param', dataset: { key: k } }, el('span', { class: 'param-key', text: k }), el('span', { class: 'param-value', text: String(rule[k]) })));
  }

  function ruleRow(r) {
    const selector = pairs(r, SELECTOR_KEYS);
    const params = pairs(r, Object.keys(r).filter((k) => !NOT_PARAMETERS.has(k)).sort());
    const disabled = r.enabled === 'false' || r.enabled === false;
    const classes = ['rule-row'];
    if (r.problem) classes.push('problem');
    if (disabled) classes.push('disabled');
    return el('tr', { class: classes.join(' '), dataset: { rule: String(r.name ?? ''), source: String(r.source ?? ''), problem: String(Boolean(r.problem)) } },
      el('td', { class: 'name' },
        el('span', { text: r.name ?? '—' }),
        disabled ? tag('disabled', 'tag-disabled') : null,
        r.problem ? el('div', { class: 'problem-text', text: `problem: ${r.problem}` }) : null),
      el('td', { text: r.type ?? '—' }),
      el('td', {}, r.severity ? severityBadge(r.severity) : '—'),
      el('td', { class: 'params' }, selector.length ? selector : el('span', { class: 'muted', text: 'every check' })),
      el('td', { class: 'params' }, params.length ? params : el('span', { class: 'muted', text: '—' })),
      el('td', { text: r.hooks || '—' }),
      el('td', { title: r.updated_at ? `updated ${formatUTC(r.updated_at)}` : null, text: r.source ?? '—' }));
  }

  async function refreshRules() {
    const mine = ++state.gen.rules;
    const data = await getList('/api/rules');
    if (mine !== state.gen.rules) return;
    const rules = (Array.isArray(data.rules) ? data.rules : []).slice()
      .sort((a, b) => String(a.name ?? '').localeCompare(String(b.name ?? '')));
    ui.rules.replaceChildren(...(rules.length ? rules.map(ruleRow) : [emptyRow(7, 'No rules.')]));
    const problems = rules.filter((r) => r.problem).length;
    ui.rulesSummary.textContent = `${rules.length} rule${rules.length === 1 ? '' : 's'}${problems ? `, ${problems} with a problem` : ''}`;
    ui.rulesSummary.classList.toggle('problem-text', problems > 0);
    ui.ruleNames.replaceChildren(...rules.map((r) => el('option', { value: String(r.name ?? '') })));
  }

  // ---- outbox ---------------------------------------------------------------------

  function outboxRow(o, withAlert = true) {
    const cells = [];
    if (withAlert) {
      cells.push(el('td', { text: `#${o.id}` }));
      const link = el('a', { href: alertHref(o.alert_id), class: 'alert-link', dataset: { alertId: String(o.alert_id) }, text: `#${o.alert_id}` });
      cells.push(el('td', { title: o.key ?? null }, link));
    }
    cells.push(
      el('td', { text: o.hook ?? '—' }),
      el('td', { text: o.action ?? '—' }),
      el('td', {}, outboxStateTag(o.state)),
      el('td', { class: 'num', text: o.attempts ?? '—' }),
      timeCell(o.created_at),
      timeCell(o.next_attempt_at),
      timeCell(o.delivered_at),
      el('td', { class: 'num', text: o.last_status ?? '—' }),
      el('td', { class: o.last_error ? 'wrap error-text' : 'muted', title: o.last_error ?? null, text: o.last_error ? truncate(o.last_error, 300) : '—' }));
    const s = OUTBOX_STATE_CLASSES.includes(o.state) ? o.state : 'unknown';
    return el('tr', { class: `outbox-row outbox-${s}`, dataset: { outboxId: String(o.id), state: s, hook: String(o.hook ?? '') } }, cells);
  }

  async function refreshOutbox() {
    const mine = ++state.gen.outbox;
    const data = await getList(`/api/outbox?${new URLSearchParams({ state: state.outboxState, limit: String(OUTBOX_LIMIT) })}`);
    if (mine !== state.gen.outbox) return;
    const list = Array.isArray(data.outbox) ? data.outbox : [];
    ui.outbox.replaceChildren(...(list.length ? list.map((o) => outboxRow(o)) : [emptyRow(11, 'No notifications.')]));
    const pending = list.filter((o) => o.state === 'pending').length;
    const failed = list.filter((o) => o.state === 'rejected' || o.state === 'abandoned').length;
    const extra = [pending ? `${pending} pending` : '', failed ? `${failed} rejected or abandoned` : ''].filter(Boolean);
    ui.outboxSummary.textContent = `${list.length === OUTBOX_LIMIT ? 'latest ' : ''}${list.length} entr${list.length === 1 ? 'y' : 'ies'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  }

  // ---- refresh loop ---------------------------------------------------------------

  async function refreshAll() {
    clearTimeout(timer);
    const results = await Promise.allSettled([refreshAlerts(), refreshDetail(), refreshSilences(), refreshRules(), refreshOutbox()]);
    if (results.some((r) => r.status === 'fulfilled')) ui.updated.textContent = `updated ${formatClock(Date.now())} UTC`;
    document.body.dataset.ready = 'true';
    if (!document.hidden && !state.disabled) timer = setTimeout(refreshAll, REFRESH_MS);
  }

  function refreshSoon() {
    badge?.refresh();
    setTimeout(refreshAll, 0);
  }

  function tickAges() {
    const now = Date.now();
    for (const node of document.querySelectorAll('.age[data-ms]')) {
      node.textContent = formatRelative(Number(node.dataset.ms), now);
    }
  }

  // ---- wiring ---------------------------------------------------------------------

  function wire() {
    ui.alertState.addEventListener('change', () => {
      state.alertState = ALERT_STATES.includes(ui.alertState.value) ? ui.alertState.value : 'open';
      closeAck();
      writeURL();
      refreshAlerts().catch(() => {});
    });
    $('alert-filters').addEventListener('submit', (e) => e.preventDefault());
    ui.clearCheck.addEventListener('click', () => {
      state.check = null;
      writeURL();
      refreshAlerts().catch(() => {});
    });
    ui.alerts.addEventListener('click', (e) => {
      const ack = e.target.closest('button.ack-button');
      if (ack) { openAck(Number(ack.dataset.alertId), 'row'); return; }
      if (e.target.closest('a, button, input, select, label, form')) return;
      const row = e.target.closest('tr[data-alert-id]');
      if (row) selectAlert(Number(row.dataset.alertId));
    });
    ui.alerts.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.target.tagName !== 'TR' || !e.target.dataset.alertId) return;
      e.preventDefault();
      selectAlert(Number(e.target.dataset.alertId));
    });
    ui.closeDetail.addEventListener('click', () => {
      if (state.ack && state.ack.where === 'detail') closeAck();
      state.selected = null;
      ++state.gen.detail;
      ui.detail.hidden = true;
      writeURL();
      markSelectedRow();
    });
    ui.outbox.addEventListener('click', (e) => {
      const link = e.target.closest('a.alert-link');
      if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      selectAlert(Number(link.dataset.alertId));
    });
    ui.outboxState.addEventListener('change', () => {
      state.outboxState = OUTBOX_STATES.includes(ui.outboxState.value) ? ui.outboxState.value : 'all';
      writeURL();
      refreshOutbox().catch(() => {});
    });
    ui.showExpired.addEventListener('change', () => {
      state.showExpired = ui.showExpired.checked;
      writeURL();
      refreshSilences().catch(() => {});
    });
    ui.silences.addEventListener('click', (e) => {
      const button = e.target.closest('button.end-silence');
      if (button) endSilence(button);
    });
    ui.silenceForm.addEventListener('submit', addSilence);
    silenceInputs.by.value = loadSetting(NAME_KEY) ?? '';
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) clearTimeout(timer);
      else if (!state.disabled) refreshAll();
    });
    setInterval(tickAges, 1000);
  }

  readURL();
  wire();
  badge = initAlertBadge();
  refreshAll();
})();
