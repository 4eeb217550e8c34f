-- Accounts (tenants) and their API keys. Keys are stored only as SHA-256 hashes.
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    label       TEXT,
    key_hash    BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- AUTOINCREMENT: a customer id is never reused, even after the highest one is deleted.
CREATE TABLE customers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    name            TEXT,
    email           TEXT,
    user_id         TEXT,
    company         TEXT,
    phone           TEXT,
    first_seen      INTEGER,
    last_seen       INTEGER,
    region_code     TEXT,
    country_code    TEXT,
    city            TEXT,
    unsubscribed    INTEGER NOT NULL DEFAULT 0,
    blocked         INTEGER NOT NULL DEFAULT 0,
    source          TEXT,
    referer         TEXT,
    last_page       TEXT,
    locale          TEXT,
    created_from    TEXT,
    integration_id  TEXT,
    notes           TEXT,
    telegram_id     TEXT,
    facebook_id     TEXT,
    instagram_id    TEXT,
    viber_id        TEXT,
    whatsapp_id     TEXT,
    custom_data     TEXT NOT NULL DEFAULT '{}',
    -- Lower-cased copies (folded by the application, Unicode-aware, unlike SQLite's ASCII-only lower())
    -- that back the indexed case-insensitive equality and the trigram substring index.
    name_ci         TEXT,
    email_ci        TEXT,
    company_ci      TEXT,
    user_id_ci      TEXT,
    phone_ci        TEXT
);

CREATE INDEX ix_customers_account ON customers (account_id, id);
CREATE UNIQUE INDEX ux_customers_user_id ON customers (account_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX ix_customers_email ON customers (account_id, email_ci);
CREATE INDEX ix_customers_user_id_ci ON customers (account_id, user_id_ci);
CREATE INDEX ix_customers_phone ON customers (account_id, phone_ci);
CREATE INDEX ix_customers_first_seen ON customers (account_id, first_seen);
CREATE INDEX ix_customers_last_seen ON customers (account_id, last_seen);

-- Substring search (~) on name, email and company without scanning every row: a trigram index over
-- the lower-cased copies, kept in step with the table by triggers in the same transaction.
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name_ci, email_ci, company_ci,
    content = 'customers', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name_ci, email_ci, company_ci) VALUES (new.id, new.name_ci, new.email_ci, new.company_ci);
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name_ci, email_ci, company_ci) VALUES ('delete', old.id, old.name_ci, old.email_ci, old.company_ci);
END;

CREATE TRIGGER customers_fts_update AFTER UPDATE OF name_ci, email_ci, company_ci ON customers
WHEN old.name_ci IS NOT new.name_ci OR old.email_ci IS NOT new.email_ci OR old.company_ci IS NOT new.company_ci BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name_ci, email_ci, company_ci) VALUES ('delete', old.id, old.name_ci, old.email_ci, old.company_ci);
    INSERT INTO customers_fts (rowid, name_ci, email_ci, company_ci) VALUES (new.id, new.name_ci, new.email_ci, new.company_ci);
END;

-- Tags belong to the account: the first use of a name fixes its colour. Names are case-sensitive.
CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT NOT NULL,
    color       TEXT NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX ix_customer_tags_tag ON customer_tags (tag_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    data        TEXT,
    created_at  INTEGER NOT NULL
);

CREATE INDEX ix_events_customer ON events (customer_id);
