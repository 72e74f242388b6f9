-- 004: how often each check reports, so the API can call a check stale when its statuses stop
-- arriving (a few intervals late), whatever its period.
ALTER TABLE current_status ADD COLUMN interval_ms integer;

-- The one word the API and the UI show for a check, from its current status and the time
-- now: stale when the last status is older than two and a half observed intervals (a minute
-- until the interval is known) and at least a minute old; then unavailable, bad or good.
-- Stale wins: an old "good" says nothing about now.
CREATE FUNCTION noit_check_condition(status_time timestamptz, state char(1), availability char(1),
                                     interval_ms integer, now timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN status_time IS NULL THEN 'unknown'
        WHEN now - status_time > greatest(2.5 * coalesce(interval_ms, 60000), 60000) * interval '1 millisecond' THEN 'stale'
        WHEN availability = 'U' THEN 'unavailable'
        WHEN state = 'B' THEN 'bad'
        ELSE 'good'
    END
$$;
