-- How many permits the last statement on a window's row took: a node takes permits in leases of several at a
-- time and needs to know how many it got when the lease was cut short by the limit.
ALTER TABLE rate_limit_windows ADD COLUMN granted integer NOT NULL DEFAULT 0;
