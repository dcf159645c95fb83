-- Customers looking for a partner, the codes proving their addresses, and
-- the referrals their requests become (migrations/sqlite/0016 says why
-- each column is there).

-- A customer's request (`POST /partner-requests`). Its page opens with the
-- token, kept as its SHA-256 like resume tokens.
CREATE TABLE partner_requests (
    id               TEXT    PRIMARY KEY,
    token_hash       TEXT    NOT NULL UNIQUE,
    token_expires_at BIGINT  NOT NULL,
    locale           TEXT    NOT NULL,
    needs            TEXT    NOT NULL,
    contact_name     TEXT    NOT NULL,
    contact_email    TEXT    NOT NULL,
    contact_phone    TEXT    NOT NULL,
    contact_mailbox  TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    proven_at        BIGINT
);
CREATE INDEX partner_requests_by_mailbox ON partner_requests (contact_mailbox, proven_at);
CREATE INDEX partner_requests_unproven ON partner_requests (status, created_at);

CREATE TABLE partner_request_codes (
    request_id TEXT    PRIMARY KEY REFERENCES partner_requests (id),
    code_hash  TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL,
    tries_left BIGINT  NOT NULL
);

-- Each code sent, for the limits of sends an hour per request and per
-- inbox.
CREATE TABLE partner_request_code_sends (
    request_id TEXT    NOT NULL REFERENCES partner_requests (id),
    mailbox    TEXT    NOT NULL,
    sent_at    BIGINT  NOT NULL
);
CREATE INDEX partner_request_code_sends_by_request ON partner_request_code_sends (request_id, sent_at);
CREATE INDEX partner_request_code_sends_by_mailbox ON partner_request_code_sends (mailbox, sent_at);

-- A request as one partner received it: the first with the best match,
-- the next when one declines or does not answer in time.
CREATE TABLE referrals (
    id              TEXT    PRIMARY KEY,
    request_id      TEXT    NOT NULL REFERENCES partner_requests (id),
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    round           BIGINT  NOT NULL,
    reasons         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    received_at     BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    answered_at     BIGINT,
    closed_at       BIGINT,
    deal_name       TEXT,
    estimated_value TEXT,
    currency        TEXT,
    notes           TEXT,
    decline_reason  TEXT,
    notified_at     BIGINT,
    UNIQUE (request_id, round),
    UNIQUE (request_id, account_id)
);
CREATE INDEX referrals_by_account ON referrals (account_id, status, received_at);
CREATE INDEX referrals_due ON referrals (status, expires_at);
CREATE INDEX referrals_unnotified ON referrals (notified_at, received_at);

-- When a profile was first published: of two partners matching alike,
-- the one published longer ago is offered the request first.
ALTER TABLE business_profiles ADD COLUMN first_published_at BIGINT;
UPDATE business_profiles SET first_published_at = updated_at WHERE published;

-- Emails about a customer's request (its code, its link) belong to no
-- application: this says which request, so a newer code replaces the
-- older one not yet sent.
ALTER TABLE outbox ADD COLUMN partner_request_id TEXT REFERENCES partner_requests (id);
CREATE INDEX outbox_partner_request ON outbox (partner_request_id, kind, state);
