-- A per-account request limit; null means the configured default (RateLimiting:PermitsPerMinute).
ALTER TABLE accounts ADD COLUMN rate_limit integer;

-- The request count of each account in each minute, shared by every node. UNLOGGED: a counter that
-- resets every minute does not need to survive a crash, and its writes need no WAL flush.
CREATE UNLOGGED TABLE rate_limit_windows (
    account_id    bigint NOT NULL,
    window_start  bigint NOT NULL,
    hits          integer NOT NULL,
    PRIMARY KEY (account_id, window_start)
);
