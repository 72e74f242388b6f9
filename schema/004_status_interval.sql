-- 004: how often each check reports, so the API can call a check stale when its statuses stop
-- arriving (a few intervals late), whatever its period.
ALTER TABLE current_status ADD COLUMN interval_ms integer;
