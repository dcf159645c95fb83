//! Applications: drafts, autosave, submission, status and its history.

use enroll_core::company::normalize_mpn_id;
use enroll_core::contract::HistoryEntry;
use enroll_core::{Answers, ApplicationStatus, Change};

use super::accounts::{insert_account, NewAccount};
use super::outbox::insert_email;
use super::records::{load, record, Record, COLUMNS};
use super::users::{withdraw_invitation, Withdrawal};
use super::Conn;
use super::{NewEmail, Store, StoreError};
use crate::clock::iso;

pub struct NewDraft<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    /// How long the resume token lives, in days.
    pub token_days: u32,
    pub locale: &'a str,
    pub answers: &'a Answers,
    pub mpn_id: &'a str,
}

#[derive(Debug)]
pub enum UpdateOutcome {
    Updated(Box<Record>),
    /// The If-Match version is not the stored one.
    Stale {
        current: i64,
    },
    /// Submitted and not sent back for more information.
    NotEditable(ApplicationStatus),
    Missing,
}

/// The email telling an admin (at `to`) of the account whose application
/// is `holder` that the invitation of `withdrawn` was withdrawn, queued at
/// `now`.
pub type WithdrawalNotice = fn(holder: &Record, to: &str, withdrawn: &str, now: u64) -> NewEmail;

/// What a status change brings with it.
#[derive(Debug, Default)]
pub struct Consequences {
    pub emails: Vec<NewEmail>,
    /// On approval: the partner account and its first user.
    pub account: Option<NewAccount>,
    /// On approval, where another account invited the admin's address and
    /// the invitation was withdrawn: how its admins are told.
    pub withdrawal_notice: Option<WithdrawalNotice>,
}

#[derive(Debug)]
pub enum StatusChange {
    Changed(Box<Record>),
    /// The application is not in a status this change starts from.
    NotAllowed(ApplicationStatus),
    Missing,
}

fn answers_json(answers: &Answers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(format!("answers: {e}")))
}

/// The application that holds `record`'s MPN ID (`holds_mpn_id`: an
/// approved one), other than `record` itself.
async fn mpn_holder(conn: &mut Conn<'_>, record: &Record) -> Result<Option<String>, StoreError> {
    let holders: Vec<&str> = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| s.holds_mpn_id())
        .map(ApplicationStatus::as_str)
        .collect();
    let placeholders: Vec<String> = (3..3 + holders.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT id FROM applications
         WHERE mpn_id = $1 AND mpn_id <> '' AND id <> $2 AND status IN ({}) LIMIT 1",
        placeholders.join(", ")
    );
    let mpn_id = normalize_mpn_id(&record.answers.mpn_id);
    Ok(on!(conn, c => {
        let mut query = sqlx::query_scalar(&sql).bind(&mpn_id).bind(&record.id);
        for status in &holders {
            query = query.bind(*status);
        }
        query.fetch_optional(c).await
    })?)
}

/// Moves application `id` to `to` at `at`, with `reason` in its history;
/// the record as it now is.
async fn enter_status(
    conn: &mut Conn<'_>,
    id: &str,
    to: ApplicationStatus,
    reason: Option<&str>,
    at: &str,
) -> Result<Record, StoreError> {
    execute!(conn, c => sqlx::query(
        "UPDATE applications SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3"
    )
    .bind(to.as_str())
    .bind(at)
    .bind(id))?;
    add_history(conn, id, to, reason, at).await?;
    load(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("application {id} vanished")))
}

pub(super) async fn add_history(
    conn: &mut Conn<'_>,
    id: &str,
    status: ApplicationStatus,
    reason: Option<&str>,
    at: &str,
) -> Result<(), StoreError> {
    execute!(conn, c => sqlx::query(
        "INSERT INTO status_history (application_id, status, reason, at) VALUES ($1, $2, $3, $4)"
    )
    .bind(id)
    .bind(status.as_str())
    .bind(reason)
    .bind(at))?;
    Ok(())
}

impl Store {
    pub async fn create_application(&self, draft: NewDraft<'_>) -> Result<Record, StoreError> {
        let (id, token_hash, locale, mpn_id) = (
            draft.id.to_owned(),
            draft.token_hash.to_owned(),
            draft.locale.to_owned(),
            draft.mpn_id.to_owned(),
        );
        let answers = answers_json(draft.answers)?;
        let now = self.now();
        let expires = iso(now + u64::from(draft.token_days) * 86_400);
        let now = iso(now);
        self.write(move |tx| {
            Box::pin(async move {
                execute!(tx, c => sqlx::query(
                    "INSERT INTO applications (id, token_hash, token_expires_at, locale, answers,
                                               mpn_id, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
                )
                .bind(&id)
                .bind(&token_hash)
                .bind(&expires)
                .bind(&locale)
                .bind(&answers)
                .bind(&mpn_id)
                .bind(&now))?;
                add_history(tx, &id, ApplicationStatus::Draft, None, &now).await?;
                load(tx, &id)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("created application vanished".into()))
            })
        })
        .await
    }

    pub async fn application(&self, id: &str) -> Result<Option<Record>, StoreError> {
        let mut conn = self.acquire().await?;
        load(&mut conn.engine(), id).await
    }

    /// The application whose unexpired resume token hashes to `token_hash`.
    pub async fn application_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Record>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM applications WHERE token_hash = $1 AND token_expires_at > $2"
        );
        let now = self.now_iso();
        let mut conn = self.acquire().await?;
        let row = on!(conn, c => sqlx::query_as(&sql)
            .bind(token_hash)
            .bind(&now)
            .fetch_optional(c)
            .await)?;
        row.map(record).transpose()
    }

    /// Replaces the answers if `expected_version` is current and the
    /// application is editable.
    pub async fn update_answers(
        &self,
        id: &str,
        expected_version: i64,
        answers: &Answers,
        mpn_id: &str,
        locale: &str,
    ) -> Result<UpdateOutcome, StoreError> {
        let (id, mpn_id, locale) = (id.to_owned(), mpn_id.to_owned(), locale.to_owned());
        let answers = answers_json(answers)?;
        let now = self.now_iso();
        self.write(move |tx| {
            Box::pin(async move {
                let Some(current) = load(tx, &id).await? else {
                    return Ok(UpdateOutcome::Missing);
                };
                if !current.status.is_editable() {
                    return Ok(UpdateOutcome::NotEditable(current.status));
                }
                if current.version != expected_version {
                    return Ok(UpdateOutcome::Stale {
                        current: current.version,
                    });
                }
                execute!(tx, c => sqlx::query(
                    "UPDATE applications SET answers = $1, mpn_id = $2, locale = $3,
                         version = version + 1, updated_at = $4
                     WHERE id = $5"
                )
                .bind(&answers)
                .bind(&mpn_id)
                .bind(&locale)
                .bind(&now)
                .bind(&id))?;
                let updated = load(tx, &id)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("updated application vanished".into()))?;
                Ok(UpdateOutcome::Updated(Box::new(updated)))
            })
        })
        .await
    }

    /// Submits once per (application, idempotency key): the first call runs
    /// `check` (given the record and whether another live application holds
    /// its MPN ID) and either records the refusal it returns or submits,
    /// queues the email `render` gives for the submitted record, and
    /// records the answer `render` gives. Every later call with the same
    /// key gets the recorded answer and queues nothing. Writers are
    /// serialized (`Store::write`), on one server or several, so
    /// concurrent calls cannot both submit.
    pub async fn submit<C, R>(
        &self,
        id: &str,
        key: &str,
        check: C,
        render: R,
    ) -> Result<Option<(u16, String)>, StoreError>
    where
        C: FnOnce(&Record, bool) -> Result<(), (u16, String)> + Send + 'static,
        R: FnOnce(&Record) -> (String, Option<NewEmail>) + Send + 'static,
    {
        let (id, key) = (id.to_owned(), key.to_owned());
        let now = self.now_iso();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let recorded: Option<(i64, String)> = on!(tx, c => sqlx::query_as(
                    "SELECT status_code, body FROM submit_answers
                     WHERE application_id = $1 AND idempotency_key = $2",
                )
                .bind(&id)
                .bind(&key)
                .fetch_optional(c)
                .await)?;
                if let Some((code, body)) = recorded {
                    return Ok(Some((u16::try_from(code).unwrap_or(500), body)));
                }
                let Some(current) = load(tx, &id).await? else {
                    return Ok(None);
                };
                let mpn_taken = mpn_holder(tx, &current).await?.is_some();
                let answer = match (
                    check(&current, mpn_taken),
                    current.status.after(Change::Submit),
                ) {
                    (Err(refusal), _) => refusal,
                    (Ok(()), None) => {
                        return Err(StoreError::Corrupt(format!(
                            "submit accepted from {}",
                            current.status.as_str()
                        )))
                    }
                    (Ok(()), Some(to)) => {
                        let submitted = enter_status(tx, &id, to, None, &now).await?;
                        let (body, email) = render(&submitted);
                        if let Some(email) = email {
                            insert_email(tx, &email).await?;
                        }
                        (200, body)
                    }
                };
                execute!(tx, c => sqlx::query(
                    "INSERT INTO submit_answers (application_id, idempotency_key, status_code, body)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(&key)
                .bind(i64::from(answer.0))
                .bind(&answer.1))?;
                Ok(Some(answer))
            })
        })
        .await
    }

    pub async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<(String, Option<String>, String)> = on!(conn, c => sqlx::query_as(
            "SELECT status, reason, at FROM status_history WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(c)
        .await)?;
        rows.into_iter()
            .map(|(status, reason, at)| {
                Ok(HistoryEntry {
                    status: ApplicationStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
                    reason,
                    at,
                })
            })
            .collect()
    }

    /// Moves an application along the status flow by `change` (a
    /// reviewer's decision), with a reason in its history, and does what
    /// `then` says comes with it for the changed record (an email; on
    /// approval, the partner account), in the same transaction.
    pub async fn change_status<E>(
        &self,
        id: &str,
        change: Change,
        reason: Option<&str>,
        then: E,
    ) -> Result<StatusChange, StoreError>
    where
        E: FnOnce(&Record) -> Consequences + Send + 'static,
    {
        let (id, reason) = (id.to_owned(), reason.map(str::to_owned));
        let now = self.now_iso();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let Some(current) = load(tx, &id).await? else {
                    return Ok(StatusChange::Missing);
                };
                let Some(to) = current.status.after(change) else {
                    return Ok(StatusChange::NotAllowed(current.status));
                };
                // One approved application per MPN ID (a partial unique
                // index holds it too): the others in review are refused
                // with the reason.
                if to.holds_mpn_id() {
                    if let Some(holder) = mpn_holder(tx, &current).await? {
                        return Err(StoreError::MpnApproved {
                            mpn_id: normalize_mpn_id(&current.answers.mpn_id),
                            holder,
                        });
                    }
                }
                let changed = enter_status(tx, &id, to, reason.as_deref(), &now).await?;
                let consequences = then(&changed);
                if let Some(account) = &consequences.account {
                    // No other account can stall an approval: an invitation
                    // of the address that was never taken up is withdrawn.
                    let email = &account.user.email;
                    match withdraw_invitation(
                        tx,
                        email,
                        crate::clock::from_iso(&now).unwrap_or_default(),
                    )
                    .await?
                    {
                        Withdrawal::Free => {}
                        // Nothing of the change is kept: the transaction
                        // rolls back on this error.
                        Withdrawal::SignedIn => return Err(StoreError::LoginTaken(email.clone())),
                        Withdrawal::Withdrawn { holder, admins } => {
                            if let Some(notice) = consequences.withdrawal_notice {
                                for admin in admins {
                                    let told = notice(&holder, &admin, email, account.created_at);
                                    insert_email(tx, &told).await?;
                                }
                            }
                        }
                    }
                    insert_account(tx, &id, account).await?;
                }
                for email in &consequences.emails {
                    insert_email(tx, email).await?;
                }
                Ok(StatusChange::Changed(Box::new(changed)))
            })
        })
        .await
    }

    /// Every application, newest first (for reviewers).
    pub async fn applications(&self) -> Result<Vec<Record>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM applications ORDER BY created_at DESC, id");
        let mut conn = self.acquire().await?;
        let rows = on!(conn, c => sqlx::query_as(&sql).fetch_all(c).await)?;
        rows.into_iter().map(record).collect()
    }
}
