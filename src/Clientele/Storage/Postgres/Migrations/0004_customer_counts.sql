-- How many customers each account has, kept by triggers in the transaction of every insert and delete, so
-- the total of an unfiltered list is a few rows read instead of a count of the whole account on every page.
-- One row per account would be a hot row: every create of the account, on every node, would wait at it
-- for the commit of the one before. So each account's count is spread over slots, a transaction adds to
-- the slot of its server process, and the total is their sum: concurrent creates only meet when their
-- processes share a slot.
CREATE TABLE customer_counts (
    account_id  bigint NOT NULL,
    slot        integer NOT NULL,
    customers   bigint NOT NULL,
    PRIMARY KEY (account_id, slot)
);

CREATE FUNCTION customer_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_counts (account_id, slot, customers)
    SELECT account_id, pg_backend_pid() % 64, CASE TG_OP WHEN 'DELETE' THEN -count(*) ELSE count(*) END FROM changed GROUP BY account_id
    ON CONFLICT (account_id, slot) DO UPDATE SET customers = customer_counts.customers + excluded.customers;
    RETURN NULL;
END
$$;

-- Per statement, not per row: an import's multi-row insert adds to its slot once.
CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_add();
CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_add();

-- After the triggers: creating them waits for every transaction writing customers and holds new ones off
-- until this script commits, so the counts below miss nothing and nothing is counted twice.
INSERT INTO customer_counts (account_id, slot, customers) SELECT account_id, 0, count(*) FROM customers GROUP BY account_id;
