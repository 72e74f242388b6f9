-- 002: day partitions, created on demand for any day a batch touches (so late and early
-- data always has a home) and ahead of time; retention drops whole days.

CREATE FUNCTION noit_ensure_day_partitions(first_day date, last_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day date := first_day;
    created integer := 0;
    parent text;
    partition text;
BEGIN
    IF last_day - first_day > 400 THEN
        RAISE EXCEPTION 'refusing to create % day partitions at once', last_day - first_day + 1;
    END IF;
    WHILE day <= last_day LOOP
        FOREACH parent IN ARRAY ARRAY['status_archive', 'metric_numeric_archive'] LOOP
            partition := parent || '_' || to_char(day, 'YYYYMMDD');
            IF to_regclass(partition) IS NULL THEN
                -- Identifiers and bounds come from the date, never from ingested data.
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                    partition, parent, day::timestamptz, (day + 1)::timestamptz);
                created := created + 1;
            END IF;
        END LOOP;
        day := day + 1;
    END LOOP;
    RETURN created;
END
$$;

-- Drops day partitions older than keep_days. Rollups are computed in the same transaction
-- as the raw rows they summarise, so a committed day has always been rolled up.
CREATE FUNCTION noit_drop_day_partitions(keep_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := to_char(current_date - keep_days, 'YYYYMMDD');
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
