//! Admin relationships a direct partner asks its customers for, moved by
//! enroll-core's table of states × events (`admin_relationship::Lifecycle`)
//! and nothing else: each move is one write that checks the status it
//! read, so of two instances (or a customer and the runner) one moves it
//! and the other finds it moved; the emails it tells go in the same
//! write, so none is sent twice.

use enroll_core::account::Role;
use enroll_core::admin_relationship::{
    auto_extend_problem, Event, Lifecycle, NewAdminRelationship, RelationshipStatus, Side,
};
use enroll_core::Problem;

use super::customers::{customer_by_id, StoredCustomer};
use super::email_codes::{judge, sends_full};
use super::outbox::insert_email;
use super::records::Record;
use super::referrals::{partner_record, role_recipients};
use super::{secs, unsecs, CodeCheck, CodeSent, Conn, NewEmail, Store, StoreError};

/// An admin relationship as stored, its status as seen at the time it was
/// read (the runner writes what the clock moved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRelationship {
    pub id: String,
    pub account_id: String,
    pub customer_id: String,
    pub name: String,
    pub duration_days: u32,
    pub roles: Vec<String>,
    pub auto_extend: bool,
    pub status: RelationshipStatus,
    pub created_at: u64,
    pub requested_at: u64,
    pub approved_at: Option<u64>,
    pub ends_at: Option<u64>,
    pub ended_at: Option<u64>,
    /// `partner` or `customer`; none when it expired or is open.
    pub ended_by: Option<String>,
    pub reminded_days: Option<u64>,
}

impl StoredRelationship {
    fn lifecycle(&self) -> Lifecycle {
        Lifecycle {
            status: self.status,
            requested_at: self.requested_at,
            ends_at: self.ends_at,
            duration_days: self.duration_days,
            auto_extend: self.auto_extend,
        }
    }

    /// As it stands at `now`.
    fn at(mut self, now: u64) -> Self {
        if let Ok(moved) = self.lifecycle().after(Event::Tick { now }) {
            self.status = moved.status;
            self.ends_at = moved.ends_at;
        }
        self
    }
}

/// A relationship to keep: the partner's answers (trimmed and valid), for
/// whom, by whom, the hash of the customer's token and the page its link
/// opens.
pub struct RelationshipToKeep {
    pub id: String,
    pub account_id: String,
    pub customer_id: String,
    pub created_by: String,
    pub token_hash: String,
    pub request: NewAdminRelationship,
}

/// The emails relationships send as they move, worded by the caller
/// (`crate::mail::RELATIONSHIP_LETTERS`): each to one address, about the
/// relationship, the partner (its application) and the customer.
pub struct RelationshipLetters {
    /// The customer approved it.
    pub approved: Letter,
    /// One side ended it (or the customer rejected it).
    pub ended: Letter,
    /// It expired.
    pub expired: Letter,
    /// It ends in this many days.
    pub reminder: fn(&Told, &str, u64, u64) -> NewEmail,
    /// The partner turned auto-extend on or off.
    pub changed: Letter,
}

/// Who a relationship's email is about: the relationship, its partner's
/// application, its customer.
pub struct Told<'a> {
    pub relationship: &'a StoredRelationship,
    pub partner: &'a Record,
    pub customer: &'a StoredCustomer,
    /// Whether the recipient is the partner's (else the customer's).
    pub to_partner: bool,
}

/// An email to `to` about a relationship, queued at `now`.
pub type Letter = fn(&Told, &str, u64) -> NewEmail;

/// The request's email to the customer's admin, made by the caller (its
/// link holds the token, which only the caller has).
pub type RequestEmail = Box<dyn FnOnce(&StoredRelationship, &StoredCustomer) -> NewEmail + Send>;

/// What a move did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moved {
    /// Done: the relationship as it now stands.
    Done(Box<StoredRelationship>),
    /// Not in its status: the relationship as it stands.
    NotNow(Box<StoredRelationship>),
    /// The customer's code was not right (nothing moved).
    Code(CodeCheck),
}

/// What making one did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Made {
    Relationship(Box<StoredRelationship>),
    /// The name, or `auto_extend`: problems at their fields.
    Refused(Vec<Problem>),
    /// The customer's reseller relationship is not there.
    NoCustomer,
}

const COLUMNS: &str = "id, account_id, customer_id, name, duration_days, roles, auto_extend, \
     status, created_at, requested_at, approved_at, ends_at, ended_at, ended_by, reminded_days";

type Row = (
    String,
    String,
    String,
    String,
    i64,
    String,
    bool,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

fn stored(row: Row) -> Result<StoredRelationship, StoreError> {
    let (
        id,
        account_id,
        customer_id,
        name,
        days,
        roles,
        auto_extend,
        status,
        created,
        requested,
        approved,
        ends,
        ended,
        ended_by,
        reminded,
    ) = row;
    let corrupt = |what: String| StoreError::Corrupt(format!("admin relationship {id}: {what}"));
    Ok(StoredRelationship {
        status: RelationshipStatus::parse(&status).ok_or_else(|| corrupt(status.clone()))?,
        roles: serde_json::from_str(&roles).map_err(|e| corrupt(e.to_string()))?,
        duration_days: u32::try_from(days).map_err(|e| corrupt(e.to_string()))?,
        account_id,
        customer_id,
        name,
        auto_extend,
        created_at: unsecs(created),
        requested_at: unsecs(requested),
        approved_at: approved.map(unsecs),
        ends_at: ends.map(unsecs),
        ended_at: ended.map(unsecs),
        ended_by,
        reminded_days: reminded.and_then(|d| u64::try_from(d).ok()),
        id,
    })
}

async fn relationship_where(
    conn: &mut Conn<'_>,
    condition: &str,
    value: &str,
) -> Result<Option<StoredRelationship>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM admin_relationships WHERE {condition} = $1");
    let row: Option<Row> =
        on!(conn, c => sqlx::query_as(&sql).bind(value).fetch_optional(c).await)?;
    row.map(stored).transpose()
}

/// Whether the partner `account_id` named another relationship `name`
/// (compared in lower case).
async fn name_taken(conn: &mut Conn<'_>, account_id: &str, name: &str) -> Result<bool, StoreError> {
    Ok(on!(conn, c => sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM admin_relationships WHERE account_id = $1 AND name_key = $2)"
    )
    .bind(account_id)
    .bind(name.to_lowercase())
    .fetch_one(c)
    .await)?)
}

/// Writes `moved` over `before` if the row still stands as `before` was
/// read (its status, end, reminder and auto-extend): whether it did. Writes
/// are serialised besides (`Store::write`); this keeps a move that read an
/// older row from undoing a newer one.
async fn write_move(
    conn: &mut Conn<'_>,
    before: &StoredRelationship,
    moved: &StoredRelationship,
) -> Result<bool, StoreError> {
    let done = execute!(conn, c => sqlx::query(
        "UPDATE admin_relationships SET status = $1, approved_at = $2, ends_at = $3,
             ended_at = $4, ended_by = $5, reminded_days = $6, auto_extend = $7
         WHERE id = $8 AND status = $9 AND ends_at IS NOT DISTINCT FROM $10
           AND reminded_days IS NOT DISTINCT FROM $11 AND auto_extend = $12",
    )
    .bind(moved.status.as_str())
    .bind(moved.approved_at.map(secs))
    .bind(moved.ends_at.map(secs))
    .bind(moved.ended_at.map(secs))
    .bind(&moved.ended_by)
    .bind(moved.reminded_days.and_then(|d| i64::try_from(d).ok()))
    .bind(moved.auto_extend)
    .bind(&moved.id)
    .bind(before.status.as_str())
    .bind(before.ends_at.map(secs))
    .bind(before.reminded_days.and_then(|d| i64::try_from(d).ok()))
    .bind(before.auto_extend))?;
    Ok(done == 1)
}

/// Checks the code typed by the customer's admin (its hashes under each
/// key in use) for relationship `id`: a right one is used up, a wrong one
/// counts down its tries.
async fn customer_code(
    conn: &mut Conn<'_>,
    id: &str,
    hashes: &[String],
    now: u64,
) -> Result<CodeCheck, StoreError> {
    let row: Option<(String, i64, i64)> = on!(conn, c => sqlx::query_as(
        "SELECT code_hash, expires_at, tries_left FROM admin_relationship_codes
         WHERE relationship_id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    let Some((expected, expires_at, tries_left)) = row else {
        return Ok(CodeCheck::Expired);
    };
    let check = judge(&expected, expires_at, tries_left, hashes, now);
    let sql = match check {
        CodeCheck::Confirmed => "DELETE FROM admin_relationship_codes WHERE relationship_id = $1",
        CodeCheck::Wrong { .. } => {
            "UPDATE admin_relationship_codes SET tries_left = tries_left - 1
             WHERE relationship_id = $1"
        }
        CodeCheck::Expired => return Ok(check),
    };
    execute!(conn, c => sqlx::query(sql).bind(id))?;
    Ok(check)
}

/// Queues `letter` to both sides of `relationship`: the partner's admin
/// agents (its global admins when it has none) and the customer's admin.
async fn tell_both(
    conn: &mut Conn<'_>,
    relationship: &StoredRelationship,
    letter: &(dyn Fn(&Told, &str) -> NewEmail + Sync),
) -> Result<(), StoreError> {
    let partner = partner_record(conn, &relationship.account_id).await?;
    let customer = customer_by_id(conn, &relationship.customer_id).await?;
    let agents = role_recipients(conn, &relationship.account_id, Role::AdminAgent).await?;
    let mut told = Told {
        relationship,
        partner: &partner,
        customer: &customer,
        to_partner: true,
    };
    for to in &agents {
        insert_email(conn, &letter(&told, to)).await?;
    }
    told.to_partner = false;
    insert_email(conn, &letter(&told, &customer.admin_email)).await?;
    Ok(())
}

/// `relationship` moved by `event` at `now` (the clock's move first), if
/// the event applies, with what it sets beside the lifecycle.
fn moved(relationship: &StoredRelationship, event: Event, now: u64) -> Option<StoredRelationship> {
    let current = relationship.clone().at(now);
    let next = current.lifecycle().after(event).ok()?;
    let mut moved = StoredRelationship {
        status: next.status,
        ends_at: next.ends_at,
        ..current.clone()
    };
    match event {
        Event::Approve { at } => moved.approved_at = Some(at),
        Event::Reject => {
            moved.ended_at = Some(now);
            moved.ended_by = Some("customer".to_owned());
        }
        Event::Terminate(side) => {
            moved.ended_at = Some(now);
            moved.ended_by = Some(
                match side {
                    Side::Partner => "partner",
                    Side::Customer => "customer",
                }
                .to_owned(),
            );
        }
        Event::Send | Event::Tick { .. } => {}
    }
    if moved.status == RelationshipStatus::Expired && moved.ended_at.is_none() {
        moved.ended_at = Some(now);
    }
    // An extension starts the reminders again.
    if moved.ends_at != current.ends_at {
        moved.reminded_days = None;
    }
    Some(moved)
}

impl Store {
    /// Keeps a new relationship for the partner's customer, sent for the
    /// customer's approval at once (created, then approval pending), and
    /// queues `email` to the customer's admin (its link holds the token,
    /// which only the caller has). Refused when the name is the partner's
    /// already or auto-extend is asked for with Global Administrator.
    pub async fn create_relationship(
        &self,
        new: RelationshipToKeep,
        now: u64,
        email: RequestEmail,
    ) -> Result<Made, StoreError> {
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let RelationshipToKeep {
                    id,
                    account_id,
                    customer_id,
                    created_by,
                    token_hash,
                    request,
                } = new;
                let customer = match customer_by_id(tx, &customer_id).await {
                    Ok(customer) if customer.account_id == account_id => customer,
                    _ => return Ok(Made::NoCustomer),
                };
                let taken = name_taken(tx, &account_id, &request.name).await?;
                let report = request.validate(taken);
                if !report.errors.is_empty() {
                    return Ok(Made::Refused(report.errors));
                }
                let made = Lifecycle {
                    status: RelationshipStatus::Created,
                    requested_at: now,
                    ends_at: None,
                    duration_days: request.duration_days,
                    auto_extend: request.auto_extend,
                };
                let sent = made.after(Event::Send).map_err(|_| {
                    StoreError::Corrupt("a new relationship could not be sent".into())
                })?;
                let roles = serde_json::to_string(&request.roles)
                    .map_err(|e| StoreError::Corrupt(format!("roles of {id}: {e}")))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO admin_relationships (id, account_id, customer_id, name, name_key,
                         duration_days, roles, auto_extend, status, token_hash, created_by, created_at,
                         requested_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
                )
                .bind(&id)
                .bind(&account_id)
                .bind(&customer_id)
                .bind(&request.name)
                .bind(request.name.to_lowercase())
                .bind(i64::from(request.duration_days))
                .bind(&roles)
                .bind(request.auto_extend)
                .bind(sent.status.as_str())
                .bind(&token_hash)
                .bind(&created_by)
                .bind(secs(now)))?;
                let kept = relationship_where(tx, "id", &id)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt(format!("relationship {id} is gone")))?;
                insert_email(tx, &email(&kept, &customer)).await?;
                Ok(Made::Relationship(Box::new(kept)))
            })
        })
        .await
    }

    /// The partner's relationships (of one customer, if `customer_id`),
    /// newest first, as they stand now.
    pub async fn relationships(
        &self,
        account_id: &str,
        customer_id: Option<&str>,
    ) -> Result<Vec<StoredRelationship>, StoreError> {
        let mut conn = self.acquire().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM admin_relationships
             WHERE account_id = $1 AND ($2 = '' OR customer_id = $2)
             ORDER BY created_at DESC, id"
        );
        let rows: Vec<Row> = on!(conn, c => sqlx::query_as(&sql)
            .bind(account_id)
            .bind(customer_id.unwrap_or_default())
            .fetch_all(c)
            .await)?;
        let now = self.now();
        rows.into_iter()
            .map(|row| Ok(stored(row)?.at(now)))
            .collect()
    }

    /// The relationship `token_hash` opens (its customer's), as it stands.
    pub async fn relationship_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredRelationship>, StoreError> {
        let mut conn = self.acquire().await?;
        let now = self.now();
        Ok(
            relationship_where(&mut conn.engine(), "token_hash", token_hash)
                .await?
                .map(|r| r.at(now)),
        )
    }

    /// The relationship `id`, as it stands.
    pub async fn relationship(&self, id: &str) -> Result<Option<StoredRelationship>, StoreError> {
        let mut conn = self.acquire().await?;
        let now = self.now();
        Ok(relationship_where(&mut conn.engine(), "id", id)
            .await?
            .map(|r| r.at(now)))
    }

    /// Moves relationship `id` by `event` at `now`, if it applies in its
    /// status, and tells both sides of an approval or an end (`letters`).
    /// `None` when there is no such relationship.
    pub async fn move_relationship(
        &self,
        id: &str,
        (event, code): (Event, Option<Vec<String>>),
        now: u64,
        letters: &'static RelationshipLetters,
    ) -> Result<Option<Moved>, StoreError> {
        let id = id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let Some(before) = relationship_where(tx, "id", &id).await? else {
                    return Ok(None);
                };
                let Some(after) = moved(&before, event, now) else {
                    return Ok(Some(Moved::NotNow(Box::new(before.at(now)))));
                };
                if let Some(hashes) = code {
                    let check = customer_code(tx, &id, &hashes, now).await?;
                    if check != CodeCheck::Confirmed {
                        return Ok(Some(Moved::Code(check)));
                    }
                }
                if !write_move(tx, &before, &after).await? {
                    // Moved meanwhile by another: as it now stands.
                    let current = relationship_where(tx, "id", &id).await?;
                    return Ok(current.map(|r| Moved::NotNow(Box::new(r.at(now)))));
                }
                let letter = match event {
                    Event::Approve { .. } => Some(letters.approved),
                    Event::Reject | Event::Terminate(_) => Some(letters.ended),
                    Event::Send | Event::Tick { .. } => None,
                };
                if let Some(letter) = letter {
                    tell_both(tx, &after, &|told, to| letter(told, to, now)).await?;
                }
                Ok(Some(Moved::Done(Box::new(after))))
            })
        })
        .await
    }

    /// Turns auto-extend of the partner's relationship `id` on or off once
    /// it is approved and until it ends (while approval is pending the
    /// customer answers what the request said); refused on `auto_extend`
    /// with Global Administrator. The clock's move is written with it (an
    /// end passed but not yet extended by the runner is extended first),
    /// and both sides are told (`letters.changed`). `Err` of no problem:
    /// not in its status.
    pub async fn set_auto_extend(
        &self,
        account_id: &str,
        id: &str,
        on: bool,
        now: u64,
        letters: &'static RelationshipLetters,
    ) -> Result<Option<Result<StoredRelationship, Vec<Problem>>>, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let before = match relationship_where(tx, "id", &id).await? {
                    Some(found) if found.account_id == account_id => found,
                    _ => return Ok(None),
                };
                let current =
                    moved(&before, Event::Tick { now }, now).unwrap_or_else(|| before.clone());
                if !current.status.grants_roles() {
                    return Ok(Some(Err(Vec::new())));
                }
                if let Some(problem) = auto_extend_problem(on, &current.roles) {
                    return Ok(Some(Err(vec![problem])));
                }
                if current.auto_extend == on {
                    return Ok(Some(Ok(current)));
                }
                // Its status again with the new setting: extending, it is
                // no longer expiring.
                let after = StoredRelationship {
                    auto_extend: on,
                    ..current
                }
                .at(now);
                if !write_move(tx, &before, &after).await? {
                    return Ok(Some(Err(Vec::new())));
                }
                let letter = letters.changed;
                tell_both(tx, &after, &|told, to| letter(told, to, now)).await?;
                Ok(Some(Ok(after)))
            })
        })
        .await
    }

    /// The runner's look at every open relationship at `now`: what the
    /// clock moved (an unanswered request expired, an end reached or
    /// extended, expiring) is written, both sides are told of an expiry,
    /// and reminded 30, 7 and 1 days before an end, each once. Each
    /// relationship is its own write, checked against what was read: of
    /// several instances one moves it. How many moved or were reminded.
    pub async fn settle_relationships(
        &self,
        now: u64,
        letters: &'static RelationshipLetters,
    ) -> Result<usize, StoreError> {
        let open: Vec<String> = {
            let mut conn = self.acquire().await?;
            on!(conn, c => sqlx::query_scalar(
                "SELECT id FROM admin_relationships WHERE status IN ($1, $2, $3)"
            )
            .bind(RelationshipStatus::ApprovalPending.as_str())
            .bind(RelationshipStatus::Active.as_str())
            .bind(RelationshipStatus::Expiring.as_str())
            .fetch_all(c)
            .await)?
        };
        let mut changed = 0;
        for id in open {
            let settled = self
                .write_queuing(move |tx| {
                    Box::pin(async move {
                        let Some(before) = relationship_where(tx, "id", &id).await? else {
                            return Ok(false);
                        };
                        let Some(mut after) = moved(&before, Event::Tick { now }, now) else {
                            return Ok(false);
                        };
                        let reminder = after
                            .lifecycle()
                            .reminder_due(now)
                            .filter(|days| after.reminded_days.is_none_or(|sent| sent > *days));
                        if let Some(days) = reminder {
                            after.reminded_days = Some(days);
                        }
                        if after == before || !write_move(tx, &before, &after).await? {
                            return Ok(false);
                        }
                        if after.status == RelationshipStatus::Expired {
                            let letter = letters.expired;
                            tell_both(tx, &after, &|told, to| letter(told, to, now)).await?;
                        } else if let Some(days) = reminder {
                            let letter = letters.reminder;
                            tell_both(tx, &after, &|told, to| letter(told, to, days, now)).await?;
                        }
                        Ok(true)
                    })
                })
                .await;
            // One relationship that cannot be moved (a row the code cannot
            // read) must not stop the others' expiries and reminders.
            match settled {
                Ok(settled) => changed += usize::from(settled),
                Err(e) => tracing::warn!(error = %e, "settling an admin relationship"),
            }
        }
        Ok(changed)
    }
}

impl Store {
    /// Records a new code for the customer's admin to answer relationship
    /// `id` (replacing the earlier one) and queues `message`, which
    /// carries it to the customer's admin; refused when three were sent in
    /// the hour before `now`. `None` when the relationship is over.
    pub async fn send_relationship_code(
        &self,
        id: &str,
        code_hash: String,
        now: u64,
        message: NewEmail,
    ) -> Result<Option<CodeSent>, StoreError> {
        let id = id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let Some(found) = relationship_where(tx, "id", &id).await? else {
                    return Ok(None);
                };
                if found.at(now).status.is_final() {
                    return Ok(None);
                }
                let sends = (
                    "admin_relationship_code_sends",
                    "relationship_id",
                    id.as_str(),
                );
                let per_hour = enroll_core::account::limits::EMAIL_CODE_SENDS_PER_HOUR;
                if let Some(wait) = sends_full(tx, sends, per_hour, now).await? {
                    return Ok(Some(wait));
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO admin_relationship_codes (relationship_id, code_hash, expires_at,
                         tries_left)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (relationship_id) DO UPDATE SET code_hash = excluded.code_hash,
                         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
                )
                .bind(&id)
                .bind(&code_hash)
                .bind(secs(now + enroll_core::account::limits::EMAIL_CODE_SECS))
                .bind(i64::from(enroll_core::account::limits::EMAIL_CODE_TRIES)))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO admin_relationship_code_sends (relationship_id, sent_at)
                     VALUES ($1, $2)"
                )
                .bind(&id)
                .bind(secs(now)))?;
                insert_email(tx, &message).await?;
                Ok(Some(CodeSent::Sent))
            })
        })
        .await
    }

    /// The partner's role templates, by name.
    pub async fn relationship_templates(
        &self,
        account_id: &str,
    ) -> Result<Vec<(String, NewAdminRelationship)>, StoreError> {
        let mut conn = self.acquire().await?;
        let rows: Vec<(String, String, i64, String, bool)> = on!(conn, c => sqlx::query_as(
            "SELECT id, name, duration_days, roles, auto_extend FROM admin_relationship_templates
             WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(c)
        .await)?;
        rows.into_iter()
            .map(|(id, name, days, roles, auto_extend)| {
                let corrupt = |e: String| StoreError::Corrupt(format!("template {id}: {e}"));
                let template = NewAdminRelationship {
                    name,
                    duration_days: u32::try_from(days).map_err(|e| corrupt(e.to_string()))?,
                    roles: serde_json::from_str(&roles).map_err(|e| corrupt(e.to_string()))?,
                    auto_extend,
                };
                Ok((id, template))
            })
            .collect::<Result<Vec<_>, StoreError>>()
            // By name, as the partner reads them (one order on both
            // engines: SQLite's own knows only ASCII).
            .map(|mut templates| {
                templates.sort_by_cached_key(|(id, t)| (t.name.to_lowercase(), id.clone()));
                templates
            })
    }

    /// Saves `template` (trimmed) under its name for the partner; refused
    /// with the problems at their fields (a name the partner gave another
    /// template is `name_taken`).
    pub async fn save_relationship_template(
        &self,
        account_id: &str,
        id: String,
        template: NewAdminRelationship,
        now: u64,
    ) -> Result<Result<(), Vec<Problem>>, StoreError> {
        let account_id = account_id.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let taken: bool = on!(tx, c => sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM admin_relationship_templates
                                    WHERE account_id = $1 AND name_key = $2)"
                )
                .bind(&account_id)
                .bind(template.name.to_lowercase())
                .fetch_one(c)
                .await)?;
                let report = template.validate(taken);
                if !report.errors.is_empty() {
                    return Ok(Err(report.errors));
                }
                let roles = serde_json::to_string(&template.roles)
                    .map_err(|e| StoreError::Corrupt(format!("roles of template {id}: {e}")))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO admin_relationship_templates (id, account_id, name, name_key,
                         duration_days, roles, auto_extend, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&id)
                .bind(&account_id)
                .bind(&template.name)
                .bind(template.name.to_lowercase())
                .bind(i64::from(template.duration_days))
                .bind(&roles)
                .bind(template.auto_extend)
                .bind(secs(now)))?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Deletes the partner's template `id`: whether it had one.
    pub async fn delete_relationship_template(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<bool, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                let gone = execute!(tx, c => sqlx::query(
                    "DELETE FROM admin_relationship_templates WHERE account_id = $1 AND id = $2"
                )
                .bind(&account_id)
                .bind(&id))?;
                Ok(gone == 1)
            })
        })
        .await
    }
}
