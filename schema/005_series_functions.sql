-- 005: the rows of one series in one rollup, for the graph API, which picks the rollup by
-- the range and point count it is asked for. With with_previous, also the last row before
-- the range, which a rate needs for its first point.
CREATE FUNCTION noit_rollup_rows(resolution text, series uuid, metric text, range_start timestamptz,
                                 range_end timestamptz, with_previous boolean)
RETURNS TABLE (bucket timestamptz, count bigint, sum double precision, min double precision,
               max double precision, counter_delta double precision, counter_span double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF resolution NOT IN ('5m', '1h', '1d') THEN
        RAISE EXCEPTION 'unknown rollup resolution %', resolution;
    END IF;
    -- The table name comes from the list above, never from a caller's free text.
    RETURN QUERY EXECUTE format($sql$
        SELECT r.bucket, r.count, r.sum, r.min, r.max, r.counter_delta, r.counter_span FROM %I r
        WHERE r.uuid = $1 AND r.name = $2 AND r.bucket >= $3 AND r.bucket < $4
        $sql$, 'metric_rollup_' || resolution)
        USING series, metric, range_start, range_end;
    IF with_previous THEN
        RETURN QUERY EXECUTE format($sql$
            SELECT r.bucket, r.count, r.sum, r.min, r.max, r.counter_delta, r.counter_span FROM %I r
            WHERE r.uuid = $1 AND r.name = $2 AND r.bucket < $3 ORDER BY r.bucket DESC LIMIT 1
            $sql$, 'metric_rollup_' || resolution)
            USING series, metric, range_start;
    END IF;
END
$$;
