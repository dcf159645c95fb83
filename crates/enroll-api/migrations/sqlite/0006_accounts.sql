-- The partner account (ARCHITECTURE.md, "The partner account"). Times in
-- these tables are whole seconds since the Unix epoch, from the API's one
-- clock (src/clock.rs), so tests can move them.

-- The admin's address, as proven by a code emailed to it: lower case. The
-- address is confirmed while the answers' admin email is this one.
ALTER TABLE applications ADD COLUMN admin_email_confirmed TEXT;

-- The code last sent to an application's admin address (one at a time).
CREATE TABLE admin_email_codes (
    application_id TEXT    PRIMARY KEY REFERENCES applications (id),
    -- The address it was sent to, lower case.
    email          TEXT    NOT NULL,
    -- SHA-256 of the code, hex.
    code_hash      TEXT    NOT NULL,
    expires_at     INTEGER NOT NULL,
    tries_left     INTEGER NOT NULL
);

-- When codes were sent, and to whom, for "3 an hour" per application and
-- per address.
CREATE TABLE admin_email_code_sends (
    application_id TEXT    NOT NULL REFERENCES applications (id),
    -- Lower case.
    email          TEXT    NOT NULL,
    sent_at        INTEGER NOT NULL
);
CREATE INDEX admin_email_code_sends_by_application ON admin_email_code_sends (application_id, sent_at);
CREATE INDEX admin_email_code_sends_by_email ON admin_email_code_sends (email, sent_at);

-- One per approved application.
CREATE TABLE accounts (
    id             TEXT    PRIMARY KEY,
    application_id TEXT    NOT NULL UNIQUE REFERENCES applications (id),
    created_at     INTEGER NOT NULL
);

CREATE TABLE users (
    id                  TEXT    PRIMARY KEY,
    account_id          TEXT    NOT NULL REFERENCES accounts (id),
    -- As given; `login` (lower case) is what sign-in compares.
    email               TEXT    NOT NULL,
    login               TEXT    NOT NULL UNIQUE,
    first_name          TEXT    NOT NULL,
    last_name           TEXT    NOT NULL,
    -- JSON array of role names (enroll-core's Role).
    roles               TEXT    NOT NULL,
    -- argon2id, PHC string format. The password itself is never stored.
    password_hash       TEXT    NOT NULL,
    -- 1 while the password is the emailed temporary one.
    password_temporary  INTEGER NOT NULL,
    -- When a temporary password stops working.
    password_expires_at INTEGER,
    -- The TOTP secret (base32) once enrolment is confirmed, and the one
    -- offered while it is not yet.
    totp_secret         TEXT,
    totp_offered        TEXT,
    -- The last time step whose code was accepted: no code, and no earlier
    -- step, is accepted again.
    totp_last_step      INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);
CREATE INDEX users_by_account ON users (account_id);

CREATE TABLE recovery_codes (
    user_id   TEXT    NOT NULL REFERENCES users (id),
    -- SHA-256 of the normalized code, hex.
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    -- SHA-256 of the bearer token, hex; the token itself is never stored.
    token_hash   TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- 1 once the second factor's code was given (or none is set up).
    mfa_passed   INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Attempts to sign in (a password, a code), by what they count against:
-- `email:<login>`, `mfa:<user id>`, `client:<address>`, `net:<IPv6 /48>`.
-- Counted before the password or code is checked; a right one is removed.
CREATE TABLE sign_in_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT    NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_scope ON sign_in_failures (scope, at);
