-- What each queued email is for: resume-link emails are limited per
-- application and per recipient an hour, counted here so the limit holds
-- across restarts (and, later, across several API instances).
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
CREATE INDEX outbox_kind_application ON outbox (kind, application_id, created_at);
CREATE INDEX outbox_kind_recipient ON outbox (kind, lower(to_address), created_at);
