//! Referrals: customers' requests as the partners offered them see them,
//! answered (`answer_referral`), expired and passed on, and told to the
//! partners' referrals admins (at once, or past the day's first ten in
//! the next morning's digest). The customer's contact is read only for a
//! referral whose status shows it (`ReferralStatus::shows_contact`).

use enroll_core::account::Role;
use enroll_core::matching::{Needs, Reason};
use enroll_core::partner_request::RequestContact;
use enroll_core::referral::{limits, Deal, Outcome, ReferralAction, ReferralStatus, RequestStatus};

use super::outbox::insert_email;
use super::partner_requests::{offer_to_next_partner, request_by_id, statuses};
use super::records::load;
use super::users::users_in;
use super::{secs, unsecs, Conn, NewEmail, Record, Store, StoreError, StoredRequest};

/// The emails referrals queue as they move, worded by the caller
/// (`crate::mail::REFERRAL_LETTERS`).
pub struct ReferralLetters {
    /// To a referrals admin (`to`) of the partner (its application): a
    /// referral arrived, matched for these reasons.
    pub offered: fn(&Record, &str, &[Reason], u64) -> NewEmail,
    /// To a referrals admin: this many arrived past the day's first ten.
    pub digest: fn(&Record, &str, usize, u64) -> NewEmail,
    /// To the customer: this partner (its legal name) accepted.
    pub accepted: fn(&StoredRequest, &str, u64) -> NewEmail,
    /// To the customer: no partner is left.
    pub no_partner: fn(&StoredRequest, u64) -> NewEmail,
}

/// A referral as its partner sees it; `contact` only once it shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredReferral {
    pub id: String,
    pub request_id: String,
    pub status: ReferralStatus,
    pub needs: Needs,
    /// The customer's language.
    pub locale: String,
    pub reasons: Vec<Reason>,
    pub received_at: u64,
    pub expires_at: u64,
    pub deal: Option<Deal>,
    pub decline_reason: Option<String>,
    pub contact: Option<RequestContact>,
}

impl std::fmt::Debug for StoredReferral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredReferral")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

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

/// A partner's answer to a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Accept(Deal),
    /// With the reason (required).
    Decline(String),
    Close(Outcome),
}

impl Answer {
    fn action(&self) -> ReferralAction {
        match self {
            Self::Accept(_) => ReferralAction::Accept,
            Self::Decline(_) => ReferralAction::Decline,
            Self::Close(Outcome::Won) => ReferralAction::Win,
            Self::Close(Outcome::Lost) => ReferralAction::Lose,
        }
    }
}

/// What an answer found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answered {
    /// Done: the referral as it now is.
    Done(Box<StoredReferral>),
    /// Not in this status (answered, or closed, already).
    NotNow(ReferralStatus),
    /// No such referral of this partner.
    Missing,
}

/// A referral's columns; the customer's contact only where its status
/// shows it (else NULL): a referral not accepted never reads it.
fn referral_columns() -> String {
    let shown = statuses(ReferralStatus::shows_contact);
    let contact =
        |column: &str| format!("CASE WHEN r.status IN ({shown}) THEN q.{column} END AS {column}");
    format!(
        "r.id, r.request_id, r.status, q.needs, q.locale, r.reasons, r.received_at,
         r.expires_at, r.deal_name, r.estimated_value, r.currency, r.notes, r.decline_reason,
         {}, {}, {}",
        contact("contact_name"),
        contact("contact_email"),
        contact("contact_phone")
    )
}

#[derive(sqlx::FromRow)]
struct ReferralRecord {
    id: String,
    request_id: String,
    status: String,
    needs: String,
    locale: String,
    reasons: String,
    received_at: i64,
    expires_at: i64,
    deal_name: Option<String>,
    estimated_value: Option<String>,
    currency: Option<String>,
    notes: Option<String>,
    decline_reason: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
}

fn referral(row: ReferralRecord) -> Result<StoredReferral, StoreError> {
    let corrupt = |what: String| StoreError::Corrupt(format!("referral {}: {what}", row.id));
    let status = ReferralStatus::parse(&row.status).ok_or_else(|| corrupt(row.status.clone()))?;
    let deal = row.deal_name.clone().map(|deal_name| Deal {
        deal_name,
        estimated_value: row.estimated_value.clone().unwrap_or_default(),
        currency: row.currency.clone().unwrap_or_default(),
        notes: row.notes.clone().unwrap_or_default(),
    });
    // Selected only where the status shows it (`referral_columns`), and
    // kept only then.
    let contact = row
        .contact_email
        .clone()
        .filter(|_| status.shows_contact())
        .map(|email| RequestContact {
            name: row.contact_name.clone().unwrap_or_default(),
            email,
            phone: row.contact_phone.clone().unwrap_or_default(),
        });
    Ok(StoredReferral {
        needs: serde_json::from_str(&row.needs).map_err(|e| corrupt(e.to_string()))?,
        reasons: serde_json::from_str(&row.reasons).map_err(|e| corrupt(e.to_string()))?,
        status,
        locale: row.locale,
        received_at: unsecs(row.received_at),
        expires_at: unsecs(row.expires_at),
        deal,
        decline_reason: row.decline_reason,
        contact,
        id: row.id,
        request_id: row.request_id,
    })
}

async fn referrals_where(
    conn: &mut Conn<'_>,
    filter: &str,
    values: &[&str],
) -> Result<Vec<StoredReferral>, StoreError> {
    let sql = format!(
        "SELECT {} FROM referrals r
         JOIN partner_requests q ON q.id = r.request_id
         WHERE {filter} ORDER BY r.received_at DESC, r.id",
        referral_columns()
    );
    let rows: Vec<ReferralRecord> = on!(conn, c => {
        let mut query = sqlx::query_as(&sql);
        for value in values {
            query = query.bind(*value);
        }
        query.fetch_all(c).await
    })?;
    rows.into_iter().map(referral).collect()
}

/// Who of the partner `account_id` is told of what `role` looks after (its
/// referrals admins of referrals, its admin agents of customers): its
/// users holding `role`, or, when none does, its global admins (someone
/// must hear of it).
pub(super) async fn role_recipients(
    conn: &mut Conn<'_>,
    account_id: &str,
    role: Role,
) -> Result<Vec<String>, StoreError> {
    let users = users_in(conn, account_id).await?;
    let with = |role: Role| -> Vec<String> {
        users
            .iter()
            .filter(|u| u.roles.contains(&role))
            .map(|u| u.email.clone())
            .collect()
    };
    let holders = with(role);
    Ok(if holders.is_empty() {
        with(Role::GlobalAdmin)
    } else {
        holders
    })
}

/// The application of the partner account `account_id`.
pub(super) async fn partner_record(
    conn: &mut Conn<'_>,
    account_id: &str,
) -> Result<Record, StoreError> {
    let application: String = on!(conn, c => sqlx::query_scalar(
        "SELECT application_id FROM accounts WHERE id = $1"
    )
    .bind(account_id)
    .fetch_one(c)
    .await)?;
    load(conn, &application)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("account {account_id} has no application")))
}

/// The UTC day `at` falls in, as its first second.
fn day_of(at: u64) -> u64 {
    at - at % 86_400
}

/// Tells the referrals admins of `account_id` of the referral `id` just
/// offered (matched for `reasons`), unless the partner had its day's
/// first ten already: those wait for the morning's digest.
pub(super) async fn tell_partner(
    conn: &mut Conn<'_>,
    (id, account_id, reasons): (&str, &str, &[Reason]),
    now: u64,
    letters: &ReferralLetters,
) -> Result<(), StoreError> {
    let today: i64 = on!(conn, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM referrals WHERE account_id = $1 AND received_at >= $2"
    )
    .bind(account_id)
    .bind(secs(day_of(now)))
    .fetch_one(c)
    .await)?;
    if today > i64::from(limits::EMAILS_PER_DAY) {
        return Ok(());
    }
    let partner = partner_record(conn, account_id).await?;
    for to in role_recipients(conn, account_id, Role::ReferralsAdmin).await? {
        insert_email(conn, &(letters.offered)(&partner, &to, reasons, now)).await?;
    }
    execute!(conn, c => sqlx::query("UPDATE referrals SET notified_at = $1 WHERE id = $2")
        .bind(secs(now))
        .bind(id))?;
    Ok(())
}

/// The request of a referral that ended without a deal goes to the next
/// partner; with none left, the customer is told.
async fn pass_on(
    conn: &mut Conn<'_>,
    request_id: &str,
    now: u64,
    letters: &ReferralLetters,
) -> Result<(), StoreError> {
    let request = request_by_id(conn, request_id).await?;
    if !offer_to_next_partner(conn, &request, now, letters).await? {
        insert_email(conn, &(letters.no_partner)(&request, now)).await?;
    }
    Ok(())
}

/// Expires the referral `id` if it is still unanswered, passing its
/// request on: whether it did.
async fn expire(
    conn: &mut Conn<'_>,
    id: &str,
    request_id: &str,
    now: u64,
    letters: &ReferralLetters,
) -> Result<bool, StoreError> {
    let done = execute!(conn, c => sqlx::query(
        "UPDATE referrals SET status = $1, answered_at = $2 WHERE id = $3 AND status = $4"
    )
    .bind(ReferralStatus::Expired.as_str())
    .bind(secs(now))
    .bind(id)
    .bind(ReferralStatus::Received.as_str()))?;
    if done == 1 {
        pass_on(conn, request_id, now, letters).await?;
    }
    Ok(done == 1)
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
    /// The referrals of partner `account_id` (those in `status`, if
    /// given), newest first.
    pub async fn referrals_of(
        &self,
        account_id: &str,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<StoredReferral>, StoreError> {
        let mut conn = self.acquire().await?;
        let mut conn = conn.engine();
        match status {
            Some(status) => {
                let filter = "r.account_id = $1 AND r.status = $2";
                referrals_where(&mut conn, filter, &[account_id, status.as_str()]).await
            }
            None => referrals_where(&mut conn, "r.account_id = $1", &[account_id]).await,
        }
    }

    /// The referral `id` of partner `account_id`.
    pub async fn referral_of(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<Option<StoredReferral>, StoreError> {
        let mut conn = self.acquire().await?;
        let filter = "r.account_id = $1 AND r.id = $2";
        let found = referrals_where(&mut conn.engine(), filter, &[account_id, id]).await?;
        Ok(found.into_iter().next())
    }

    /// Answers the referral `id` of partner `account_id`, if its status
    /// allows (`ReferralStatus::after`), checked in the write. Accepted,
    /// the customer is told who will make contact; declined, the request
    /// goes to the next partner (or the customer is told none is left).
    pub async fn answer_referral(
        &self,
        account_id: &str,
        id: &str,
        answer: Answer,
        letters: &'static ReferralLetters,
    ) -> Result<Answered, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        let clock = self.clock.clone();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                // Taken in the write: what it stamps is in order with
                // what other writes (the digest) stamp.
                let now = clock.now();
                let row: Option<(String, String, i64)> = on!(tx, c => sqlx::query_as(
                    "SELECT status, request_id, expires_at FROM referrals
                     WHERE id = $1 AND account_id = $2"
                )
                .bind(&id)
                .bind(&account_id)
                .fetch_optional(c)
                .await)?;
                let Some((status, request_id, expires_at)) = row else {
                    return Ok(Answered::Missing);
                };
                let status = ReferralStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("referral {id}: {status}")))?;
                // Past its time it is expired, whether or not the runner
                // has come by: not answered now.
                if status == ReferralStatus::Received && unsecs(expires_at) <= now {
                    expire(tx, &id, &request_id, now, letters).await?;
                    return Ok(Answered::NotNow(ReferralStatus::Expired));
                }
                let Some(next) = status.after(answer.action()) else {
                    return Ok(Answered::NotNow(status));
                };
                match &answer {
                    Answer::Accept(deal) => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE referrals SET status = $1, answered_at = $2, deal_name = $3,
                                 estimated_value = $4, currency = $5, notes = $6
                             WHERE id = $7",
                        )
                        .bind(next.as_str())
                        .bind(secs(now))
                        .bind(&deal.deal_name)
                        .bind(&deal.estimated_value)
                        .bind(&deal.currency)
                        .bind(&deal.notes)
                        .bind(&id))?;
                        // One partner has the request at a time: it was with
                        // this one (checked, not assumed).
                        let taken = execute!(tx, c => sqlx::query(
                            "UPDATE partner_requests SET status = $1 WHERE id = $2 AND status = $3"
                        )
                        .bind(RequestStatus::Accepted.as_str())
                        .bind(&request_id)
                        .bind(RequestStatus::WithPartner.as_str()))?;
                        if taken != 1 {
                            return Err(StoreError::Corrupt(format!(
                                "referral {id} accepted for a request not with its partner"
                            )));
                        }
                        let request = request_by_id(tx, &request_id).await?;
                        let partner = partner_record(tx, &account_id).await?;
                        let name = partner.answers.company.legal_name.clone();
                        insert_email(tx, &(letters.accepted)(&request, &name, now)).await?;
                    }
                    Answer::Decline(reason) => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE referrals SET status = $1, answered_at = $2, decline_reason = $3
                             WHERE id = $4",
                        )
                        .bind(next.as_str())
                        .bind(secs(now))
                        .bind(reason)
                        .bind(&id))?;
                        pass_on(tx, &request_id, now, letters).await?;
                    }
                    Answer::Close(_) => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE referrals SET status = $1, closed_at = $2 WHERE id = $3",
                        )
                        .bind(next.as_str())
                        .bind(secs(now))
                        .bind(&id))?;
                    }
                }
                let filter = "r.account_id = $1 AND r.id = $2";
                let now = referrals_where(tx, filter, &[&account_id, &id]).await?;
                Ok(now
                    .into_iter()
                    .next()
                    .map_or(Answered::Missing, |r| Answered::Done(Box::new(r))))
            })
        })
        .await
    }

    /// Expires every referral not answered by its time (`now`), each
    /// passing its request on, each in a write of its own that checks it
    /// is still unanswered (of several instances one does it; one that
    /// fails leaves the others done). How many expired.
    pub async fn expire_referrals(
        &self,
        now: u64,
        letters: &'static ReferralLetters,
    ) -> Result<usize, StoreError> {
        let due: Vec<(String, String)> = {
            let mut conn = self.acquire().await?;
            on!(conn, c => sqlx::query_as(
                "SELECT id, request_id FROM referrals WHERE status = $1 AND expires_at <= $2
                 ORDER BY expires_at, id"
            )
            .bind(ReferralStatus::Received.as_str())
            .bind(secs(now))
            .fetch_all(c)
            .await)?
        };
        let mut expired = 0;
        for (id, request_id) in due {
            let done = self
                .write_queuing(move |tx| {
                    Box::pin(async move { expire(tx, &id, &request_id, now, letters).await })
                })
                .await?;
            expired += usize::from(done);
        }
        Ok(expired)
    }

    /// From `DIGEST_HOUR_UTC` on, tells each partner's referrals admins in
    /// one email of the referrals that arrived past the day's first ten
    /// (and were not told of); once, whichever instance does it. How
    /// many digests went.
    pub async fn send_referral_digests(
        &self,
        now: u64,
        letters: &'static ReferralLetters,
    ) -> Result<usize, StoreError> {
        let digest_time = day_of(now) + limits::DIGEST_HOUR_UTC * 3600;
        if now < digest_time {
            return Ok(0);
        }
        self.write_queuing(move |tx| {
            Box::pin(async move {
                // Those still waiting for an answer are told; all are
                // marked told (one answered or expired meanwhile needs none).
                let waiting: Vec<(String, i64)> = on!(tx, c => sqlx::query_as(
                    "SELECT account_id, SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END) FROM referrals
                     WHERE notified_at IS NULL AND received_at < $1
                     GROUP BY account_id ORDER BY account_id"
                )
                .bind(secs(digest_time))
                .bind(ReferralStatus::Received.as_str())
                .fetch_all(c)
                .await)?;
                for (account_id, count) in &waiting {
                    let count = usize::try_from(*count).unwrap_or(0);
                    if count > 0 {
                        let partner = partner_record(tx, account_id).await?;
                        for to in role_recipients(tx, account_id, Role::ReferralsAdmin).await? {
                            insert_email(tx, &(letters.digest)(&partner, &to, count, now)).await?;
                        }
                    }
                    execute!(tx, c => sqlx::query(
                        "UPDATE referrals SET notified_at = $1
                         WHERE account_id = $2 AND notified_at IS NULL AND received_at < $3"
                    )
                    .bind(secs(now))
                    .bind(account_id)
                    .bind(secs(digest_time)))?;
                }
                Ok(waiting.iter().filter(|(_, count)| *count > 0).count())
            })
        })
        .await
    }

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
