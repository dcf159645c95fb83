//! The customers' requests' housekeeping, in the server's background
//! runner (`crate::runner`), on the injected clock: a request whose
//! address was not proven within a day is forgotten, contact and all; a
//! referral not answered in 14 days expires and its request goes to the
//! next partner; from 08:00 UTC the referrals past a partner's day's
//! first ten are told in one digest; admin relationships expire (an
//! unanswered request after 90 days, an active one at its end unless it
//! extends itself) and both sides are reminded 30, 7 and 1 days before an
//! end. Every instance runs it; each step is one write, so what one
//! instance did the next finds done.

use crate::mail::{REFERRAL_LETTERS, RELATIONSHIP_LETTERS};
use crate::runner::JobContext;
use crate::store::Store;

/// How long a request may wait for its address to be proven (the code
/// itself works 10 minutes; a new one may be asked for meanwhile).
pub const UNPROVEN_KEPT_SECS: u64 = 86_400;

/// How often the job looks, in the clock's seconds: a referral expires,
/// and the digest goes, at most this late.
const EVERY_SECS: u64 = 600;

pub async fn run(store: Store, mut context: JobContext) {
    // Nothing wakes this job early: it looks when it is due.
    let never = tokio::sync::Notify::new();
    while !context.stopping() {
        let now = context.clock.now();
        if let Err(e) = store
            .forget_unproven_requests(now.saturating_sub(UNPROVEN_KEPT_SECS))
            .await
        {
            tracing::warn!(error = %e, "forgetting unproven partner requests");
        }
        if let Err(e) = store.expire_referrals(now, &REFERRAL_LETTERS).await {
            tracing::warn!(error = %e, "expiring referrals");
        }
        if let Err(e) = store.send_referral_digests(now, &REFERRAL_LETTERS).await {
            tracing::warn!(error = %e, "sending referral digests");
        }
        if let Err(e) = store.settle_relationships(now, &RELATIONSHIP_LETTERS).await {
            tracing::warn!(error = %e, "settling admin relationships");
        }
        // `wait` returns at least every poll: waits again until due.
        let due = now + EVERY_SECS;
        while !context.stopping() && context.clock.now() < due {
            let woken = never.notified();
            tokio::pin!(woken);
            context.wait(Some(due), woken).await;
        }
    }
}
