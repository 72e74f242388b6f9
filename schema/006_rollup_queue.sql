-- 006: rollups leave the ingest transaction. A batch now only records which series and time
-- ranges it touched (rollup_pending, committed with its raw rows); a worker takes those
-- entries and recomputes the rollups a moment later (noit_apply_pending_rollups). Ingest
-- gets several times faster, the rollups stay exact and idempotent, and raw data is never
-- dropped before its pending rollups are applied.
CREATE TABLE rollup_pending (
    id          bigserial PRIMARY KEY,
    uuid        uuid NOT NULL,
    name        text NOT NULL,
    first_time  timestamptz NOT NULL,
    last_time   timestamptz NOT NULL
);

-- Takes up to max_entries pending entries (oldest first), merges them per series and
-- refreshes those rollups; returns how many entries it took. Serialised across stratconds
-- sharing the database: two workers recomputing one bucket from different snapshots could
-- otherwise leave the older answer in place.
CREATE FUNCTION noit_apply_pending_rollups(max_entries integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    taken integer;
    uuids uuid[];
    names text[];
    firsts timestamptz[];
    lasts timestamptz[];
BEGIN
    PERFORM pg_advisory_xact_lock(6006001);
    WITH taken_rows AS (
        DELETE FROM rollup_pending
        WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT max_entries)
        RETURNING uuid, name, first_time, last_time
    ), counted AS (
        SELECT count(*) AS n FROM taken_rows
    )
    SELECT (SELECT n FROM counted), array_agg(uuid), array_agg(name), array_agg(first_time), array_agg(last_time)
    INTO taken, uuids, names, firsts, lasts
    FROM (SELECT uuid, name, min(first_time) AS first_time, max(last_time) AS last_time
          FROM taken_rows GROUP BY uuid, name) merged;
    IF taken > 0 THEN
        PERFORM noit_refresh_rollups(uuids, names, firsts, lasts);
    END IF;
    RETURN coalesce(taken, 0);
END
$$;

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
