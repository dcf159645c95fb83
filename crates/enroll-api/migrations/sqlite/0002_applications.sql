-- Applications and what happens to them.
CREATE TABLE applications (
    id               TEXT    PRIMARY KEY,
    -- SHA-256 of the resume token, hex; the token itself is never stored.
    token_hash       TEXT    NOT NULL UNIQUE,
    token_expires_at TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'draft',
    locale           TEXT    NOT NULL,
    -- The answers as contract JSON, bank secrets included (never returned
    -- unmasked, never logged).
    answers          TEXT    NOT NULL,
    -- Normalized MPN ID, for "one enrollment per MPN ID".
    mpn_id           TEXT    NOT NULL DEFAULT '',
    -- Bumped on every change; the ETag is its quoted value.
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX applications_mpn_status ON applications (mpn_id, status);

CREATE TABLE status_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT    NOT NULL REFERENCES applications (id),
    status         TEXT    NOT NULL,
    reason         TEXT,
    at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX status_history_application ON status_history (application_id, id);

-- The answer given to each (application, Idempotency-Key) submit.
CREATE TABLE submit_answers (
    application_id TEXT    NOT NULL REFERENCES applications (id),
    idempotency_key TEXT   NOT NULL,
    status_code    INTEGER NOT NULL,
    body           TEXT    NOT NULL,
    PRIMARY KEY (application_id, idempotency_key)
);

-- Emails waiting to be sent (listed by `enroll-api outbox`).
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT    REFERENCES applications (id),
    to_address     TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- The MPN directory the lookup answers from (demo data with --seed-demo).
CREATE TABLE mpn_directory (
    mpn_id       TEXT PRIMARY KEY,
    company_name TEXT NOT NULL,
    country      TEXT NOT NULL
);

CREATE TABLE providers (
    id   TEXT PRIMARY KEY,
    -- The provider as contract JSON.
    body TEXT NOT NULL
);

CREATE TABLE provider_requests (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT    NOT NULL REFERENCES applications (id),
    provider_id    TEXT    NOT NULL REFERENCES providers (id),
    status         TEXT    NOT NULL DEFAULT 'pending',
    message        TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (application_id, provider_id)
);
