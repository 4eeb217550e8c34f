-- Trigram indexes back substring search (~) on name, email and company.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Accounts (tenants) and their API keys. Keys are stored only as SHA-256 hashes.
CREATE TABLE accounts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  bigint NOT NULL
);

CREATE TABLE api_keys (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id),
    label       text,
    key_hash    bytea NOT NULL UNIQUE,
    created_at  bigint NOT NULL,
    revoked_at  bigint
);

-- Identity ids come from a sequence: unique across every node, never reused.
CREATE TABLE customers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id),
    name            text,
    email           text,
    user_id         text,
    company         text,
    phone           text,
    first_seen      bigint,
    last_seen       bigint,
    region_code     text,
    country_code    text,
    city            text,
    unsubscribed    boolean NOT NULL DEFAULT false,
    blocked         boolean NOT NULL DEFAULT false,
    source          text,
    referer         text,
    last_page       text,
    locale          text,
    created_from    text,
    integration_id  text,
    notes           text,
    telegram_id     text,
    facebook_id     text,
    instagram_id    text,
    viber_id        text,
    whatsapp_id     text,
    -- As sent (text, not jsonb): jsonb would reorder the properties and rewrite numbers.
    custom_data     text NOT NULL DEFAULT '{}',
    -- Search copies, folded to lower case by the application so every provider compares alike.
    custom_data_ci  jsonb NOT NULL DEFAULT '{}',
    name_ci            text,
    email_ci           text,
    user_id_ci         text,
    company_ci         text,
    phone_ci           text,
    country_code_ci    text,
    city_ci            text,
    region_code_ci     text,
    locale_ci          text,
    source_ci          text,
    created_from_ci    text,
    integration_id_ci  text,
    telegram_id_ci     text,
    facebook_id_ci     text,
    instagram_id_ci    text,
    viber_id_ci        text,
    whatsapp_id_ci     text
);

CREATE INDEX ix_customers_account ON customers (account_id, id);
CREATE UNIQUE INDEX ux_customers_user_id ON customers (account_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX ix_customers_email ON customers (account_id, email_ci);
CREATE INDEX ix_customers_user_id_ci ON customers (account_id, user_id_ci);
CREATE INDEX ix_customers_phone ON customers (account_id, phone_ci);
CREATE INDEX ix_customers_first_seen ON customers (account_id, first_seen);
CREATE INDEX ix_customers_last_seen ON customers (account_id, last_seen);
CREATE INDEX ix_customers_name_trgm ON customers USING gin (name_ci gin_trgm_ops);
CREATE INDEX ix_customers_email_trgm ON customers USING gin (email_ci gin_trgm_ops);
CREATE INDEX ix_customers_company_trgm ON customers USING gin (company_ci gin_trgm_ops);

-- Tags belong to the account: the first use of a name fixes its colour. Names are case-sensitive.
CREATE TABLE tags (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id),
    name        text NOT NULL,
    color       text NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE customer_tags (
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag_id      bigint NOT NULL REFERENCES tags (id),
    position    integer NOT NULL,
    PRIMARY KEY (customer_id, tag_id)
);

CREATE INDEX ix_customer_tags_tag ON customer_tags (tag_id);

CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id),
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        text NOT NULL,
    data        text,
    created_at  bigint NOT NULL
);

CREATE INDEX ix_events_customer ON events (customer_id);
