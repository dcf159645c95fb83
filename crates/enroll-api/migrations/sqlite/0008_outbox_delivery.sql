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

-- Emails queued before this version were handed on by the operator from
-- `enroll-api outbox` (the outbox was the end of the road): they are not
-- sent now. Their codes, passwords and links are erased like any other
-- email done with.
UPDATE outbox SET
    state = 'expired',
    last_reply = 'queued before emails were delivered: not sent',
    queued_at = CAST(strftime('%s', created_at) AS INTEGER),
    next_attempt_at = CAST(strftime('%s', created_at) AS INTEGER),
    expires_at = CAST(strftime('%s', created_at) AS INTEGER),
    message_id = lower(hex(randomblob(16))),
    priority = CASE kind WHEN 'status' THEN 1 ELSE 0 END,
    body = CASE kind WHEN 'status' THEN body ELSE '' END,
    erased_at = CASE kind WHEN 'status' THEN NULL
                ELSE CAST(strftime('%s', 'now') AS INTEGER) END;

-- What a sender looks for: by state, then due time.
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- Whether an earlier code or password is waiting (replaced by a newer one).
CREATE INDEX outbox_application_kind ON outbox (application_id, kind, state);
