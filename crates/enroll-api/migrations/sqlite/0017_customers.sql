-- A direct partner's customers: the invitations to a reseller relationship
-- it makes, the codes proving the customer admins' addresses, and the
-- customers that accepted.

-- An invitation for one customer (`POST /account/customer-invitations`).
-- Its page opens with the token, kept as its SHA-256 like resume tokens.
CREATE TABLE customer_invitations (
    id           TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    -- After this, a sent invitation is expired (enroll-core's
    -- InvitationStatus::at) and its token answers nothing but that.
    expires_at   INTEGER NOT NULL,
    company_name TEXT    NOT NULL,
    -- The customer admin's address as the partner gave it; '' if not.
    admin_email  TEXT    NOT NULL,
    locale       TEXT    NOT NULL,
    -- The customer's page the link opens (the token is not kept, so the
    -- product's email of it is made from this and the partner's token).
    link_base    TEXT    NOT NULL,
    -- enroll-core's InvitationStatus: sent, accepted, declined, withdrawn
    -- (expired is read from expires_at).
    status       TEXT    NOT NULL,
    -- The user who made it; NULL once that user is removed.
    created_by   TEXT    REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    -- When the product emailed it (once at most).
    emailed_at   INTEGER,
    -- Accepted, declined or withdrawn.
    answered_at  INTEGER,
    -- The customer admin's address once proven with a code.
    proven_email TEXT
);
CREATE INDEX customer_invitations_by_account ON customer_invitations (account_id, created_at);

-- The code proving the customer admin's address: one at a time, as its
-- keyed hash, with the address it was sent to.
CREATE TABLE customer_invitation_codes (
    invitation_id TEXT    PRIMARY KEY REFERENCES customer_invitations (id),
    email         TEXT    NOT NULL,
    code_hash     TEXT    NOT NULL,
    expires_at    INTEGER NOT NULL,
    tries_left    INTEGER NOT NULL
);

-- Each code sent, for the limits of sends an hour per invitation and per
-- inbox.
CREATE TABLE customer_invitation_code_sends (
    invitation_id TEXT    NOT NULL REFERENCES customer_invitations (id),
    mailbox       TEXT    NOT NULL,
    sent_at       INTEGER NOT NULL
);
CREATE INDEX customer_invitation_code_sends_by_invitation ON customer_invitation_code_sends (invitation_id, sent_at);
CREATE INDEX customer_invitation_code_sends_by_mailbox ON customer_invitation_code_sends (mailbox, sent_at);

-- A customer of a direct partner: a reseller relationship, made when the
-- customer accepted an invitation.
CREATE TABLE customers (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    invitation_id TEXT    NOT NULL UNIQUE REFERENCES customer_invitations (id),
    company_name  TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    -- Normalised (enroll-core's normalize_tenant_domain): one customer per
    -- tenant for a partner.
    tenant_domain TEXT    NOT NULL,
    -- The customer admin who accepted (proven).
    admin_email   TEXT    NOT NULL,
    locale        TEXT    NOT NULL,
    -- The reseller relationship: 'active'.
    relationship  TEXT    NOT NULL,
    since         INTEGER NOT NULL,
    UNIQUE (account_id, tenant_domain)
);

-- Emails about an invitation (the customer admin's code, the invitation
-- itself): this says which, so a newer code replaces the older one not
-- yet sent and the page can say where the code's email is.
ALTER TABLE outbox ADD COLUMN customer_invitation_id TEXT REFERENCES customer_invitations (id);
CREATE INDEX outbox_customer_invitation ON outbox (customer_invitation_id, kind, state);
