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

-- Accounts made before: the domain of the admin address their application
-- proved with the code (every approved application has one: approval
-- needs it).
INSERT OR IGNORE INTO account_domains (account_id, domain, proven_by, proven_at)
SELECT a.id,
       substr(p.admin_email_confirmed, instr(p.admin_email_confirmed, '@') + 1),
       p.admin_email_confirmed,
       a.created_at
FROM accounts a JOIN applications p ON p.id = a.application_id
WHERE p.admin_email_confirmed IS NOT NULL AND instr(p.admin_email_confirmed, '@') > 0;

-- The emailed codes now prove a domain too (sent for the account's
-- application): one name for both.
ALTER TABLE admin_email_codes RENAME TO email_codes;
ALTER TABLE admin_email_code_sends RENAME TO email_code_sends;
-- What a code proves: `admin` (the application's admin address) or
-- `domain` (a domain for the account's users).
ALTER TABLE email_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'admin';
