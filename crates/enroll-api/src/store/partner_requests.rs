//! Customers' requests for a partner: made, their addresses proven with a
//! code, and, once proven, offered to the best-matching partner as a
//! referral (`offer_to_next_partner`, which passes a request on too).

use enroll_core::account::limits as code_limits;
use enroll_core::business_profile::BusinessProfile;
use enroll_core::contract::RequestPartner;
use enroll_core::email::mailbox;
use enroll_core::matching::{self, Candidate, Needs, MAX_PARTNERS_PER_REQUEST};
use enroll_core::partner_request::{limits, PartnerRequest, RequestContact};
use enroll_core::referral::{ReferralStatus, RequestStatus};
use enroll_core::Locale;

use super::email_codes::{judge, sends_full};
use super::outbox::insert_email;
use super::referrals::{tell_partner, ReferralLetters};
use super::{secs, unsecs, CodeCheck, CodeSent, Conn, NewEmail, Store, StoreError};

/// A request as stored (`Debug` shows no contact).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredRequest {
    pub id: String,
    pub status: RequestStatus,
    pub locale: String,
    pub needs: Needs,
    pub contact: RequestContact,
    pub created_at: u64,
}

impl std::fmt::Debug for StoredRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredRequest")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A request to keep: the customer's answers (trimmed and valid), its id
/// and the hash of the token that opens it.
pub struct NewPartnerRequest {
    pub id: String,
    pub token_hash: String,
    pub request: PartnerRequest,
}

/// A code asked for a customer's request: sent, or refused for the
/// hour's limits (`Code`), or for the day's requests of its inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestCodeSent {
    Code(CodeSent),
    DayFull { retry_after_secs: u64 },
}

/// A code typed for a customer's request: checked (`Code`), or right but
/// its inbox proved as many requests as it may in a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestProof {
    Code(CodeCheck),
    DayFull { retry_after_secs: u64 },
}

/// The emails a request's proof queues, made by the caller (the link
/// holds the token, which only the caller has): told whether a partner
/// received the request.
pub type ProvenEmail = Box<dyn FnOnce(&StoredRequest, bool) -> NewEmail + Send>;

const REQUEST_COLUMNS: &str =
    "id, status, locale, needs, contact_name, contact_email, contact_phone, created_at";

type RequestRow = (String, String, String, String, String, String, String, i64);

fn stored(row: RequestRow) -> Result<StoredRequest, StoreError> {
    let (id, status, locale, needs, name, email, phone, created_at) = row;
    let corrupt = |what: String| StoreError::Corrupt(format!("partner request {id}: {what}"));
    Ok(StoredRequest {
        status: RequestStatus::parse(&status).ok_or_else(|| corrupt(status.clone()))?,
        needs: serde_json::from_str(&needs).map_err(|e| corrupt(e.to_string()))?,
        contact: RequestContact { name, email, phone },
        locale,
        created_at: unsecs(created_at),
        id,
    })
}

pub(super) async fn request_by_id(
    conn: &mut Conn<'_>,
    id: &str,
) -> Result<StoredRequest, StoreError> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM partner_requests WHERE id = $1");
    let row: RequestRow = on!(conn, c => sqlx::query_as(&sql).bind(id).fetch_one(c).await)?;
    stored(row)
}

/// Offers `request` to the best-matching published partner that has not
/// had it, as a referral answered by `now + 14 days`, and tells its
/// referrals admins; when none is left (or three had it), the request has
/// no partner. Whether one received it.
pub(super) async fn offer_to_next_partner(
    conn: &mut Conn<'_>,
    request: &StoredRequest,
    now: u64,
    letters: &ReferralLetters,
) -> Result<bool, StoreError> {
    let tried: i64 = on!(conn, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM referrals WHERE request_id = $1"
    )
    .bind(&request.id)
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "SELECT p.account_id, p.body, p.first_published_at,
                (SELECT COUNT(*) FROM referrals r
                 WHERE r.account_id = p.account_id AND r.status IN ({}))
         FROM business_profiles p
         WHERE p.published AND p.account_id NOT IN
               (SELECT account_id FROM referrals WHERE request_id = $1)",
        statuses(ReferralStatus::is_open)
    );
    let rows: Vec<(String, String, Option<i64>, i64)> = on!(conn, c => sqlx::query_as(&sql)
        .bind(&request.id)
        .fetch_all(c)
        .await)?;
    let profiles: Vec<(String, BusinessProfile, u64, u32)> = rows
        .into_iter()
        .filter_map(|(account, body, since, open)| {
            let profile = serde_json::from_str(&body).ok()?;
            let since = since.map_or(u64::MAX, unsecs);
            Some((
                account,
                profile,
                since,
                u32::try_from(open).unwrap_or(u32::MAX),
            ))
        })
        .collect();
    let candidates: Vec<Candidate> = profiles
        .iter()
        .map(|(account_id, profile, since, open)| Candidate {
            account_id,
            profile,
            open_referrals: *open,
            since: *since,
        })
        .collect();
    let locale = Locale::from_tag(&request.locale).unwrap_or_default();
    let best = matching::rank(&request.needs, locale, &candidates)
        .into_iter()
        .next()
        .filter(|_| usize::try_from(tried).unwrap_or(usize::MAX) < MAX_PARTNERS_PER_REQUEST);
    let Some(best) = best else {
        set_status(conn, &request.id, RequestStatus::NoPartner).await?;
        return Ok(false);
    };
    let id = crate::auth::new_id()
        .map_err(|e| StoreError::Interrupted(format!("no randomness for an id: {e}")))?;
    let reasons = serde_json::to_string(&best.reasons)
        .map_err(|e| StoreError::Corrupt(format!("reasons of {}: {e}", request.id)))?;
    execute!(conn, c => sqlx::query(
        "INSERT INTO referrals (id, request_id, account_id, round, reasons, status, received_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&request.id)
    .bind(&best.account_id)
    .bind(tried + 1)
    .bind(&reasons)
    .bind(ReferralStatus::Received.as_str())
    .bind(secs(now))
    .bind(secs(now + limits::REFERRAL_ANSWER_DAYS * 86_400)))?;
    set_status(conn, &request.id, RequestStatus::WithPartner).await?;
    let referral = (id.as_str(), best.account_id.as_str(), &best.reasons[..]);
    tell_partner(conn, referral, now, letters).await?;
    Ok(true)
}

/// The referral statuses `which` picks, as an SQL list of literals (our
/// own constant names: nothing anyone typed).
pub(super) fn statuses(which: fn(ReferralStatus) -> bool) -> String {
    ReferralStatus::ALL
        .into_iter()
        .filter(|s| which(*s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// When `inbox` may prove another request: `None` while fewer than
/// `REQUESTS_PER_ADDRESS_DAY` of its requests were proven in the day
/// before `now`, else the seconds until the oldest of them leaves the
/// day. Proven ones only: anyone may type someone's address into a
/// request, and that must not use up the day of its owner.
async fn proven_day_full(
    conn: &mut Conn<'_>,
    inbox: &str,
    now: u64,
) -> Result<Option<u64>, StoreError> {
    let day_ago = secs(now.saturating_sub(86_400));
    let (proven, oldest): (i64, Option<i64>) = on!(conn, c => sqlx::query_as(
        "SELECT COUNT(*), MIN(proven_at) FROM partner_requests
         WHERE contact_mailbox = $1 AND proven_at > $2",
    )
    .bind(inbox)
    .bind(day_ago)
    .fetch_one(c)
    .await)?;
    Ok(
        (proven >= i64::from(limits::REQUESTS_PER_ADDRESS_DAY)).then(|| {
            let free_at = unsecs(oldest.unwrap_or(day_ago)) + 86_400;
            free_at.saturating_sub(now).max(1)
        }),
    )
}

pub(super) async fn set_status(
    conn: &mut Conn<'_>,
    id: &str,
    status: RequestStatus,
) -> Result<(), StoreError> {
    execute!(conn, c => sqlx::query("UPDATE partner_requests SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id))?;
    Ok(())
}

impl Store {
    /// Keeps a new request, unproven (the limit of requests an address
    /// makes a day counts proven ones: `prove_partner_request`).
    pub async fn create_partner_request(
        &self,
        new: NewPartnerRequest,
        now: u64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let NewPartnerRequest {
                    id,
                    token_hash,
                    request,
                } = new;
                let needs = serde_json::to_string(&request.needs)
                    .map_err(|e| StoreError::Corrupt(format!("needs of {id}: {e}")))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO partner_requests (id, token_hash, token_expires_at, locale, needs,
                         contact_name, contact_email, contact_phone, contact_mailbox, status, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(&id)
                .bind(&token_hash)
                .bind(secs(now + limits::REQUEST_LINK_SECS))
                .bind(&request.locale)
                .bind(&needs)
                .bind(&request.contact.name)
                .bind(&request.contact.email)
                .bind(&request.contact.phone)
                .bind(mailbox(&request.contact.email))
                .bind(RequestStatus::Unproven.as_str())
                .bind(secs(now)))?;
                Ok(())
            })
        })
        .await
    }

    /// Forgets the requests whose address was not proven by `before`: the
    /// contact someone typed, perhaps not their own, is kept no longer
    /// than it takes to prove it (with their codes and the emails that
    /// carried them).
    pub async fn forget_unproven_requests(&self, before: u64) -> Result<u64, StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let old = "SELECT id FROM partner_requests WHERE status = $1 AND created_at < $2";
                let mut forgotten = 0;
                for table in [
                    "outbox WHERE partner_request_id",
                    "partner_request_codes WHERE request_id",
                    "partner_request_code_sends WHERE request_id",
                    "partner_requests WHERE id",
                ] {
                    let sql = format!("DELETE FROM {table} IN ({old})");
                    forgotten = execute!(tx, c => sqlx::query(&sql)
                        .bind(RequestStatus::Unproven.as_str())
                        .bind(secs(before)))?;
                }
                Ok(forgotten)
            })
        })
        .await
    }

    /// The request `token_hash` opens, unless its token ran out.
    pub async fn partner_request_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredRequest>, StoreError> {
        let mut conn = self.acquire().await?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM partner_requests
             WHERE token_hash = $1 AND token_expires_at > $2"
        );
        let row: Option<RequestRow> = on!(conn, c => sqlx::query_as(&sql)
            .bind(token_hash)
            .bind(secs(self.now()))
            .fetch_optional(c)
            .await)?;
        row.map(stored).transpose()
    }

    pub async fn partner_request_exists(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(on!(conn, c => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM partner_requests WHERE id = $1)"
        )
        .bind(id)
        .fetch_one(c)
        .await)?)
    }

    /// Records a new code for request `id` (replacing its earlier one) and
    /// queues `message`, which carries it; refused when three were sent
    /// for the request, or `per_recipient` to its inbox, in the hour
    /// before `now`, or when its inbox proved as many requests as it may
    /// in a day. `None` when the request is proven already.
    pub async fn send_request_code(
        &self,
        id: &str,
        code_hash: String,
        now: u64,
        per_recipient: u32,
        message: NewEmail,
    ) -> Result<Option<RequestCodeSent>, StoreError> {
        let id = id.to_owned();
        let inbox = mailbox(&message.to);
        self.write_queuing(move |tx| {
            Box::pin(async move {
                if request_by_id(tx, &id).await?.status != RequestStatus::Unproven {
                    return Ok(None);
                }
                if let Some(wait) = proven_day_full(tx, &inbox, now).await? {
                    return Ok(Some(RequestCodeSent::DayFull { retry_after_secs: wait }));
                }
                let per_request = code_limits::EMAIL_CODE_SENDS_PER_HOUR;
                for (column, value, limit) in [
                    ("request_id", &id, per_request),
                    ("mailbox", &inbox, per_recipient),
                ] {
                    let sends = ("partner_request_code_sends", column, value.as_str());
                    if let Some(wait) = sends_full(tx, sends, limit, now).await? {
                        return Ok(Some(RequestCodeSent::Code(wait)));
                    }
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO partner_request_codes (request_id, code_hash, expires_at, tries_left)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (request_id) DO UPDATE SET code_hash = excluded.code_hash,
                         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                )
                .bind(&id)
                .bind(&code_hash)
                .bind(secs(now + code_limits::EMAIL_CODE_SECS))
                .bind(i64::from(code_limits::EMAIL_CODE_TRIES)))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO partner_request_code_sends (request_id, mailbox, sent_at)
                     VALUES ($1, $2, $3)"
                )
                .bind(&id)
                .bind(&inbox)
                .bind(secs(now)))?;
                insert_email(tx, &message).await?;
                Ok(Some(RequestCodeSent::Code(CodeSent::Sent)))
            })
        })
        .await
    }

    /// Checks a typed code (its hashes under each key in use) for request
    /// `id`. Right, the address is proven: in the same transaction the
    /// request goes to the best-matching partner (if any) and `email`
    /// (told whether one received it) is queued. A request proven already
    /// answers `Confirmed` again and changes nothing. A right code for an
    /// inbox that proved as many requests as it may in a day proves
    /// nothing (`DayFull`).
    pub async fn prove_partner_request(
        &self,
        id: &str,
        code_hashes: Vec<String>,
        now: u64,
        email: ProvenEmail,
        letters: &'static ReferralLetters,
    ) -> Result<RequestProof, StoreError> {
        let id = id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let request = request_by_id(tx, &id).await?;
                if request.status != RequestStatus::Unproven {
                    return Ok(RequestProof::Code(CodeCheck::Confirmed));
                }
                let row: Option<(String, i64, i64)> = on!(tx, c => sqlx::query_as(
                    "SELECT code_hash, expires_at, tries_left FROM partner_request_codes
                     WHERE request_id = $1",
                )
                .bind(&id)
                .fetch_optional(c)
                .await)?;
                let Some((expected, expires_at, tries_left)) = row else {
                    return Ok(RequestProof::Code(CodeCheck::Expired));
                };
                match judge(&expected, expires_at, tries_left, &code_hashes, now) {
                    CodeCheck::Confirmed => {}
                    wrong @ CodeCheck::Wrong { .. } => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE partner_request_codes SET tries_left = tries_left - 1
                             WHERE request_id = $1",
                        )
                        .bind(&id))?;
                        return Ok(RequestProof::Code(wrong));
                    }
                    expired => return Ok(RequestProof::Code(expired)),
                }
                let inbox = mailbox(&request.contact.email);
                if let Some(wait) = proven_day_full(tx, &inbox, now).await? {
                    return Ok(RequestProof::DayFull { retry_after_secs: wait });
                }
                execute!(tx, c => sqlx::query("DELETE FROM partner_request_codes WHERE request_id = $1")
                    .bind(&id))?;
                execute!(tx, c => sqlx::query("UPDATE partner_requests SET proven_at = $1 WHERE id = $2")
                    .bind(secs(now))
                    .bind(&id))?;
                let offered = offer_to_next_partner(tx, &request, now, letters).await?;
                insert_email(tx, &email(&request, offered)).await?;
                Ok(RequestProof::Code(CodeCheck::Confirmed))
            })
        })
        .await
    }

    /// The partner that accepted request `id`, as the customer sees it:
    /// its legal name, its website, its logo's file.
    pub async fn request_partner(
        &self,
        id: &str,
    ) -> Result<Option<(RequestPartner, Option<String>)>, StoreError> {
        let mut conn = self.acquire().await?;
        let sql = format!(
            "SELECT a.answers, p.body, p.logo FROM referrals r
             JOIN accounts ac ON ac.id = r.account_id
             JOIN applications a ON a.id = ac.application_id
             LEFT JOIN business_profiles p ON p.account_id = r.account_id
             WHERE r.request_id = $1 AND r.status IN ({})",
            statuses(ReferralStatus::shows_contact)
        );
        let row: Option<(String, Option<String>, Option<String>)> =
            on!(conn, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?;
        let Some((answers, profile, logo)) = row else {
            return Ok(None);
        };
        let answers: enroll_core::Answers = serde_json::from_str(&answers)
            .map_err(|e| StoreError::Corrupt(format!("answers of {id}'s partner: {e}")))?;
        let website = profile
            .and_then(|body| serde_json::from_str::<BusinessProfile>(&body).ok())
            .map(|p| p.website)
            .unwrap_or_default();
        let partner = RequestPartner {
            name: answers.company.legal_name,
            website,
            logo_url: None,
        };
        Ok(Some((partner, logo)))
    }
}
