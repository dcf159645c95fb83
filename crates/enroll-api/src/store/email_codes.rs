//! Codes emailed to prove an address: the admin address of an
//! application, or an address in a domain an account proves. Stored as
//! their keyed hashes; each lives ten minutes and five tries.

use super::accounts::add_domain;
use super::outbox::insert_email;
use super::{secs, unsecs, Conn, NewEmail, Store, StoreError};
use enroll_core::account::limits;
use enroll_core::domains::domain_of;
use enroll_core::email::{address_key, mailbox};

/// The answer to asking for a code to be emailed to the admin address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSent {
    Sent,
    /// Three were sent in the last hour: the next may go after this long.
    TooMany {
        retry_after_secs: u64,
    },
}

/// The answer to a code typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Confirmed,
    Wrong {
        tries_left: u32,
    },
    /// Too old, tried too often, sent to another address, or never sent.
    Expired,
}

/// What an emailed code proves once typed back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// That the application's admin address is the applicant's.
    AdminAddress,
    /// That the account (of the application) has an address in the
    /// address's domain.
    Domain,
}

impl Proof {
    fn purpose(self) -> &'static str {
        match self {
            Self::AdminAddress => "admin",
            Self::Domain => "domain",
        }
    }
}

/// A code to email: sent for an application (an applicant's, or an
/// account's own) to `email`, to prove `proof`; stored as `code_hash`.
#[derive(Clone, Debug)]
pub struct NewCode {
    pub application_id: String,
    pub email: String,
    pub proof: Proof,
    pub code_hash: String,
}

/// `TooMany` when the codes sent in the hour before `now` that `sends`
/// counts (in its table, those whose column holds the value) reached
/// `limit`: the next may go when the oldest leaves the hour.
pub(super) async fn sends_full(
    tx: &mut Conn<'_>,
    (table, column, value): (&str, &str, &str),
    limit: u32,
    now: u64,
) -> Result<Option<CodeSent>, StoreError> {
    let hour_ago = secs(now.saturating_sub(3600));
    let sql =
        format!("SELECT COUNT(*), MIN(sent_at) FROM {table} WHERE {column} = $1 AND sent_at > $2");
    let (sent, oldest): (i64, Option<i64>) = on!(tx, c => sqlx::query_as(&sql)
        .bind(value)
        .bind(hour_ago)
        .fetch_one(c)
        .await)?;
    Ok((sent >= i64::from(limit)).then(|| {
        let free_at = unsecs(oldest.unwrap_or(hour_ago)) + 3600;
        CodeSent::TooMany {
            retry_after_secs: free_at.saturating_sub(now).max(1),
        }
    }))
}

/// A typed code (`typed`: its hashes under each key in use) against the
/// one stored (`expected`, working until `expires_at` for `tries_left`
/// more tries): `Confirmed` when right; the caller counts a `Wrong` try.
pub(super) fn judge(
    expected: &str,
    expires_at: i64,
    tries_left: i64,
    typed: &[String],
    now: u64,
) -> CodeCheck {
    if unsecs(expires_at) <= now || tries_left <= 0 {
        CodeCheck::Expired
    } else if typed.iter().any(|hash| hash == expected) {
        CodeCheck::Confirmed
    } else {
        CodeCheck::Wrong {
            tries_left: u32::try_from(tries_left - 1).unwrap_or(0),
        }
    }
}

impl Store {
    /// Records a new code (replacing any earlier code of its application)
    /// and queues `message`, which carries it; refused when three were
    /// sent for the application, or `per_recipient` to the address, in the
    /// hour before `now`.
    pub async fn send_email_code(
        &self,
        code: NewCode,
        now: u64,
        per_recipient: u32,
        message: NewEmail,
    ) -> Result<CodeSent, StoreError> {
        let NewCode {
            application_id: id,
            email,
            proof,
            code_hash,
        } = code;
        let email = address_key(&email);
        // Counted per inbox: jane+1@ and Jane@ are one (the `+tag`
        // would otherwise give each spelling its own three).
        let inbox = mailbox(&email);
        self.write_queuing(move |tx| {
            Box::pin(async move {
                // Per application, and per address: drafts are free, and
                // an address is not to be flooded from many of them.
                let per_application = limits::EMAIL_CODE_SENDS_PER_HOUR;
                for (column, value, limit) in [
                    ("application_id", &id, per_application),
                    ("email", &inbox, per_recipient),
                ] {
                    let sends = ("email_code_sends", column, value.as_str());
                    if let Some(wait) = sends_full(tx, sends, limit, now).await? {
                        return Ok(wait);
                    }
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO email_codes (application_id, email, purpose, code_hash, expires_at, tries_left)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (application_id) DO UPDATE SET email = excluded.email,
                         purpose = excluded.purpose, code_hash = excluded.code_hash,
                         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                )
                .bind(&id)
                .bind(&email)
                .bind(proof.purpose())
                .bind(&code_hash)
                .bind(secs(now + limits::EMAIL_CODE_SECS))
                .bind(i64::from(limits::EMAIL_CODE_TRIES)))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO email_code_sends (application_id, email, sent_at) VALUES ($1, $2, $3)"
                )
                .bind(&id)
                .bind(&inbox)
                .bind(secs(now)))?;
                insert_email(tx, &message).await?;
                Ok(CodeSent::Sent)
            })
        })
        .await
    }

    /// Checks a typed code (`code_hashes`: its hashes under each key in
    /// use) against the one sent for application `id` to prove `proof` of
    /// `proves` (the admin address; or the domain, for the account): a
    /// right one proves it.
    pub async fn check_email_code(
        &self,
        id: &str,
        proves: &str,
        proof: Proof,
        code_hashes: Vec<String>,
        now: u64,
    ) -> Result<CodeCheck, StoreError> {
        let (id, proves) = (id.to_owned(), address_key(proves));
        self.write(move |tx| {
            Box::pin(async move {
                let row: Option<(String, String, String, i64, i64)> = on!(tx, c => sqlx::query_as(
                    "SELECT email, purpose, code_hash, expires_at, tries_left FROM email_codes
                     WHERE application_id = $1",
                )
                .bind(&id)
                .fetch_optional(c)
                .await)?;
                let Some((email, purpose, expected, expires_at, tries_left)) = row else {
                    return Ok(CodeCheck::Expired);
                };
                let domain = domain_of(&email).unwrap_or_default();
                let sent_for = match proof {
                    Proof::AdminAddress => &email,
                    Proof::Domain => &domain,
                };
                if *sent_for != proves || purpose != proof.purpose() {
                    return Ok(CodeCheck::Expired);
                }
                // Under the current key, or the previous one (rotating).
                match judge(&expected, expires_at, tries_left, &code_hashes, now) {
                    CodeCheck::Confirmed => {}
                    wrong @ CodeCheck::Wrong { .. } => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE email_codes SET tries_left = tries_left - 1 WHERE application_id = $1",
                        )
                        .bind(&id))?;
                        return Ok(wrong);
                    }
                    expired => return Ok(expired),
                }
                execute!(tx, c => sqlx::query("DELETE FROM email_codes WHERE application_id = $1")
                    .bind(&id))?;
                match proof {
                    Proof::AdminAddress => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE applications SET admin_email_confirmed = $1 WHERE id = $2"
                        )
                        .bind(&email)
                        .bind(&id))?;
                    }
                    Proof::Domain => {
                        let account: Option<String> = on!(tx, c => sqlx::query_scalar(
                            "SELECT id FROM accounts WHERE application_id = $1"
                        )
                        .bind(&id)
                        .fetch_optional(c)
                        .await)?;
                        if let Some(account) = account {
                            add_domain(tx, &account, &domain, &email, now).await?;
                        }
                    }
                }
                Ok(CodeCheck::Confirmed)
            })
        })
        .await
    }

    /// Takes the proof of the admin's address away, as applications sent
    /// before proofs existed have none (for tests and repairs).
    pub async fn forget_admin_email_proof(&self, id: &str) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET admin_email_confirmed = NULL WHERE id = $1";
        self.execute(sql, vec![id.into()]).await.map(drop)
    }
}
