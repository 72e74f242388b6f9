-- 009: catch-up batches copied straight into the archive (see ArchiveStore).
-- stored_through is the last journal sequence of this noit any batch has stored; a batch
-- that starts after it cannot hold a stored row. Such a batch leaves the current state to
-- the rollup pass: its pending row also lists the latest status time of each check, and the
-- pass carries the latest statuses and numeric values into current_status/current_metrics,
-- once for many batches.
ALTER TABLE noits ADD COLUMN stored_through bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_pending
    ADD COLUMN status_uuids uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN status_lasts timestamptz[] NOT NULL DEFAULT '{}';

-- A pending row holds arrays of thousands of elements; compressing them cost the ingest
-- transaction more than writing them out does.
ALTER TABLE rollup_pending
    ALTER COLUMN uuids SET STORAGE EXTERNAL, ALTER COLUMN names SET STORAGE EXTERNAL,
    ALTER COLUMN firsts SET STORAGE EXTERNAL, ALTER COLUMN lasts SET STORAGE EXTERNAL,
    ALTER COLUMN status_uuids SET STORAGE EXTERNAL, ALTER COLUMN status_lasts SET STORAGE EXTERNAL;

-- Milliseconds between two runs, NULL without an earlier one; saturates at 24.8 days rather
-- than failing a batch (and with it the feed) for a check resumed after a long pause.
-- (Not STRICT, so that it is inlined into the statements that call it.)
CREATE FUNCTION noit_interval_ms(earlier timestamptz, later timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN earlier IS NOT NULL THEN least(extract(epoch FROM later - earlier) * 1000, 2147483647)::integer END
$$;

-- The 5-minute bucket of a time. The first version went through extract(epoch FROM
-- timestamptz), which is only STABLE, so PostgreSQL would not inline this IMMUTABLE function
-- and called it as a separate SQL function for every point of every rollup pass: most of the
-- pass's time. date_bin is IMMUTABLE and gives the same buckets (aligned to the epoch).
CREATE OR REPLACE FUNCTION noit_bucket_5m(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT date_bin('5 minutes', t, TIMESTAMPTZ '1970-01-01 00:00:00+00')
$$;

-- Rollups recomputed series by series. The first version joined the scope to the archive as
-- sets, and the planner, expecting few rows, sorted and merged whole day partitions; a pass
-- then cost as much as the day held. Each series now reads only its own range through the
-- primary key (a lateral index scan, pruned to the partitions in range), and points carry
-- whether they are in scope instead of being joined to the scope a second time.
CREATE OR REPLACE FUNCTION noit_refresh_rollups(touched_uuid uuid[], touched_name text[], touched_first timestamptz[], touched_last timestamptz[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS rollup_scope (uuid uuid, name text, first_bucket timestamptz, last_bucket timestamptz) ON COMMIT DROP;
    TRUNCATE rollup_scope;
    INSERT INTO rollup_scope
    SELECT u, n, noit_bucket_5m(f), noit_bucket_5m(l) + interval '5 minutes'
    FROM unnest(touched_uuid, touched_name, touched_first, touched_last) AS t(u, n, f, l);

    -- Points in scope plus, per series, the last point before the first bucket.
    WITH points AS (
        SELECT s.uuid, s.name, a.time, a.value, true AS in_scope
        FROM rollup_scope s
        CROSS JOIN LATERAL (
            SELECT a.time, a.value FROM metric_numeric_archive a
            WHERE a.uuid = s.uuid AND a.name = s.name AND a.value IS NOT NULL
              AND a.time >= s.first_bucket AND a.time < s.last_bucket + interval '5 minutes'
        ) a
        UNION ALL
        SELECT s.uuid, s.name, p.time, p.value, false
        FROM rollup_scope s
        CROSS JOIN LATERAL (
            SELECT a.time, a.value FROM metric_numeric_archive a
            WHERE a.uuid = s.uuid AND a.name = s.name AND a.time < s.first_bucket AND a.value IS NOT NULL
            ORDER BY a.time DESC LIMIT 1
        ) p
    ),
    deltas AS (
        SELECT uuid, name, time, value, in_scope,
               value - lag(value) OVER w AS delta,
               extract(epoch FROM time - lag(time) OVER w) AS span
        FROM points
        WINDOW w AS (PARTITION BY uuid, name ORDER BY time)
    ),
    buckets AS (
        SELECT uuid, name, noit_bucket_5m(time) AS bucket,
               count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
               coalesce(sum(delta) FILTER (WHERE delta >= 0), 0) AS counter_delta,
               coalesce(sum(span) FILTER (WHERE delta >= 0), 0) AS counter_span
        FROM deltas
        WHERE in_scope
        GROUP BY uuid, name, noit_bucket_5m(time)
    )
    INSERT INTO metric_rollup_5m AS r (uuid, name, bucket, count, sum, min, max, counter_delta, counter_span)
    SELECT uuid, name, bucket, count, sum, min, max, counter_delta, counter_span FROM buckets
    ON CONFLICT (uuid, name, bucket) DO UPDATE SET
        count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
        counter_delta = excluded.counter_delta, counter_span = excluded.counter_span;

    PERFORM noit_rollup_from_5m('metric_rollup_1h', 'hour');
    PERFORM noit_rollup_from_5m('metric_rollup_1d', 'day');
END
$$;

-- Re-aggregates into `target` by `unit` (hour, day) the finer rows of the series in
-- rollup_scope: hours from the 5-minute rows, days from the (at most 24) hour rows rather
-- than 288 five-minute rows; count, sum, min, max and the counter sums compose exactly
-- either way, and noit_refresh_rollups refreshes the hours first. Series by series, as above.
CREATE OR REPLACE FUNCTION noit_rollup_from_5m(target text, unit text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- target and unit are constants from noit_refresh_rollups, never data.
    EXECUTE format($sql$
        INSERT INTO %I AS r (uuid, name, bucket, count, sum, min, max, counter_delta, counter_span)
        SELECT s.uuid, s.name, date_trunc(%L, f.bucket), sum(f.count), sum(f.sum), min(f.min), max(f.max),
               sum(f.counter_delta), sum(f.counter_span)
        FROM rollup_scope s
        CROSS JOIN LATERAL (
            SELECT f.bucket, f.count, f.sum, f.min, f.max, f.counter_delta, f.counter_span FROM %I f
            WHERE f.uuid = s.uuid AND f.name = s.name
              AND f.bucket >= date_trunc(%L, s.first_bucket) AND f.bucket < date_trunc(%L, s.last_bucket) + %L::interval
        ) f
        GROUP BY s.uuid, s.name, date_trunc(%L, f.bucket)
        ON CONFLICT (uuid, name, bucket) DO UPDATE SET
            count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
            counter_delta = excluded.counter_delta, counter_span = excluded.counter_span
        $sql$, target, unit, CASE WHEN unit = 'day' THEN 'metric_rollup_1h' ELSE 'metric_rollup_5m' END,
        unit, unit, '1 ' || unit, unit);
END
$$;


CREATE OR REPLACE FUNCTION noit_apply_pending_rollups(max_batches integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    taken integer;
    series_uuids uuid[];
    series_names text[];
    series_firsts timestamptz[];
    series_lasts timestamptz[];
    check_uuids uuid[];
    check_lasts timestamptz[];
BEGIN
    PERFORM pg_advisory_xact_lock(6006001);
    WITH taken_rows AS (
        DELETE FROM rollup_pending
        WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT max_batches)
        RETURNING uuids, names, firsts, lasts, status_uuids, status_lasts
    ), merged AS (
        SELECT e.u, e.n, min(e.f) AS f, max(e.l) AS l
        FROM taken_rows, unnest(taken_rows.uuids, taken_rows.names, taken_rows.firsts, taken_rows.lasts) AS e(u, n, f, l)
        GROUP BY e.u, e.n
    ), statuses AS (
        SELECT e.u, max(e.l) AS l
        FROM taken_rows, unnest(taken_rows.status_uuids, taken_rows.status_lasts) AS e(u, l)
        GROUP BY e.u
    )
    SELECT (SELECT count(*) FROM taken_rows),
           (SELECT array_agg(u) FROM merged), (SELECT array_agg(n) FROM merged),
           (SELECT array_agg(f) FROM merged), (SELECT array_agg(l) FROM merged),
           (SELECT array_agg(u) FROM statuses), (SELECT array_agg(l) FROM statuses)
    INTO taken, series_uuids, series_names, series_firsts, series_lasts, check_uuids, check_lasts;
    IF series_uuids IS NOT NULL THEN
        PERFORM noit_refresh_rollups(series_uuids, series_names, series_firsts, series_lasts);
        UPDATE metric_catalogue c
        SET first_seen = least(c.first_seen, t.f), last_seen = greatest(c.last_seen, t.l)
        FROM unnest(series_uuids, series_names, series_firsts, series_lasts) AS t(u, n, f, l)
        WHERE c.uuid = t.u AND c.name = t.n AND (c.first_seen > t.f OR c.last_seen < t.l);
        -- The latest value of each series. A merged batch has set it already, and then
        -- nothing here is newer.
        INSERT INTO current_metrics AS m (uuid, name, type, time, numeric_value, text_value)
        SELECT a.uuid, a.name, c.type, a.time, a.value, NULL
        FROM unnest(series_uuids, series_names, series_lasts) AS t(u, n, l)
        JOIN metric_numeric_archive a ON a.uuid = t.u AND a.time = t.l AND a.name = t.n
        JOIN metric_catalogue c ON c.uuid = t.u AND c.name = t.n
        ON CONFLICT (uuid, name) DO UPDATE SET
            type = excluded.type, time = excluded.time, numeric_value = excluded.numeric_value, text_value = NULL
        WHERE m.time < excluded.time;
    END IF;
    IF check_uuids IS NOT NULL THEN
        -- The latest status of each check and the interval since the one before it (looked
        -- for within a day; past that the interval is kept as it was).
        INSERT INTO current_status AS s (uuid, time, state, availability, duration_ms, status, interval_ms)
        SELECT a.uuid, a.time, a.state, a.availability, a.duration_ms, a.status,
               noit_interval_ms(p.time, a.time)
        FROM unnest(check_uuids, check_lasts) AS t(u, l)
        JOIN status_archive a ON a.uuid = t.u AND a.time = t.l
        LEFT JOIN LATERAL (
            SELECT b.time FROM status_archive b
            WHERE b.uuid = t.u AND b.time < t.l AND b.time >= t.l - interval '1 day'
            ORDER BY b.time DESC LIMIT 1
        ) p ON true
        ON CONFLICT (uuid) DO UPDATE SET
            time = excluded.time, state = excluded.state, availability = excluded.availability,
            duration_ms = excluded.duration_ms, status = excluded.status,
            interval_ms = coalesce(excluded.interval_ms, s.interval_ms)
        WHERE s.time < excluded.time;
    END IF;
    RETURN coalesce(taken, 0);
END
$$;
