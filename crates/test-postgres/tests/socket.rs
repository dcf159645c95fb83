//! The server is reachable through its Unix socket only, by the users who
//! may (root, the server's own), and the URLs given out work in the
//! clients the workspace uses: sqlx, and libpq's tools (`pg_dump`).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sqlx::postgres::PgPoolOptions;
use sqlx::Connection;
use test_postgres::{fresh_database, query, server_directory};

/// PostgreSQL's client programs, where `pg_config` says they are.
fn program(name: &str) -> PathBuf {
    let output = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .expect("pg_config");
    assert!(output.status.success(), "pg_config --bindir failed");
    Path::new(String::from_utf8_lossy(&output.stdout).trim()).join(name)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The socket file the URL's `host` directory and port name.
fn socket_of(url: &str) -> PathBuf {
    let port = url
        .split_once("@localhost:")
        .and_then(|(_, rest)| rest.split('/').next())
        .expect("a port in the URL");
    server_directory().join(format!(".s.PGSQL.{port}"))
}

/// The ids of an OS user, if it exists.
fn user_ids(name: &std::ffi::CStr) -> Option<(u32, u32)> {
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buffer = vec![0 as libc::c_char; 16 * 1024];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and the buffer's length
    // is its real length.
    let status = unsafe {
        libc::getpwnam_r(
            name.as_ptr(),
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    (status == 0 && !found.is_null()).then_some((entry.pw_uid, entry.pw_gid))
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[tokio::test]
async fn sqlx_opens_a_pool_with_the_url() {
    let url = fresh_database().await;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("sqlx cannot open {url}: {e}"));
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&pool)
        .await
        .expect("SELECT 1");
    assert_eq!(one, 1);
    // Over the socket: a Unix-socket session has no client address.
    let address: Option<String> = sqlx::query_scalar("SELECT inet_client_addr()::text")
        .fetch_one(&pool)
        .await
        .expect("inet_client_addr()");
    assert_eq!(address, None);
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&pool)
        .await
        .expect("current_database()");
    assert!(url.contains(&format!("/{database}?")), "{url}");
    pool.close().await;
    // A single connection too (sqlx parses the URL the same way).
    let mut connection = sqlx::PgConnection::connect(&url).await.expect("connect");
    connection.ping().await.expect("ping");
    connection.close().await.expect("close");
}

#[tokio::test]
async fn pg_dump_reads_the_url() {
    let url = fresh_database().await;
    query(&url, "CREATE TABLE dumped_here (id bigint PRIMARY KEY)").expect("a table");
    let dump = Command::new(program("pg_dump"))
        .args(["--schema-only", "--dbname", &url])
        .output()
        .expect("pg_dump runs");
    assert!(dump.status.success(), "pg_dump {url}: {}", text(&dump));
    let dumped = String::from_utf8_lossy(&dump.stdout);
    assert!(
        dumped.contains("CREATE TABLE public.dumped_here"),
        "{dumped}"
    );
}

#[tokio::test]
async fn no_tcp_and_a_private_socket() {
    let url = fresh_database().await;
    let settings = query(
        &url,
        "SELECT current_setting('listen_addresses'), current_setting('unix_socket_permissions')",
    )
    .expect("settings");
    assert_eq!(
        settings,
        vec![vec![Some(String::new()), Some("0700".to_owned())]]
    );
    // TCP is refused by pg_hba.conf too, should it ever be turned on.
    let rules = query(
        &url,
        "SELECT type, auth_method FROM pg_hba_file_rules ORDER BY line_number",
    )
    .expect("pg_hba rules");
    for rule in &rules {
        match rule.as_slice() {
            [Some(kind), Some(method)] if kind == "local" => assert_eq!(method, "trust"),
            [Some(_), Some(method)] => assert_eq!(method, "reject", "{rules:?}"),
            other => panic!("a rule {other:?}"),
        }
    }

    let server_user = if running_as_root() {
        user_ids(c"postgres").expect("a postgres user").0
    } else {
        // SAFETY: as in running_as_root.
        unsafe { libc::geteuid() }
    };
    let dir = std::fs::metadata(server_directory()).expect("the directory");
    let mode =
        |metadata: &std::fs::Metadata| format!("{:o}", metadata.permissions().mode() & 0o7777);
    assert_eq!(mode(&dir), "700", "the directory's mode");
    assert_eq!(dir.uid(), server_user);
    let socket = std::fs::metadata(socket_of(&url)).expect("the socket file");
    assert_eq!(mode(&socket), "700", "the socket's mode");
    assert_eq!(socket.uid(), server_user);
    assert!(
        server_directory().as_os_str().len() + ".s.PGSQL.65535".len() < 100,
        "{}",
        server_directory().display()
    );
}

/// `psql -c 'SELECT 1'` on `url`, as `user` (uid, gid) or as ourselves.
fn psql(url: &str, user: Option<(u32, u32)>) -> Output {
    let mut command = Command::new(program("psql"));
    command
        .args(["-X", "-A", "-t", "-c", "SELECT 1", url])
        // Another user may not enter our working directory.
        .current_dir("/");
    if let Some((uid, gid)) = user {
        use std::os::unix::process::CommandExt;
        command.uid(uid).gid(gid).env("HOME", "/");
    }
    command.output().expect("psql runs")
}

/// The reviewer's case: while a test holds the server, another local user
/// tries to log in as the superuser. Needs root, to be that other user.
#[tokio::test]
async fn another_user_cannot_connect() {
    let url = fresh_database().await;
    let ours = psql(&url, None);
    assert!(ours.status.success(), "psql as ourselves: {}", text(&ours));
    assert_eq!(String::from_utf8_lossy(&ours.stdout).trim(), "1");
    if !running_as_root() {
        eprintln!("not root: no other user to try as (the directory's mode is checked)");
        return;
    }
    let nobody = user_ids(c"nobody").expect("a nobody user");
    let theirs = psql(&url, Some(nobody));
    let said = text(&theirs);
    assert!(!theirs.status.success(), "nobody connected: {said}");
    assert!(said.contains("Permission denied"), "{said}");
}
