-- The business profile customers' requests are matched against (one per
-- account, once someone saved it) and the logos it shows.
CREATE TABLE business_profiles (
    account_id TEXT    PRIMARY KEY REFERENCES accounts (id),
    -- Bumped on every save of the profile (not of its logo, which has a
    -- route of its own); the ETag is its quoted value (0: never saved).
    version    INTEGER NOT NULL,
    -- enroll-core's BusinessProfile as JSON, without `logo_url`.
    body       TEXT    NOT NULL,
    -- Its `published`, where matching can select it without the JSON.
    published  INTEGER NOT NULL,
    -- The logo's hash in `logos`, if it has one.
    logo       TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX business_profiles_published ON business_profiles (published);

-- Logos as they are served: decoded and re-encoded (no metadata, nothing
-- after the image), named by the SHA-256 of these bytes, so a URL names
-- one image forever and may be cached for a year. Shared by profiles that
-- upload the same image; removed when no profile shows it.
CREATE TABLE logos (
    hash         TEXT    PRIMARY KEY,
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    created_at   INTEGER NOT NULL
);
