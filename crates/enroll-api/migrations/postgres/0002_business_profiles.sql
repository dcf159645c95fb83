-- The business profile and its logos (migrations/sqlite/0015 says why
-- each column is there).
CREATE TABLE business_profiles (
    account_id TEXT    PRIMARY KEY REFERENCES accounts (id),
    version    BIGINT  NOT NULL,
    body       TEXT    NOT NULL,
    published  BOOLEAN NOT NULL,
    logo       TEXT,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX business_profiles_published ON business_profiles (published);

CREATE TABLE logos (
    hash         TEXT   PRIMARY KEY,
    content_type TEXT   NOT NULL,
    bytes        BYTEA  NOT NULL,
    created_at   BIGINT NOT NULL
);
