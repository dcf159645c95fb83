-- A partner account's organization profile, once someone saved it (until
-- then it is what the application says).
CREATE TABLE organization_profiles (
    account_id TEXT    PRIMARY KEY REFERENCES accounts (id),
    -- Bumped on every save; the ETag is its quoted value (0: never saved).
    version    INTEGER NOT NULL,
    -- enroll-core's OrganizationProfile as JSON.
    body       TEXT    NOT NULL
);
