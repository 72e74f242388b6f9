-- 008: alerting (REFERENCE §10). Rules, the detectors' learned state, alerts with their
-- history, the durable outbox of notifications to hooks, and silences.

-- Rules from stratcon.conf (source 'config', rewritten at every start) and from the API
-- (source 'api'). The definition is the rule's attribute map, the same shape in both.
CREATE TABLE alert_rules (
    name        text PRIMARY KEY,
    definition  jsonb NOT NULL,
    source      text NOT NULL CHECK (source IN ('config', 'api')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- What each detector has learned, per (rule, check, metric); metric is '' for rules on a
-- check as a whole. Written periodically and at every alert transition, so a restart neither
-- forgets a model nor re-evaluates values it already judged.
CREATE TABLE alert_detector_state (
    rule        text NOT NULL,
    uuid        uuid NOT NULL,
    metric      text NOT NULL,
    state       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule, uuid, metric)
);

-- One row per alert episode. The key (rule|check|metric) is stable; at most one open row per
-- key, which also keeps two stratconds sharing the database from opening it twice.
CREATE TABLE alerts (
    id               bigserial PRIMARY KEY,
    key              text NOT NULL,
    rule             text NOT NULL,
    uuid             uuid NOT NULL,
    metric           text NOT NULL,
    severity         text NOT NULL,
    state            text NOT NULL CHECK (state IN ('open', 'resolved')),
    opened_at        timestamptz NOT NULL,
    resolved_at      timestamptz,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    value            double precision,
    summary          text NOT NULL,
    details          jsonb NOT NULL DEFAULT '{}',
    -- Opened inside a silence: no trigger was sent, so no resolve is sent either.
    silenced         boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX alerts_one_open_per_key ON alerts (key) WHERE state = 'open';
CREATE INDEX alerts_by_check ON alerts (uuid, opened_at DESC);
CREATE INDEX alerts_by_time ON alerts (opened_at DESC);

CREATE TABLE alert_history (
    id        bigserial PRIMARY KEY,
    alert_id  bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT now(),
    event     text NOT NULL,    -- opened, silenced, notified, acknowledged, resolved, rejected
    detail    text NOT NULL DEFAULT ''
);
CREATE INDEX alert_history_by_alert ON alert_history (alert_id, id);

-- Notifications, persisted in the transaction that opens or resolves the alert, before any
-- attempt to send. Per (key, hook) only the oldest pending row is ever attempted, so a
-- resolve never overtakes its trigger.
CREATE TABLE alert_outbox (
    id               bigserial PRIMARY KEY,
    alert_id         bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    key              text NOT NULL,
    hook             text NOT NULL,
    action           text NOT NULL CHECK (action IN ('trigger', 'resolve')),
    notification     jsonb NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected', 'abandoned')),
    attempts         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    last_status      integer,
    last_error       text
);
CREATE INDEX alert_outbox_pending ON alert_outbox (key, hook, id) WHERE state = 'pending';
CREATE INDEX alert_outbox_by_time ON alert_outbox (created_at DESC);

-- Maintenance windows: a silence matches by rule, check and/or target (glob with * and ?);
-- an empty matcher matches everything it could.
CREATE TABLE alert_silences (
    id          bigserial PRIMARY KEY,
    rule        text,
    uuid        uuid,
    target      text,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    comment     text NOT NULL DEFAULT '',
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
