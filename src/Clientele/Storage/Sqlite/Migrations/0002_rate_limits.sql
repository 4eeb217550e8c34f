-- A per-account request limit; null means the configured default (RateLimiting:PermitsPerMinute).
ALTER TABLE accounts ADD COLUMN rate_limit INTEGER;
