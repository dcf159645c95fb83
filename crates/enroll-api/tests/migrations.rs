//! The migrations' own data steps, run on a database as it stood before
//! them, with the rows an older server would have left.

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::Row;

/// The migration files, in order: (version, SQL).
fn migrations() -> Vec<(u32, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut files: Vec<(u32, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let version = name.split('_').next().unwrap().parse().unwrap();
            (version, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A new database brought up to (not including) migration `version`, and
/// the migrations after it, to run once the test has written its rows.
async fn database_before(
    version: u32,
) -> (tempfile::TempDir, sqlx::SqlitePool, Vec<(u32, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let (before, after): (Vec<_>, Vec<_>) =
        migrations().into_iter().partition(|(v, _)| *v < version);
    for (_, sql) in before {
        sqlx::raw_sql(&sql).execute(&pool).await.unwrap();
    }
    (dir, pool, after)
}

/// Accounts made before domains existed get the domain of the admin
/// address their application proved, whoever their users are now (the
/// first admin may have been removed, and an invited user may be in any
/// domain); an account whose application has no proof gets none.
#[tokio::test]
async fn accounts_made_before_domains_get_their_proven_admin_domain() {
    let (_dir, pool, after) = database_before(9).await;
    sqlx::raw_sql(
        "INSERT INTO applications (id, token_hash, token_expires_at, status, locale, answers,
                                   mpn_id, admin_email_confirmed)
         VALUES ('app1', 't1', '2030-01-01', 'approved', 'en-US', '{}', '1234567', 'jane.doe@contoso.com'),
                ('app2', 't2', '2030-01-01', 'approved', 'en-US', '{}', '7654321', NULL);
         INSERT INTO accounts (id, application_id, created_at) VALUES ('acc1', 'app1', 100), ('acc2', 'app2', 100);
         -- Account 1's first admin was removed; its oldest user now is an
         -- invited one at a free-mail address.
         INSERT INTO users (id, account_id, email, login, first_name, last_name, roles,
                            password_hash, password_temporary, created_at)
         VALUES ('u1', 'acc1', 'sam@gmail.com', 'sam@gmail.com', 'Sam', 'Lee', '[\"sales_agent\"]', 'x', 1, 200),
                ('u2', 'acc2', 'kim@fabrikam.com', 'kim@fabrikam.com', 'Kim', 'Ito', '[\"global_admin\"]', 'x', 0, 100);",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (_, sql) in after {
        sqlx::raw_sql(&sql).execute(&pool).await.unwrap();
    }
    let rows = sqlx::query(
        "SELECT account_id, domain, proven_by FROM account_domains ORDER BY account_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let domains: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r.get("account_id"), r.get("domain"), r.get("proven_by")))
        .collect();
    assert_eq!(
        domains,
        [(
            "acc1".to_owned(),
            "contoso.com".to_owned(),
            "jane.doe@contoso.com".to_owned()
        )]
    );
}

/// After the migrations the database has no clock of its own: no table
/// takes a time from SQLite's `now`, rows written before stay as they
/// were, and the database still checks whole.
#[tokio::test]
async fn the_database_keeps_no_clock_of_its_own() {
    let (_dir, pool, after) = database_before(14).await;
    sqlx::raw_sql(
        "INSERT INTO applications (id, token_hash, token_expires_at, locale, answers)
         VALUES ('app1', 't1', '2030-01-01T00:00:00Z', 'en-US', '{}');
         INSERT INTO status_history (application_id, status) VALUES ('app1', 'draft');",
    )
    .execute(&pool)
    .await
    .unwrap();
    let stamped: (String, String) =
        sqlx::query_as("SELECT created_at, updated_at FROM applications WHERE id = 'app1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    for (_, sql) in after {
        sqlx::raw_sql(&sql).execute(&pool).await.unwrap();
    }
    let clocked: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE sql LIKE '%strftime%' OR sql LIKE '%''now''%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(clocked.is_empty(), "{clocked:?}");
    let kept: (String, String) =
        sqlx::query_as("SELECT created_at, updated_at FROM applications WHERE id = 'app1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(kept, stamped);
    // A time not given is refused, not taken from the database's clock.
    let untimed = sqlx::raw_sql(
        "INSERT INTO status_history (application_id, status) VALUES ('app1', 'submitted')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(untimed.to_string().contains("NOT NULL"), "{untimed}");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}
