//! `enroll-api copy`: a whole database moved to another, of either engine
//! (a program that started on SQLite moving to PostgreSQL), every row of
//! every table, in one transaction on the target, refused when the target
//! holds anything already. The tables and their columns are listed here
//! with the type each is read and written as; both databases' schemas are
//! compared with the list first, so a table or column added later and not
//! listed stops the copy instead of being left behind.

use sqlx::Row;

use super::{Conn, Param, Store, StoreError};

/// How a column is read from one engine and written to the other.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Int,
    Flag,
    Real,
    /// A JSON array: text on SQLite, JSONB on PostgreSQL.
    Json,
    /// A BLOB on SQLite, BYTEA on PostgreSQL.
    Bytes,
}

use Kind::{Bytes, Flag, Int, Real, Text};

/// A table and its columns, parents before the tables that refer to them.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// A column PostgreSQL numbers itself (its sequence is moved past the
    /// copied rows).
    identity: Option<&'static str>,
}

impl Table {
    /// Its columns' names, in order.
    fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(name, _)| *name).collect()
    }
}

const fn table(name: &'static str, columns: &'static [(&'static str, Kind)]) -> Table {
    Table {
        name,
        columns,
        identity: None,
    }
}

const fn numbered(name: &'static str, columns: &'static [(&'static str, Kind)]) -> Table {
    Table {
        name,
        columns,
        identity: Some("id"),
    }
}

const TABLES: &[Table] = &[
    table(
        "program_settings",
        &[
            ("id", Int),
            ("program_name", Text),
            ("direct_enrollment_open", Flag),
            ("direct_enrollment_note", Text),
            ("supported_countries", Text),
            ("join_mpn_url", Text),
            ("updated_at", Text),
        ],
    ),
    table("program_names", &[("locale", Text), ("name", Text)]),
    table(
        "applications",
        &[
            ("id", Text),
            ("token_hash", Text),
            ("token_expires_at", Text),
            ("status", Text),
            ("locale", Text),
            ("answers", Text),
            ("mpn_id", Text),
            ("version", Int),
            ("created_at", Text),
            ("updated_at", Text),
            ("admin_email_confirmed", Text),
        ],
    ),
    numbered(
        "status_history",
        &[
            ("id", Int),
            ("application_id", Text),
            ("status", Text),
            ("reason", Text),
            ("at", Text),
        ],
    ),
    table(
        "submit_answers",
        &[
            ("application_id", Text),
            ("idempotency_key", Text),
            ("status_code", Int),
            ("body", Text),
        ],
    ),
    table(
        "mpn_directory",
        &[("mpn_id", Text), ("company_name", Text), ("country", Text)],
    ),
    table("providers", &[("id", Text), ("body", Text)]),
    numbered(
        "provider_requests",
        &[
            ("id", Int),
            ("application_id", Text),
            ("provider_id", Text),
            ("status", Text),
            ("message", Text),
            ("created_at", Text),
        ],
    ),
    table(
        "email_codes",
        &[
            ("application_id", Text),
            ("email", Text),
            ("code_hash", Text),
            ("expires_at", Int),
            ("tries_left", Int),
            ("purpose", Text),
        ],
    ),
    table(
        "email_code_sends",
        &[("application_id", Text), ("email", Text), ("sent_at", Int)],
    ),
    table(
        "accounts",
        &[("id", Text), ("application_id", Text), ("created_at", Int)],
    ),
    table(
        "users",
        &[
            ("id", Text),
            ("account_id", Text),
            ("email", Text),
            ("login", Text),
            ("first_name", Text),
            ("last_name", Text),
            ("roles", Kind::Json),
            ("password_hash", Text),
            ("password_temporary", Flag),
            ("password_expires_at", Int),
            ("totp_secret", Text),
            ("totp_offered", Text),
            ("totp_last_step", Int),
            ("created_at", Int),
            ("seq", Int),
        ],
    ),
    table(
        "recovery_codes",
        &[("user_id", Text), ("code_hash", Text), ("used_at", Int)],
    ),
    table(
        "sessions",
        &[
            ("token_hash", Text),
            ("user_id", Text),
            ("created_at", Int),
            ("last_seen_at", Int),
            ("mfa_passed", Flag),
        ],
    ),
    numbered(
        "sign_in_failures",
        &[("id", Int), ("scope", Text), ("at", Int)],
    ),
    table(
        "sign_in_locks",
        &[("scope", Text), ("until", Int), ("notified_at", Int)],
    ),
    table(
        "organization_profiles",
        &[("account_id", Text), ("version", Int), ("body", Text)],
    ),
    table(
        "account_domains",
        &[
            ("account_id", Text),
            ("domain", Text),
            ("proven_by", Text),
            ("proven_at", Int),
            ("seq", Int),
        ],
    ),
    table(
        "logos",
        &[
            ("hash", Text),
            ("content_type", Text),
            ("bytes", Bytes),
            ("created_at", Int),
        ],
    ),
    table(
        "business_profiles",
        &[
            ("account_id", Text),
            ("version", Int),
            ("body", Text),
            ("published", Flag),
            ("logo", Text),
            ("updated_at", Int),
            ("first_published_at", Int),
        ],
    ),
    table(
        "partner_requests",
        &[
            ("id", Text),
            ("token_hash", Text),
            ("token_expires_at", Int),
            ("locale", Text),
            ("needs", Text),
            ("contact_name", Text),
            ("contact_email", Text),
            ("contact_phone", Text),
            ("contact_mailbox", Text),
            ("status", Text),
            ("created_at", Int),
            ("proven_at", Int),
        ],
    ),
    table(
        "partner_request_codes",
        &[
            ("request_id", Text),
            ("code_hash", Text),
            ("expires_at", Int),
            ("tries_left", Int),
        ],
    ),
    table(
        "partner_request_code_sends",
        &[("request_id", Text), ("mailbox", Text), ("sent_at", Int)],
    ),
    table(
        "referrals",
        &[
            ("id", Text),
            ("request_id", Text),
            ("account_id", Text),
            ("round", Int),
            ("reasons", Text),
            ("status", Text),
            ("received_at", Int),
            ("expires_at", Int),
            ("answered_at", Int),
            ("closed_at", Int),
            ("deal_name", Text),
            ("estimated_value", Text),
            ("currency", Text),
            ("notes", Text),
            ("decline_reason", Text),
            ("notified_at", Int),
        ],
    ),
    table(
        "customer_invitations",
        &[
            ("id", Text),
            ("account_id", Text),
            ("token_hash", Text),
            ("expires_at", Int),
            ("company_name", Text),
            ("admin_email", Text),
            ("locale", Text),
            ("link_base", Text),
            ("status", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("emailed_at", Int),
            ("answered_at", Int),
            ("proven_email", Text),
        ],
    ),
    table(
        "customer_invitation_codes",
        &[
            ("invitation_id", Text),
            ("email", Text),
            ("code_hash", Text),
            ("expires_at", Int),
            ("tries_left", Int),
        ],
    ),
    table(
        "customer_invitation_code_sends",
        &[("invitation_id", Text), ("mailbox", Text), ("sent_at", Int)],
    ),
    table(
        "customers",
        &[
            ("id", Text),
            ("account_id", Text),
            ("invitation_id", Text),
            ("company_name", Text),
            ("country", Text),
            ("tenant_domain", Text),
            ("admin_email", Text),
            ("locale", Text),
            ("relationship", Text),
            ("since", Int),
        ],
    ),
    table(
        "admin_relationships",
        &[
            ("id", Text),
            ("account_id", Text),
            ("customer_id", Text),
            ("name", Text),
            ("name_key", Text),
            ("duration_days", Int),
            ("roles", Text),
            ("auto_extend", Flag),
            ("status", Text),
            ("token_hash", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("requested_at", Int),
            ("approved_at", Int),
            ("ends_at", Int),
            ("ended_at", Int),
            ("ended_by", Text),
            ("reminded_days", Int),
        ],
    ),
    table(
        "admin_relationship_codes",
        &[
            ("relationship_id", Text),
            ("code_hash", Text),
            ("expires_at", Int),
            ("tries_left", Int),
        ],
    ),
    table(
        "admin_relationship_code_sends",
        &[("relationship_id", Text), ("sent_at", Int)],
    ),
    table(
        "admin_relationship_templates",
        &[
            ("id", Text),
            ("account_id", Text),
            ("name", Text),
            ("name_key", Text),
            ("duration_days", Int),
            ("roles", Text),
            ("auto_extend", Flag),
            ("created_at", Int),
        ],
    ),
    // After the partner requests, invitations and relationships its emails
    // may be about.
    numbered(
        "outbox",
        &[
            ("id", Int),
            ("application_id", Text),
            ("to_address", Text),
            ("subject", Text),
            ("body", Text),
            ("created_at", Text),
            ("kind", Text),
            ("mailbox", Text),
            ("request_key", Text),
            ("locale", Text),
            ("html", Text),
            ("message_id", Text),
            ("priority", Int),
            ("state", Text),
            ("attempts", Int),
            ("queued_at", Int),
            ("next_attempt_at", Int),
            ("expires_at", Int),
            ("claim", Text),
            ("claimed_until", Int),
            ("last_reply", Text),
            ("sent_at", Int),
            ("erased_at", Int),
            ("partner_request_id", Text),
            ("customer_invitation_id", Text),
            ("admin_relationship_id", Text),
        ],
    ),
    table(
        "rate_buckets",
        &[
            ("action", Text),
            ("scope", Text),
            ("tokens", Real),
            ("at", Int),
        ],
    ),
];

/// Tables a new database holds rows in already (its migrations' defaults):
/// replaced by the source's, not a reason to refuse.
const SEEDED: &[&str] = &["program_settings", "program_names"];

/// What a copy moved: (table, rows), in the order copied.
pub type Copied = Vec<(&'static str, usize)>;

/// Why a copy did not start.
#[derive(Debug, thiserror::Error)]
pub enum CopyRefused {
    #[error("the target is not empty ({table}: {rows}): copy into a new, empty database")]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error("the {side} database's {table} does not have the columns copy knows ({found}): is one older or newer than this enroll-api?")]
    SchemaDiffers {
        side: &'static str,
        table: String,
        found: String,
    },
}

impl Store {
    /// Copies every row of this database, as one snapshot of it, into
    /// `target` in one transaction (see the module).
    pub async fn copy_to(&self, target: &Store) -> Result<Result<Copied, CopyRefused>, StoreError> {
        for (side, store) in [("source", self), ("target", target)] {
            if let Err(refused) = store.schema_is_known(side).await? {
                return Ok(Err(refused));
            }
        }
        let rows = self
            .read_snapshot(|tx| Box::pin(async move { read_all(tx).await }))
            .await?;
        // Looked at in the transaction that writes: nothing can slip in
        // between (a second copy, a server started on the target).
        target
            .write(move |tx| {
                Box::pin(async move {
                    if let Some(refused) = holds_anything(tx).await? {
                        return Ok(Err(refused));
                    }
                    Ok(Ok(write_all(tx, rows).await?))
                })
            })
            .await
    }

    /// Whether this database has exactly the tables and columns of
    /// `TABLES` (besides sqlx's own).
    async fn schema_is_known(
        &self,
        side: &'static str,
    ) -> Result<Result<(), CopyRefused>, StoreError> {
        let mut conn = self.acquire().await?;
        let (tables_sql, columns_sql) = if self.is_postgres() {
            (
                "SELECT table_name::TEXT FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
                "SELECT column_name::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
        } else {
            (
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
                "SELECT name FROM pragma_table_info($1)",
            )
        };
        let mut tables: Vec<String> =
            on!(conn, c => sqlx::query_scalar(tables_sql).fetch_all(c).await)?;
        let mut known: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        tables.sort();
        known.sort_unstable();
        if tables != known {
            return Ok(Err(CopyRefused::SchemaDiffers {
                side,
                table: "(its list of tables)".into(),
                found: tables.join(", "),
            }));
        }
        for table in TABLES {
            let mut columns: Vec<String> = on!(conn, c => sqlx::query_scalar(columns_sql)
                .bind(table.name)
                .fetch_all(c)
                .await)?;
            let mut expected = table.names();
            columns.sort();
            expected.sort_unstable();
            if columns != expected {
                return Ok(Err(CopyRefused::SchemaDiffers {
                    side,
                    table: table.name.into(),
                    found: columns.join(", "),
                }));
            }
        }
        Ok(Ok(()))
    }
}

/// Why a database cannot be copied into: the first table it holds rows
/// in (but the tables every new database holds rows in).
async fn holds_anything(tx: &mut Conn<'_>) -> Result<Option<CopyRefused>, StoreError> {
    for table in TABLES.iter().filter(|t| !SEEDED.contains(&t.name)) {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        let rows: i64 = on!(tx, c => sqlx::query_scalar(&sql).fetch_one(c).await)?;
        if rows > 0 {
            return Ok(Some(CopyRefused::TargetNotEmpty {
                table: table.name,
                rows,
            }));
        }
    }
    Ok(None)
}

/// Every row of every table, in `TABLES`' order.
async fn read_all(tx: &mut Conn<'_>) -> Result<Vec<Vec<Vec<Param>>>, StoreError> {
    let mut all = Vec::new();
    for table in TABLES {
        let names = table.names();
        let order = table.identity.unwrap_or(names[0]);
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {order}",
            names.join(", "),
            table.name
        );
        let rows: Vec<Vec<Param>> = on!(tx, c => {
            let rows = sqlx::query(&sql).fetch_all(c).await?;
            rows.iter()
                .map(|row| {
                    table
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(i, (_, kind))| {
                            Ok(match kind {
                                Kind::Text => Param::Text(row.try_get(i)?),
                                Kind::Int => Param::Int(row.try_get(i)?),
                                Kind::Flag => Param::Flag(row.try_get(i)?),
                                Kind::Real => Param::Real(row.try_get(i)?),
                                Kind::Json => Param::Json(row.try_get(i)?),
                                Kind::Bytes => Param::Bytes(row.try_get(i)?),
                            })
                        })
                        .collect::<Result<Vec<Param>, sqlx::Error>>()
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        all.push(rows);
    }
    Ok(all)
}

/// Writes what `read_all` read; PostgreSQL's sequences then continue
/// after the copied ids.
async fn write_all(tx: &mut Conn<'_>, all: Vec<Vec<Vec<Param>>>) -> Result<Copied, StoreError> {
    for seeded in SEEDED.iter().rev() {
        let sql = format!("DELETE FROM {seeded}");
        execute!(tx, c => sqlx::query(&sql))?;
    }
    let mut copied = Vec::new();
    for (table, rows) in TABLES.iter().zip(all) {
        let names = table.names();
        let params: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            names.join(", "),
            params.join(", ")
        );
        let count = rows.len();
        for row in rows {
            execute!(tx, c => bind_all!(sqlx::query(&sql), row))?;
        }
        if let (true, Some(id)) = (tx.is_postgres(), table.identity) {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{name}', '{id}'),
                               (SELECT COALESCE(MAX({id}), 0) + 1 FROM {name}), false)",
                name = table.name
            );
            execute!(tx, c => sqlx::query(&sql))?;
        }
        copied.push((table.name, count));
    }
    Ok(copied)
}
