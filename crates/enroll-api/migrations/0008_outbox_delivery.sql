-- The outbox becomes a queue in front of an SMTP relay (src/mail/sender.rs).
-- Times are seconds since the epoch from the server's one clock.

-- The recipient's language (Content-Language, the HTML's lang) and the
-- HTML part, made from the same catalog as the text when queued.
ALTER TABLE outbox ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';
ALTER TABLE outbox ADD COLUMN html TEXT NOT NULL DEFAULT '';
-- The left part of the Message-ID, fixed when queued: a resend after an
-- unknown outcome is the same message to the receiver.
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
-- Lower goes first (codes, passwords and links before status emails).
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
-- queued, sending, sent, retrying, failed, expired (enroll_core::outbox).
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
-- Past this it is not sent but marked expired (what it carries ran out).
ALTER TABLE outbox ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
-- A sender's claim: which one (a random token) and until when. A claim
-- whose lease ran out (its sender died) may be taken by another.
ALTER TABLE outbox ADD COLUMN claim TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
-- The relay's last reply, or why the email was given up.
ALTER TABLE outbox ADD COLUMN last_reply TEXT;
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
-- When a body carrying a secret (code, password, link) was erased.
ALTER TABLE outbox ADD COLUMN erased_at INTEGER;

-- Emails queued before this version: due now, each with its own id and
-- the life of its kind from when it was queued.
UPDATE outbox SET
    queued_at = CAST(strftime('%s', created_at) AS INTEGER),
    next_attempt_at = CAST(strftime('%s', created_at) AS INTEGER),
    message_id = lower(hex(randomblob(16))),
    priority = CASE kind WHEN 'status' THEN 1 ELSE 0 END,
    expires_at = CAST(strftime('%s', created_at) AS INTEGER) + CASE kind
        WHEN 'admin_code' THEN 600
        WHEN 'temporary_password' THEN 604800
        WHEN 'resume' THEN 2592000
        ELSE 86400 END;

-- What a sender looks for: due emails by priority, oldest first.
CREATE INDEX outbox_due ON outbox (state, priority, next_attempt_at, id);
