-- 006: rollups leave the ingest transaction. A batch now only records which series and time
-- ranges it touched (rollup_pending, committed with its raw rows); a worker takes those
-- entries and recomputes the rollups a moment later (noit_apply_pending_rollups). Ingest
-- gets several times faster, the rollups stay exact and idempotent, and raw data is never
-- dropped before its pending rollups are applied.
-- One row per batch: the series it touched and the time range of each, as parallel arrays.
-- One row rather than one per series keeps this cheap inside the batch's transaction.
CREATE TABLE rollup_pending (
    id          bigserial PRIMARY KEY,
    first_time  timestamptz NOT NULL,     -- the batch's earliest point, for retention
    uuids       uuid[] NOT NULL,
    names       text[] NOT NULL,
    firsts      timestamptz[] NOT NULL,
    lasts       timestamptz[] NOT NULL
);

-- Takes up to max_batches pending rows (oldest first), merges their entries per series,
-- refreshes those rollups and moves the catalogue's first/last seen (ingest only inserts
-- series it has not seen before); returns how many rows it took. Serialised across
-- stratconds sharing the database: two workers recomputing one bucket from different
-- snapshots could otherwise leave the older answer in place.
CREATE FUNCTION noit_apply_pending_rollups(max_batches integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    taken integer;
    series_uuids uuid[];
    series_names text[];
    series_firsts timestamptz[];
    series_lasts timestamptz[];
BEGIN
    PERFORM pg_advisory_xact_lock(6006001);
    WITH taken_rows AS (
        DELETE FROM rollup_pending
        WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT max_batches)
        RETURNING uuids, names, firsts, lasts
    ), merged AS (
        SELECT e.u, e.n, min(e.f) AS f, max(e.l) AS l
        FROM taken_rows, unnest(taken_rows.uuids, taken_rows.names, taken_rows.firsts, taken_rows.lasts) AS e(u, n, f, l)
        GROUP BY e.u, e.n
    )
    SELECT (SELECT count(*) FROM taken_rows), array_agg(u), array_agg(n), array_agg(f), array_agg(l)
    INTO taken, series_uuids, series_names, series_firsts, series_lasts
    FROM merged;
    IF taken > 0 THEN
        PERFORM noit_refresh_rollups(series_uuids, series_names, series_firsts, series_lasts);
        UPDATE metric_catalogue c
        SET first_seen = least(c.first_seen, t.f), last_seen = greatest(c.last_seen, t.l)
        FROM unnest(series_uuids, series_names, series_firsts, series_lasts) AS t(u, n, f, l)
        WHERE c.uuid = t.u AND c.name = t.n AND (c.first_seen > t.f OR c.last_seen < t.l);
    END IF;
    RETURN coalesce(taken, 0);
END
$$;

-- Every batch updates these rows in place; room on each page lets PostgreSQL do it without
-- touching the index (HOT updates), which ingest would otherwise pay for on every row.
ALTER TABLE current_metrics SET (fillfactor = 50);
ALTER TABLE current_status SET (fillfactor = 50);

-- As in 002, but a day with rollups still pending is kept until they are applied.
CREATE OR REPLACE FUNCTION noit_drop_day_partitions(keep_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := to_char(least(current_date - keep_days,
                                  coalesce((SELECT min(first_time)::date FROM rollup_pending), current_date)), 'YYYYMMDD');
    dropped integer := 0;
    item record;
BEGIN
    FOR item IN
        SELECT child.relname
        FROM pg_inherits
        JOIN pg_class child ON child.oid = pg_inherits.inhrelid
        JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
        WHERE parent.relname IN ('status_archive', 'metric_numeric_archive')
          AND right(child.relname, 8) ~ '^[0-9]{8}$'
          AND right(child.relname, 8) < cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', item.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;
