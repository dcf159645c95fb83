-- Customers looking for a partner, the codes proving their addresses, and
-- the referrals their requests become.

-- A customer's request (`POST /partner-requests`). Its page opens with the
-- token, kept as its SHA-256 like resume tokens.
CREATE TABLE partner_requests (
    id               TEXT    PRIMARY KEY,
    token_hash       TEXT    NOT NULL UNIQUE,
    -- After this the token opens nothing.
    token_expires_at INTEGER NOT NULL,
    locale           TEXT    NOT NULL,
    -- enroll-core's matching::Needs as JSON.
    needs            TEXT    NOT NULL,
    contact_name     TEXT    NOT NULL,
    contact_email    TEXT    NOT NULL,
    contact_phone    TEXT    NOT NULL,
    -- The contact's inbox (`mailbox`: lower case, no +tag): what the limit
    -- of requests an address proves a day counts.
    contact_mailbox  TEXT    NOT NULL,
    -- enroll-core's RequestStatus: unproven, with_partner, accepted,
    -- no_partner.
    status           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    -- When the code proved the address (no partner hears of it before).
    proven_at        INTEGER
);
CREATE INDEX partner_requests_by_mailbox ON partner_requests (contact_mailbox, proven_at);
-- Requests not proven within a day are forgotten (the runner looks often).
CREATE INDEX partner_requests_unproven ON partner_requests (status, created_at);

-- The code proving a request's address: one at a time, as its keyed hash.
CREATE TABLE partner_request_codes (
    request_id TEXT    PRIMARY KEY REFERENCES partner_requests (id),
    code_hash  TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    tries_left INTEGER NOT NULL
);

-- Each code sent, for the limits of sends an hour per request and per
-- inbox.
CREATE TABLE partner_request_code_sends (
    request_id TEXT    NOT NULL REFERENCES partner_requests (id),
    mailbox    TEXT    NOT NULL,
    sent_at    INTEGER NOT NULL
);
CREATE INDEX partner_request_code_sends_by_request ON partner_request_code_sends (request_id, sent_at);
CREATE INDEX partner_request_code_sends_by_mailbox ON partner_request_code_sends (mailbox, sent_at);

-- A request as one partner received it: the first with the best match,
-- the next when one declines or does not answer in time.
CREATE TABLE referrals (
    id              TEXT    PRIMARY KEY,
    request_id      TEXT    NOT NULL REFERENCES partner_requests (id),
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    -- 1 for the first partner to receive the request, then 2, 3.
    round           INTEGER NOT NULL,
    -- enroll-core's matching::Reason list as JSON: why it matched.
    reasons         TEXT    NOT NULL,
    -- enroll-core's ReferralStatus.
    status          TEXT    NOT NULL,
    received_at     INTEGER NOT NULL,
    -- Unanswered by then, it expires and the request moves on.
    expires_at      INTEGER NOT NULL,
    answered_at     INTEGER,
    closed_at       INTEGER,
    deal_name       TEXT,
    -- A decimal as typed ("12500.00") with its ISO 4217 currency.
    estimated_value TEXT,
    currency        TEXT,
    notes           TEXT,
    decline_reason  TEXT,
    -- When its referrals admins were told of it: at once for a partner's
    -- first ten a day, else by the next morning's digest (NULL until).
    notified_at     INTEGER,
    UNIQUE (request_id, round),
    UNIQUE (request_id, account_id)
);
CREATE INDEX referrals_by_account ON referrals (account_id, status, received_at);
CREATE INDEX referrals_due ON referrals (status, expires_at);
CREATE INDEX referrals_unnotified ON referrals (notified_at, received_at);

-- When a profile was first published: of two partners matching alike,
-- the one published longer ago is offered the request first.
ALTER TABLE business_profiles ADD COLUMN first_published_at INTEGER;
UPDATE business_profiles SET first_published_at = updated_at WHERE published = 1;

-- Emails about a customer's request (its code, its link) belong to no
-- application: this says which request, so a newer code replaces the
-- older one not yet sent.
ALTER TABLE outbox ADD COLUMN partner_request_id TEXT REFERENCES partner_requests (id);
CREATE INDEX outbox_partner_request ON outbox (partner_request_id, kind, state);
