-- 001: the archives, current state and catalogue (REFERENCE §9).
-- Raw archives are partitioned by day (native declarative partitioning; see 002 for the
-- maintenance functions). Keys make every insert idempotent, so a replayed feed batch is
-- harmless: (check, time) for statuses, (check, time, name) for metrics.

CREATE TABLE noits (
    name        text PRIMARY KEY,          -- how stratcon.conf names the node (host:port)
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_batch  timestamptz
);

-- The current definition of every check ever seen; deleted_at is set by a D record.
CREATE TABLE checks (
    uuid        uuid PRIMARY KEY,
    noit        text NOT NULL,
    target      text NOT NULL,
    module      text NOT NULL,
    name        text NOT NULL,
    defined_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);

-- Every C and D record: the history of definitions.
CREATE TABLE check_history (
    uuid        uuid NOT NULL,
    time        timestamptz NOT NULL,
    action      char(1) NOT NULL CHECK (action IN ('C', 'D')),
    noit        text NOT NULL,
    target      text,
    module      text,
    name        text NOT NULL,
    PRIMARY KEY (uuid, time, action)
);

CREATE TABLE status_archive (
    uuid         uuid NOT NULL,
    time         timestamptz NOT NULL,
    state        char(1) NOT NULL,          -- G good, B bad
    availability char(1) NOT NULL,          -- A available, U unavailable
    duration_ms  integer NOT NULL,
    status       text NOT NULL,
    PRIMARY KEY (uuid, time)
) PARTITION BY RANGE (time);

CREATE TABLE metric_numeric_archive (
    uuid   uuid NOT NULL,
    time   timestamptz NOT NULL,
    name   text NOT NULL,
    value  double precision,               -- NULL: the metric had no value that run
    PRIMARY KEY (uuid, time, name)
) PARTITION BY RANGE (time);

-- Text metrics only when the value differs from the one before it.
CREATE TABLE metric_text_changes (
    uuid   uuid NOT NULL,
    time   timestamptz NOT NULL,
    name   text NOT NULL,
    value  text,
    PRIMARY KEY (uuid, time, name)
);

CREATE TABLE current_status (
    uuid         uuid PRIMARY KEY,
    time         timestamptz NOT NULL,
    state        char(1) NOT NULL,
    availability char(1) NOT NULL,
    duration_ms  integer NOT NULL,
    status       text NOT NULL
);

CREATE TABLE current_metrics (
    uuid          uuid NOT NULL,
    name          text NOT NULL,
    type          char(1) NOT NULL,
    time          timestamptz NOT NULL,
    numeric_value double precision,
    text_value    text,
    PRIMARY KEY (uuid, name)
);

-- What the graph API offers: every (check, metric) with its type and when it was seen.
CREATE TABLE metric_catalogue (
    uuid        uuid NOT NULL,
    name        text NOT NULL,
    type        char(1) NOT NULL,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    PRIMARY KEY (uuid, name)
);

-- Rollups of numeric metrics. counter_delta and counter_span sum the non-negative deltas
-- between consecutive points whose later point lies in the bucket, and the seconds they
-- span: rate = counter_delta / counter_span ignores resets. Coarser rollups re-aggregate
-- the 5-minute rows, which compose exactly.
CREATE TABLE metric_rollup_5m (
    uuid           uuid NOT NULL,
    name           text NOT NULL,
    bucket         timestamptz NOT NULL,
    count          bigint NOT NULL,
    sum            double precision NOT NULL,
    min            double precision,
    max            double precision,
    counter_delta  double precision NOT NULL,
    counter_span   double precision NOT NULL,
    PRIMARY KEY (uuid, name, bucket)
);
CREATE TABLE metric_rollup_1h (LIKE metric_rollup_5m INCLUDING ALL);
CREATE TABLE metric_rollup_1d (LIKE metric_rollup_5m INCLUDING ALL);
