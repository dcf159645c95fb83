//! A direct partner's customers: the invitations it makes, the customer
//! admin's address proven with a code, and the customer the acceptance
//! makes, checked against the resale rule (enroll-core's `customer`) in
//! the same transaction that records it.

use enroll_core::account::limits as code_limits;
use enroll_core::account::Role;
use enroll_core::customer::{
    resale_refusals, InvitationAcceptance, InvitationStatus, NewInvitation, PartnerTenants,
};
use enroll_core::email::mailbox;
use enroll_core::{Answers, ApplicationStatus, Problem};

use super::email_codes::{judge, sends_full};
use super::outbox::insert_email;
use super::records::Record;
use super::referrals::{partner_record, role_recipients};
use super::{secs, unsecs, CodeCheck, CodeSent, Conn, NewEmail, Store, StoreError};

/// An invitation as stored (`Debug` shows no addresses).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredInvitation {
    pub id: String,
    pub account_id: String,
    pub company_name: String,
    pub admin_email: String,
    pub locale: String,
    /// The customer's page its link opens.
    pub link_base: String,
    /// As seen now: a sent one past its end reads expired.
    pub status: InvitationStatus,
    pub created_at: u64,
    pub expires_at: u64,
    pub emailed_at: Option<u64>,
    pub answered_at: Option<u64>,
    pub proven_email: Option<String>,
}

impl std::fmt::Debug for StoredInvitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredInvitation")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A customer as stored (`Debug` shows no address).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCustomer {
    pub id: String,
    /// The partner's account.
    pub account_id: String,
    pub invitation_id: String,
    pub company_name: String,
    pub country: String,
    pub tenant_domain: String,
    pub admin_email: String,
    pub locale: String,
    pub relationship: String,
    pub since: u64,
}

impl std::fmt::Debug for StoredCustomer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCustomer")
            .field("id", &self.id)
            .field("tenant_domain", &self.tenant_domain)
            .finish_non_exhaustive()
    }
}

/// An invitation to keep: the partner's answers (trimmed and valid), who
/// made it, its id and the hash of its token.
pub struct InvitationToKeep {
    pub id: String,
    /// The customer's page its link opens.
    pub link_base: String,
    pub account_id: String,
    pub created_by: String,
    pub token_hash: String,
    pub invitation: NewInvitation,
}

/// What asking the product to email an invitation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationEmailed {
    /// Queued now, or earlier (an invitation is emailed once).
    Emailed(Box<StoredInvitation>),
    /// The partner gave no address for it.
    NoAddress,
    /// The token is not the invitation's.
    WrongToken,
    /// Accepted, declined, expired or withdrawn.
    NotOpen,
    /// The account emailed as many invitations as it may in a day.
    DayFull { retry_after_secs: u64 },
}

/// The invitation's email, made by the caller from the invitation (its
/// link's page) and the partner's token.
pub type InvitationMail = Box<dyn FnOnce(&StoredInvitation) -> NewEmail + Send>;

/// What the customer's acceptance did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// Accepted: the customer, and the invitation as it now stands.
    Customer(StoredInvitation),
    /// Refused by the resale rule (or the tenant is a customer of the
    /// partner already): the problems, on their fields.
    Refused(Vec<Problem>),
    /// The address was not proven yet.
    Unproven,
    NotOpen,
}

/// The emails an acceptance queues, made by the caller: to each admin
/// agent (`to`) of the partner (its application), about this customer.
pub type AcceptedEmail = fn(&Record, &str, &StoredCustomer, u64) -> NewEmail;

const INVITATION_COLUMNS: &str =
    "id, account_id, company_name, admin_email, locale, link_base, status, \
     created_at, expires_at, emailed_at, answered_at, proven_email";

type InvitationRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

fn stored(row: InvitationRow, now: u64) -> Result<StoredInvitation, StoreError> {
    let (
        id,
        account_id,
        company_name,
        admin_email,
        locale,
        link_base,
        status,
        created,
        expires,
        emailed,
        answered,
        proven,
    ) = row;
    let status = InvitationStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("invitation {id}: status {status}")))?;
    let expires_at = unsecs(expires);
    Ok(StoredInvitation {
        status: status.at(now, expires_at),
        id,
        account_id,
        company_name,
        admin_email,
        locale,
        link_base,
        created_at: unsecs(created),
        expires_at,
        emailed_at: emailed.map(unsecs),
        answered_at: answered.map(unsecs),
        proven_email: proven,
    })
}

async fn invitation_where(
    conn: &mut Conn<'_>,
    condition: &str,
    value: &str,
    now: u64,
) -> Result<Option<StoredInvitation>, StoreError> {
    let sql =
        format!("SELECT {INVITATION_COLUMNS} FROM customer_invitations WHERE {condition} = $1");
    let row: Option<InvitationRow> =
        on!(conn, c => sqlx::query_as(&sql).bind(value).fetch_optional(c).await)?;
    row.map(|row| stored(row, now)).transpose()
}

async fn invitation_by_id(
    conn: &mut Conn<'_>,
    id: &str,
    now: u64,
) -> Result<StoredInvitation, StoreError> {
    invitation_where(conn, "id", id, now)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("invitation {id} is gone")))
}

/// Sets the status of invitation `id` if it is still open at `now`:
/// whether it was.
async fn close_invitation(
    conn: &mut Conn<'_>,
    id: &str,
    status: InvitationStatus,
    now: u64,
) -> Result<bool, StoreError> {
    let done = execute!(conn, c => sqlx::query(
        "UPDATE customer_invitations SET status = $1, answered_at = $2
         WHERE id = $3 AND status = $4 AND expires_at > $2",
    )
    .bind(status.as_str())
    .bind(secs(now))
    .bind(id)
    .bind(InvitationStatus::Sent.as_str()))?;
    Ok(done == 1)
}

/// Every approved partner's tenants, from the answers of the application
/// its account was made from.
async fn approved_partners(conn: &mut Conn<'_>) -> Result<Vec<PartnerTenants>, StoreError> {
    let rows: Vec<(String, String)> = on!(conn, c => sqlx::query_as(
        "SELECT ac.id, a.answers FROM accounts ac
         JOIN applications a ON a.id = ac.application_id
         WHERE a.status = $1",
    )
    .bind(ApplicationStatus::Approved.as_str())
    .fetch_all(c)
    .await)?;
    rows.into_iter()
        .map(|(account, answers)| {
            let answers: Answers = serde_json::from_str(&answers)
                .map_err(|e| StoreError::Corrupt(format!("answers of account {account}: {e}")))?;
            Ok(PartnerTenants::of(&account, &answers))
        })
        .collect()
}

const CUSTOMER_COLUMNS: &str =
    "id, account_id, invitation_id, company_name, country, tenant_domain, \
     admin_email, locale, relationship, since";

type CustomerRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

fn customer(row: CustomerRow) -> StoredCustomer {
    let (
        id,
        account_id,
        invitation_id,
        company_name,
        country,
        tenant_domain,
        admin_email,
        locale,
        relationship,
        since,
    ) = row;
    StoredCustomer {
        id,
        account_id,
        invitation_id,
        company_name,
        country,
        tenant_domain,
        admin_email,
        locale,
        relationship,
        since: unsecs(since),
    }
}

/// The customer `id`.
pub(super) async fn customer_by_id(
    conn: &mut Conn<'_>,
    id: &str,
) -> Result<StoredCustomer, StoreError> {
    customer_where(conn, "id", id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("customer {id} is gone")))
}

/// The customer whose `column` (our own constant: `id`, `invitation_id`)
/// is `value`.
async fn customer_where(
    conn: &mut Conn<'_>,
    column: &str,
    value: &str,
) -> Result<Option<StoredCustomer>, StoreError> {
    let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {column} = $1");
    let row: Option<CustomerRow> =
        on!(conn, c => sqlx::query_as(&sql).bind(value).fetch_optional(c).await)?;
    Ok(row.map(customer))
}

impl Store {
    /// Keeps a new invitation, sent (its link given), open until `now`
    /// plus 30 days.
    pub async fn create_invitation(
        &self,
        new: InvitationToKeep,
        now: u64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            Box::pin(async move {
                let InvitationToKeep {
                    id,
                    link_base,
                    account_id,
                    created_by,
                    token_hash,
                    invitation,
                } = new;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO customer_invitations (id, account_id, token_hash, expires_at,
                         company_name, admin_email, locale, link_base, status, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(&id)
                .bind(&account_id)
                .bind(&token_hash)
                .bind(secs(now + enroll_core::customer::limits::INVITATION_SECS))
                .bind(&invitation.company_name)
                .bind(&invitation.admin_email)
                .bind(&invitation.locale)
                .bind(&link_base)
                .bind(InvitationStatus::Sent.as_str())
                .bind(&created_by)
                .bind(secs(now)))?;
                Ok(())
            })
        })
        .await
    }

    /// The invitations of the account `account_id`, newest first.
    pub async fn invitations(&self, account_id: &str) -> Result<Vec<StoredInvitation>, StoreError> {
        let mut conn = self.acquire().await?;
        let sql = format!(
            "SELECT {INVITATION_COLUMNS} FROM customer_invitations WHERE account_id = $1
             ORDER BY created_at DESC, id"
        );
        let rows: Vec<InvitationRow> =
            on!(conn, c => sqlx::query_as(&sql).bind(account_id).fetch_all(c).await)?;
        let now = self.now();
        rows.into_iter().map(|row| stored(row, now)).collect()
    }

    /// The invitation `id` if it is the account's.
    pub async fn invitation_of(
        &self,
        account_id: &str,
        id: &str,
    ) -> Result<Option<StoredInvitation>, StoreError> {
        let mut conn = self.acquire().await?;
        let now = self.now();
        Ok(invitation_where(&mut conn.engine(), "id", id, now)
            .await?
            .filter(|i| i.account_id == account_id))
    }

    /// The invitation `token_hash` opens (at any status: its page says
    /// where it stands).
    pub async fn invitation_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredInvitation>, StoreError> {
        let mut conn = self.acquire().await?;
        let now = self.now();
        invitation_where(&mut conn.engine(), "token_hash", token_hash, now).await
    }

    /// The invitation `id`, as it stands now.
    pub async fn invitation_by_id(&self, id: &str) -> Result<Option<StoredInvitation>, StoreError> {
        let mut conn = self.acquire().await?;
        let now = self.now();
        invitation_where(&mut conn.engine(), "id", id, now).await
    }

    pub async fn invitation_exists(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.acquire().await?;
        Ok(on!(conn, c => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM customer_invitations WHERE id = $1)"
        )
        .bind(id)
        .fetch_one(c)
        .await)?)
    }

    /// Withdraws the account's invitation `id` if still open: whether it
    /// was, and the invitation as it then stands; `None` if the account
    /// has no such invitation.
    pub async fn withdraw_invitation(
        &self,
        account_id: &str,
        id: &str,
        now: u64,
    ) -> Result<Option<(bool, StoredInvitation)>, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                match invitation_where(tx, "id", &id, now).await? {
                    Some(found) if found.account_id == account_id => {
                        let withdrawn =
                            close_invitation(tx, &id, InvitationStatus::Withdrawn, now).await?;
                        Ok(Some((withdrawn, invitation_by_id(tx, &id, now).await?)))
                    }
                    _ => Ok(None),
                }
            })
        })
        .await
    }

    /// Queues `email` (the invitation, with its link) to the address the
    /// partner gave, once: asked again, it answers as before and queues
    /// nothing. `token_hash` must be the invitation's (the link needs the
    /// token, which only the partner holds). At most `per_day` an account
    /// in the day before `now`.
    pub async fn email_invitation(
        &self,
        (account_id, id): (&str, &str),
        token_hash: String,
        now: u64,
        per_day: u32,
        email: InvitationMail,
    ) -> Result<Option<InvitationEmailed>, StoreError> {
        let (account_id, id) = (account_id.to_owned(), id.to_owned());
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let found = match invitation_where(tx, "id", &id, now).await? {
                    Some(found) if found.account_id == account_id => found,
                    _ => return Ok(None),
                };
                let hash: String = on!(tx, c => sqlx::query_scalar(
                    "SELECT token_hash FROM customer_invitations WHERE id = $1"
                )
                .bind(&id)
                .fetch_one(c)
                .await)?;
                // Hashes compared, as every token lookup here does: a
                // guess learns nothing from how long the comparison took.
                if hash != token_hash {
                    return Ok(Some(InvitationEmailed::WrongToken));
                }
                if found.emailed_at.is_some() {
                    return Ok(Some(InvitationEmailed::Emailed(Box::new(found))));
                }
                if !found.status.is_open() {
                    return Ok(Some(InvitationEmailed::NotOpen));
                }
                if found.admin_email.is_empty() {
                    return Ok(Some(InvitationEmailed::NoAddress));
                }
                let day_ago = secs(now.saturating_sub(86_400));
                let (emailed, oldest): (i64, Option<i64>) = on!(tx, c => sqlx::query_as(
                    "SELECT COUNT(*), MIN(emailed_at) FROM customer_invitations
                     WHERE account_id = $1 AND emailed_at > $2",
                )
                .bind(&account_id)
                .bind(day_ago)
                .fetch_one(c)
                .await)?;
                if emailed >= i64::from(per_day) {
                    let free_at = unsecs(oldest.unwrap_or(day_ago)) + 86_400;
                    return Ok(Some(InvitationEmailed::DayFull {
                        retry_after_secs: free_at.saturating_sub(now).max(1),
                    }));
                }
                insert_email(tx, &email(&found)).await?;
                execute!(tx, c => sqlx::query(
                    "UPDATE customer_invitations SET emailed_at = $1 WHERE id = $2"
                )
                .bind(secs(now))
                .bind(&id))?;
                Ok(Some(InvitationEmailed::Emailed(Box::new(
                    invitation_by_id(tx, &id, now).await?,
                ))))
            })
        })
        .await
    }

    /// Records a new code for invitation `id` (replacing its earlier one),
    /// for the address `message` goes to, and queues `message`; refused
    /// when three were sent for the invitation, or `per_recipient` to the
    /// inbox, in the hour before `now`. `None` when the invitation is no
    /// longer open or its address is proven already.
    pub async fn send_invitation_code(
        &self,
        id: &str,
        code_hash: String,
        now: u64,
        per_recipient: u32,
        message: NewEmail,
    ) -> Result<Option<CodeSent>, StoreError> {
        let id = id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let found = invitation_by_id(tx, &id, now).await?;
                if !found.status.is_open() || found.proven_email.is_some() {
                    return Ok(None);
                }
                let inbox = mailbox(&message.to);
                let per_invitation = code_limits::EMAIL_CODE_SENDS_PER_HOUR;
                for (column, value, limit) in [
                    ("invitation_id", &id, per_invitation),
                    ("mailbox", &inbox, per_recipient),
                ] {
                    let sends = ("customer_invitation_code_sends", column, value.as_str());
                    if let Some(wait) = sends_full(tx, sends, limit, now).await? {
                        return Ok(Some(wait));
                    }
                }
                execute!(tx, c => sqlx::query(
                    "INSERT INTO customer_invitation_codes (invitation_id, email, code_hash,
                         expires_at, tries_left)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (invitation_id) DO UPDATE SET email = excluded.email,
                         code_hash = excluded.code_hash, expires_at = excluded.expires_at,
                         tries_left = excluded.tries_left",
                )
                .bind(&id)
                .bind(&message.to)
                .bind(&code_hash)
                .bind(secs(now + code_limits::EMAIL_CODE_SECS))
                .bind(i64::from(code_limits::EMAIL_CODE_TRIES)))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO customer_invitation_code_sends (invitation_id, mailbox, sent_at)
                     VALUES ($1, $2, $3)"
                )
                .bind(&id)
                .bind(&inbox)
                .bind(secs(now)))?;
                insert_email(tx, &message).await?;
                Ok(Some(CodeSent::Sent))
            })
        })
        .await
    }

    /// Checks a typed code (its hashes under each key in use) for
    /// invitation `id`. Right, the address the code went to is proven.
    /// `None` when the invitation is no longer open; proven already, it
    /// answers `Confirmed` again and changes nothing.
    pub async fn prove_invitation(
        &self,
        id: &str,
        code_hashes: Vec<String>,
        now: u64,
    ) -> Result<Option<CodeCheck>, StoreError> {
        let id = id.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let found = invitation_by_id(tx, &id, now).await?;
                if found.proven_email.is_some() {
                    return Ok(Some(CodeCheck::Confirmed));
                }
                if !found.status.is_open() {
                    return Ok(None);
                }
                let row: Option<(String, String, i64, i64)> = on!(tx, c => sqlx::query_as(
                    "SELECT email, code_hash, expires_at, tries_left FROM customer_invitation_codes
                     WHERE invitation_id = $1",
                )
                .bind(&id)
                .fetch_optional(c)
                .await)?;
                let Some((email, expected, expires_at, tries_left)) = row else {
                    return Ok(Some(CodeCheck::Expired));
                };
                let check = judge(&expected, expires_at, tries_left, &code_hashes, now);
                match check {
                    CodeCheck::Confirmed => {
                        execute!(tx, c => sqlx::query(
                            "DELETE FROM customer_invitation_codes WHERE invitation_id = $1"
                        )
                        .bind(&id))?;
                        execute!(tx, c => sqlx::query(
                            "UPDATE customer_invitations SET proven_email = $1 WHERE id = $2"
                        )
                        .bind(&email)
                        .bind(&id))?;
                    }
                    CodeCheck::Wrong { .. } => {
                        execute!(tx, c => sqlx::query(
                            "UPDATE customer_invitation_codes SET tries_left = tries_left - 1
                             WHERE invitation_id = $1",
                        )
                        .bind(&id))?;
                    }
                    CodeCheck::Expired => {}
                }
                Ok(Some(check))
            })
        })
        .await
    }

    /// The customer's answer to invitation `id` (trimmed and valid),
    /// checked against the resale rule with every approved partner's
    /// tenants as they stand in this transaction. Accepted, the customer
    /// is kept with an active reseller relationship, the invitation is
    /// accepted, and `email` is queued to each of the partner's admin
    /// agents (its global admins when it has none).
    pub async fn accept_invitation(
        &self,
        id: &str,
        customer_id: String,
        acceptance: InvitationAcceptance,
        now: u64,
        email: AcceptedEmail,
    ) -> Result<Accepted, StoreError> {
        let id = id.to_owned();
        self.write_queuing(move |tx| {
            Box::pin(async move {
                let found = invitation_by_id(tx, &id, now).await?;
                if !found.status.is_open() {
                    return Ok(Accepted::NotOpen);
                }
                let Some(admin_email) = found.proven_email.clone() else {
                    return Ok(Accepted::Unproven);
                };
                let partners = approved_partners(tx).await?;
                let inviter = partners
                    .iter()
                    .find(|p| p.account_id == found.account_id)
                    .cloned()
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "the partner of invitation {id} is not approved"
                        ))
                    })?;
                let customers: Vec<String> = on!(tx, c => sqlx::query_scalar(
                    "SELECT tenant_domain FROM customers WHERE account_id = $1"
                )
                .bind(&found.account_id)
                .fetch_all(c)
                .await)?;
                let refusals = resale_refusals(&acceptance, &inviter, &partners, &customers);
                if !refusals.is_empty() {
                    return Ok(Accepted::Refused(refusals));
                }
                let customer = StoredCustomer {
                    id: customer_id,
                    account_id: found.account_id.clone(),
                    invitation_id: id.clone(),
                    company_name: acceptance.company_name,
                    country: acceptance.country,
                    tenant_domain: acceptance.tenant_domain,
                    admin_email,
                    locale: found.locale.clone(),
                    relationship: "active".to_owned(),
                    since: now,
                };
                execute!(tx, c => sqlx::query(
                    "INSERT INTO customers (id, account_id, invitation_id, company_name, country,
                         tenant_domain, admin_email, locale, relationship, since)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&customer.id)
                .bind(&found.account_id)
                .bind(&customer.invitation_id)
                .bind(&customer.company_name)
                .bind(&customer.country)
                .bind(&customer.tenant_domain)
                .bind(&customer.admin_email)
                .bind(&customer.locale)
                .bind(&customer.relationship)
                .bind(secs(now)))?;
                // Read open above, in this write: closed here, or nothing
                // is kept (the transaction rolls back on the error).
                if !close_invitation(tx, &id, InvitationStatus::Accepted, now).await? {
                    return Err(StoreError::Interrupted(format!(
                        "invitation {id} was answered meanwhile"
                    )));
                }
                let partner = partner_record(tx, &found.account_id).await?;
                for to in role_recipients(tx, &found.account_id, Role::AdminAgent).await? {
                    insert_email(tx, &email(&partner, &to, &customer, now)).await?;
                }
                Ok(Accepted::Customer(invitation_by_id(tx, &id, now).await?))
            })
        })
        .await
    }

    /// Declines invitation `id` for its customer: like `accept_invitation`,
    /// only once the address is proven and while open.
    pub async fn decline_invitation(&self, id: &str, now: u64) -> Result<Accepted, StoreError> {
        let id = id.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let found = invitation_by_id(tx, &id, now).await?;
                if found.proven_email.is_none() && found.status.is_open() {
                    return Ok(Accepted::Unproven);
                }
                if !close_invitation(tx, &id, InvitationStatus::Declined, now).await? {
                    return Ok(Accepted::NotOpen);
                }
                Ok(Accepted::Customer(invitation_by_id(tx, &id, now).await?))
            })
        })
        .await
    }

    /// The customer invitation `id` made, if it was accepted.
    pub async fn customer_of_invitation(
        &self,
        invitation_id: &str,
    ) -> Result<Option<StoredCustomer>, StoreError> {
        let mut conn = self.acquire().await?;
        customer_where(&mut conn.engine(), "invitation_id", invitation_id).await
    }

    /// The customer `id`, if there is one.
    pub async fn customer(&self, id: &str) -> Result<Option<StoredCustomer>, StoreError> {
        let mut conn = self.acquire().await?;
        customer_where(&mut conn.engine(), "id", id).await
    }

    /// The customers of the account `account_id`, by company name.
    pub async fn customers(&self, account_id: &str) -> Result<Vec<StoredCustomer>, StoreError> {
        let mut conn = self.acquire().await?;
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE account_id = $1");
        let rows: Vec<CustomerRow> =
            on!(conn, c => sqlx::query_as(&sql).bind(account_id).fetch_all(c).await)?;
        let mut customers: Vec<StoredCustomer> = rows.into_iter().map(customer).collect();
        // Sorted here: SQLite's LOWER knows only ASCII, PostgreSQL's
        // order is its collation's; one order on both.
        customers.sort_by_cached_key(|c| (c.company_name.to_lowercase(), c.id.clone()));
        Ok(customers)
    }

    /// The partner of the account `account_id`, as an invited customer
    /// sees it: its application's record and its business profile's
    /// website and logo file, if it has a profile.
    pub async fn inviting_partner(
        &self,
        account_id: &str,
    ) -> Result<(Record, String, Option<String>), StoreError> {
        let mut conn = self.acquire().await?;
        let record = partner_record(&mut conn.engine(), account_id).await?;
        let profile: Option<(String, Option<String>)> = on!(conn, c => sqlx::query_as(
            "SELECT body, logo FROM business_profiles WHERE account_id = $1"
        )
        .bind(account_id)
        .fetch_optional(c)
        .await)?;
        let (website, logo) = match profile {
            Some((body, logo)) => (
                serde_json::from_str::<enroll_core::business_profile::BusinessProfile>(&body)
                    .map(|p| p.website)
                    .unwrap_or_default(),
                logo,
            ),
            None => (String::new(), None),
        };
        Ok((record, website, logo))
    }
}
