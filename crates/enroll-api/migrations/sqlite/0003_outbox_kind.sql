-- What each queued email is for: resume-link emails are limited per
-- application and per recipient an hour, counted here so the limit holds
-- across restarts (and, later, across several API instances).
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
-- The mailbox an address delivers to (lower case, no +tag): what the
-- per-recipient limit counts.
ALTER TABLE outbox ADD COLUMN mailbox TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_kind_application ON outbox (kind, application_id, created_at);
CREATE INDEX outbox_kind_mailbox ON outbox (kind, mailbox, created_at);
