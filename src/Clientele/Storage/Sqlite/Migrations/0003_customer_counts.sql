-- How many customers each account has, kept by triggers in the transaction of every insert and delete, so
-- the total of an unfiltered list is one row read instead of a count of the whole account on every page.
-- SQLite has a single writer: one row per account is never contended.
CREATE TABLE customer_counts (
    account_id  INTEGER PRIMARY KEY,
    customers   INTEGER NOT NULL
);

INSERT INTO customer_counts (account_id, customers) SELECT account_id, count(*) FROM customers GROUP BY account_id;

CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_counts (account_id, customers) VALUES (new.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET customers = customers + 1;
END;

CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers BEGIN
    UPDATE customer_counts SET customers = customers - 1 WHERE account_id = old.account_id;
END;
