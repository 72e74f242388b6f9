-- 003: incremental rollups. Given the (check, metric) pairs and time range a batch touched,
-- recompute the 5-minute buckets from the raw archive (and the bucket after the last one,
-- whose first delta depends on the last point before it), then the hour and day buckets
-- from the 5-minute rows. Recomputing rather than adding makes it idempotent and correct
-- for late data.

CREATE FUNCTION noit_bucket_5m(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_timestamp(floor(extract(epoch FROM t) / 300) * 300)
$$;

-- Re-aggregates the 5-minute rows of the series in rollup_scope into `target` by `unit`
-- (hour, day): count, sum, min, max and the counter sums all compose exactly.
CREATE FUNCTION noit_rollup_from_5m(target text, unit text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- target and unit are constants from noit_refresh_rollups, never data.
    EXECUTE format($sql$
        INSERT INTO %I AS r (uuid, name, bucket, count, sum, min, max, counter_delta, counter_span)
        SELECT f.uuid, f.name, date_trunc(%L, f.bucket), sum(f.count), sum(f.sum), min(f.min), max(f.max),
               sum(f.counter_delta), sum(f.counter_span)
        FROM metric_rollup_5m f
        JOIN rollup_scope s ON s.uuid = f.uuid AND s.name = f.name
         AND f.bucket >= date_trunc(%L, s.first_bucket) AND f.bucket < date_trunc(%L, s.last_bucket) + %L::interval
        GROUP BY f.uuid, f.name, date_trunc(%L, f.bucket)
        ON CONFLICT (uuid, name, bucket) DO UPDATE SET
            count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
            counter_delta = excluded.counter_delta, counter_span = excluded.counter_span
        $sql$, target, unit, unit, unit, '1 ' || unit, unit);
END
$$;

CREATE FUNCTION noit_refresh_rollups(touched_uuid uuid[], touched_name text[], touched_first timestamptz[], touched_last timestamptz[])
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
        SELECT a.uuid, a.name, a.time, a.value
        FROM rollup_scope s
        JOIN metric_numeric_archive a
          ON a.uuid = s.uuid AND a.name = s.name
         AND a.time >= s.first_bucket AND a.time < s.last_bucket + interval '5 minutes'
        UNION ALL
        SELECT p.uuid, p.name, p.time, p.value
        FROM rollup_scope s
        CROSS JOIN LATERAL (
            SELECT a.uuid, a.name, a.time, a.value
            FROM metric_numeric_archive a
            WHERE a.uuid = s.uuid AND a.name = s.name AND a.time < s.first_bucket AND a.value IS NOT NULL
            ORDER BY a.time DESC LIMIT 1
        ) p
    ),
    deltas AS (
        SELECT uuid, name, time, value,
               value - lag(value) OVER w AS delta,
               extract(epoch FROM time - lag(time) OVER w) AS span
        FROM points
        WHERE value IS NOT NULL
        WINDOW w AS (PARTITION BY uuid, name ORDER BY time)
    ),
    buckets AS (
        SELECT d.uuid, d.name, noit_bucket_5m(d.time) AS bucket,
               count(*) AS count, sum(d.value) AS sum, min(d.value) AS min, max(d.value) AS max,
               coalesce(sum(d.delta) FILTER (WHERE d.delta >= 0), 0) AS counter_delta,
               coalesce(sum(d.span) FILTER (WHERE d.delta >= 0), 0) AS counter_span
        FROM deltas d
        JOIN rollup_scope s ON s.uuid = d.uuid AND s.name = d.name
        WHERE d.time >= s.first_bucket AND d.time < s.last_bucket + interval '5 minutes'
        GROUP BY d.uuid, d.name, noit_bucket_5m(d.time)
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
