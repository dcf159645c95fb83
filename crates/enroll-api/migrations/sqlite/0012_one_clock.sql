-- Beside PostgreSQL (migrations/postgres/): a real ordering column where
-- the order of rows was SQLite's rowid, which PostgreSQL has not; and the
-- outbox's hourly windows counted on `queued_at`, the API clock's time,
-- rather than on `created_at`, which SQLite's own clock wrote before.
ALTER TABLE users ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE users SET seq = rowid;
CREATE INDEX users_by_account_seq ON users (account_id, seq);

ALTER TABLE account_domains ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE account_domains SET seq = rowid;

CREATE INDEX outbox_kind_application_queued ON outbox (kind, application_id, queued_at);
CREATE INDEX outbox_kind_mailbox_queued ON outbox (kind, mailbox, queued_at);
