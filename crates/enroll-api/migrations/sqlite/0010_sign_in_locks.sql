-- Failed attempts to sign in now count against these scopes (0006 named
-- the earlier ones): `pair:<login>|<client>` (5 in 15 minutes: only that
-- client waits), `client:<address>` and `net:<IPv6 /48>` (20 in 15
-- minutes), `email:<login>` from all clients (100 within 24 hours lock the
-- address), and `mfa:<user id>` for second-factor codes across clients.

-- An address locked after those 100 (NIST SP 800-63B): no attempt with
-- it is counted or checked until `until`; its owner is emailed at most
-- once in 24 hours (`notified_at`).
CREATE TABLE sign_in_locks (
    scope       TEXT    PRIMARY KEY,
    until       INTEGER NOT NULL,
    notified_at INTEGER
);
