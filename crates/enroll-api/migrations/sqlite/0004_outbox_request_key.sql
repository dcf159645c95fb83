-- The Idempotency-Key of the request that queued an email, when it sent
-- one: a replayed request finds its email here and queues no other.
ALTER TABLE outbox ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX outbox_request ON outbox (application_id, kind, request_key)
    WHERE request_key IS NOT NULL;
