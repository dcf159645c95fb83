-- Program settings: one row, changed by operators (`enroll-api program set`).
CREATE TABLE program_settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    program_name            TEXT    NOT NULL,
    -- Closed by default: the vendor's page says direct enrollment is closed
    -- for now and expected to reopen.
    direct_enrollment_open  INTEGER NOT NULL DEFAULT 0,
    direct_enrollment_note  TEXT,
    -- JSON array of ISO 3166-1 alpha-2 codes.
    supported_countries     TEXT    NOT NULL,
    join_mpn_url            TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

INSERT INTO program_settings (id, program_name, supported_countries, join_mpn_url)
VALUES (
    1,
    'Cloud Solution Provider program',
    '["AE","AT","AU","BE","BR","CA","CH","CN","CZ","DE","DK","ES","FI","FR","GB","HK","IE","IN","IT","JP","MX","NL","NO","NZ","PL","PT","SE","SG","US","ZA"]',
    'https://epe.mspartner.microsoft.com/EPE/portal/en-US?partnerid='
);
