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
    custom_data     TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX ix_customers_account ON customers (account_id, id);
CREATE UNIQUE INDEX ux_customers_user_id ON customers (account_id, user_id) WHERE user_id IS NOT NULL;

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
