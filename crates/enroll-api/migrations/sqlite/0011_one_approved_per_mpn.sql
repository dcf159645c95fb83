-- One approved application per MPN ID (enroll-core's `holds_mpn_id`):
-- several may be submitted and in review together, and the reviewer
-- approves one. The store checks it first to say why; this holds it even
-- against a write that does not.
CREATE UNIQUE INDEX applications_one_approved_per_mpn
    ON applications (mpn_id) WHERE status = 'approved' AND mpn_id != '';
