-- The domains an account's users may have addresses in (enroll-core's
-- `domains`): the proven admin address's on approval, and those its global
-- admin proves with an emailed code. Lower case, exact.
CREATE TABLE account_domains (
    account_id TEXT    NOT NULL REFERENCES accounts (id),
    domain     TEXT    NOT NULL,
    -- The address the proving code went to (lower case), and when.
    proven_by  TEXT    NOT NULL,
    proven_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, domain)
);

-- Accounts made before: the domain of their first user, the admin named
-- in the application, whose address was proven by the code.
INSERT OR IGNORE INTO account_domains (account_id, domain, proven_by, proven_at)
SELECT u.account_id, substr(u.login, instr(u.login, '@') + 1), u.login, u.created_at
FROM users u
WHERE u.created_at = (SELECT MIN(created_at) FROM users WHERE account_id = u.account_id);

-- The emailed codes now prove a domain too (sent for the account's
-- application): one name for both.
ALTER TABLE admin_email_codes RENAME TO email_codes;
ALTER TABLE admin_email_code_sends RENAME TO email_code_sends;
-- What a code proves: `admin` (the application's admin address) or
-- `domain` (a domain for the account's users).
ALTER TABLE email_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'admin';
