-- 007: two sessions may create the same day partition at once (stratcond's maintenance at
-- start and a batch for the same day, or two stratconds sharing a database). The second one
-- now takes the partition the first made instead of failing its transaction.
CREATE OR REPLACE FUNCTION noit_ensure_day_partitions(first_day date, last_day date) RETURNS integer
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
                BEGIN
                    -- Identifiers and bounds come from the date, never from ingested data.
                    EXECUTE format(
                        'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                        partition, parent, day::timestamptz, (day + 1)::timestamptz);
                    created := created + 1;
                EXCEPTION WHEN duplicate_table OR unique_violation THEN
                    NULL;  -- made by a concurrent session meanwhile
                END;
            END IF;
        END LOOP;
        day := day + 1;
    END LOOP;
    RETURN created;
END
$$;
