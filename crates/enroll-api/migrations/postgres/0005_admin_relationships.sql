-- Admin relationships (granular delegated admin privileges) a direct
-- partner asks its customers for, and the role templates it reuses
-- (migrations/sqlite/0018 is the same, for SQLite).

CREATE TABLE admin_relationships (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    customer_id   TEXT    NOT NULL REFERENCES customers (id),
    -- As the partner typed it (shown to the customer), and in lower case:
    -- one name once for a partner.
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL,
    duration_days BIGINT NOT NULL,
    -- enroll-core's AdminRole codes, as a JSON array.
    roles         TEXT    NOT NULL,
    auto_extend   BOOLEAN NOT NULL,
    -- enroll-core's RelationshipStatus.
    status        TEXT    NOT NULL,
    -- The customer's page opens with the token, kept as its SHA-256.
    token_hash    TEXT    NOT NULL UNIQUE,
    -- The user who made it; NULL once that user is removed.
    created_by    TEXT    REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL,
    -- Sent for approval (the 90 days of an unanswered request count from
    -- here).
    requested_at  BIGINT NOT NULL,
    approved_at   BIGINT,
    -- Once approved: when it ends (moved on by each auto-extension).
    ends_at       BIGINT,
    -- Terminated, rejected or expired: when, and by whom ('partner',
    -- 'customer'; NULL when it expired).
    ended_at      BIGINT,
    ended_by      TEXT,
    -- The reminder last sent before ends_at (30, 7 or 1 days before): each
    -- is sent once; an extension clears it.
    reminded_days BIGINT,
    UNIQUE (account_id, name_key)
);
CREATE INDEX admin_relationships_by_customer ON admin_relationships (customer_id, created_at);
-- The runner reads the open ones often.
CREATE INDEX admin_relationships_open ON admin_relationships (status);

-- The code that proves the customer's admin answers (approves, rejects,
-- ends): emailed to the address that accepted the reseller relationship,
-- as the link alone is the partner's too. One at a time, as its keyed hash.
CREATE TABLE admin_relationship_codes (
    relationship_id TEXT    PRIMARY KEY REFERENCES admin_relationships (id),
    code_hash       TEXT    NOT NULL,
    expires_at      BIGINT  NOT NULL,
    tries_left      BIGINT  NOT NULL
);

-- Each code sent, for the limit of sends an hour.
CREATE TABLE admin_relationship_code_sends (
    relationship_id TEXT    NOT NULL REFERENCES admin_relationships (id),
    sent_at         BIGINT  NOT NULL
);
CREATE INDEX admin_relationship_code_sends_by_relationship ON admin_relationship_code_sends (relationship_id, sent_at);

-- Roles, a duration and auto-extend a partner saves under a name.
CREATE TABLE admin_relationship_templates (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL,
    duration_days BIGINT NOT NULL,
    roles         TEXT    NOT NULL,
    auto_extend   BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (account_id, name_key)
);

-- Emails about an admin relationship (its request, approval, end and
-- reminders) say which.
ALTER TABLE outbox ADD COLUMN admin_relationship_id TEXT REFERENCES admin_relationships (id);
CREATE INDEX outbox_admin_relationship ON outbox (admin_relationship_id, kind, state);
