//! Referrals: customers' requests as the partners offered them see them.
//! The customer's contact is never read here: a referral shows it only
//! once accepted.

use enroll_core::matching::Reason;
use enroll_core::referral::ReferralStatus;

use super::{unsecs, Store, StoreError};

/// A referral as the operator lists it (no contact: nobody but the
/// partner who accepts sees it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralRow {
    pub id: String,
    pub request_id: String,
    pub account_id: String,
    /// The partner's legal name.
    pub company: String,
    /// 1 for the first partner offered the request.
    pub round: u32,
    pub status: ReferralStatus,
    pub reasons: Vec<Reason>,
    pub received_at: u64,
    /// Unanswered by then, it expires.
    pub expires_at: u64,
}

type Row = (
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    i64,
);

impl Store {
    /// Every referral, newest first.
    pub async fn referrals(&self) -> Result<Vec<ReferralRow>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<Row> = on!(conn, c => sqlx::query_as(
            "SELECT r.id, r.request_id, r.account_id, a.answers, r.round, r.status, r.reasons,
                    r.received_at, r.expires_at
             FROM referrals r
             JOIN accounts ac ON ac.id = r.account_id
             JOIN applications a ON a.id = ac.application_id
             ORDER BY r.received_at DESC, r.id"
        )
        .fetch_all(c)
        .await)?;
        rows.into_iter()
            .map(
                |(
                    id,
                    request_id,
                    account_id,
                    answers,
                    round,
                    status,
                    reasons,
                    received,
                    expires,
                )| {
                    let corrupt =
                        |what: String| StoreError::Corrupt(format!("referral {id}: {what}"));
                    let answers: enroll_core::Answers =
                        serde_json::from_str(&answers).map_err(|e| corrupt(e.to_string()))?;
                    Ok(ReferralRow {
                        status: ReferralStatus::parse(&status)
                            .ok_or_else(|| corrupt(status.clone()))?,
                        reasons: serde_json::from_str(&reasons)
                            .map_err(|e| corrupt(e.to_string()))?,
                        company: answers.company.legal_name,
                        round: u32::try_from(round).unwrap_or(0),
                        received_at: unsecs(received),
                        expires_at: unsecs(expires),
                        id,
                        request_id,
                        account_id,
                    })
                },
            )
            .collect()
    }
}
