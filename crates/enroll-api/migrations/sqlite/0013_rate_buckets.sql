-- Per-client rate limits (src/throttle.rs), kept here rather than in one
-- process's memory, so several instances give a client the budget one
-- gives, and a restart forgets nothing: a token bucket per (action,
-- scope), `tokens` left as of `at` (seconds, the API's clock), refilled
-- evenly to the limit over the hour.
CREATE TABLE rate_buckets (
    action TEXT    NOT NULL,
    -- `client:<address or IPv6 /64>` or `net:<IPv6 /48>`.
    scope  TEXT    NOT NULL,
    tokens REAL    NOT NULL,
    at     INTEGER NOT NULL,
    PRIMARY KEY (action, scope)
);
CREATE INDEX rate_buckets_at ON rate_buckets (at);
