//! The shared server: it starts, and gives distinct, empty, usable
//! databases to tests calling from many runtimes and threads at once.

use std::collections::HashSet;
use std::time::Instant;

use test_postgres::{fresh_database, fresh_database_blocking, query, server_url};

/// The one value of a one-row, one-column answer.
fn value(url: &str, sql: &str) -> String {
    let rows = query(url, sql).unwrap_or_else(|e| panic!("{sql} on {url}: {e}"));
    match rows.as_slice() {
        [row] => match row.as_slice() {
            [Some(value)] => value.clone(),
            other => panic!("{sql}: expected one value, got {other:?}"),
        },
        other => panic!("{sql}: expected one row, got {other:?}"),
    }
}

/// `DATABASE` in `postgres://USER@HOST:PORT/DATABASE?host=...`.
fn database_name(url: &str) -> &str {
    let (_, rest) = url.split_once("@localhost:").expect("a host in the URL");
    let (_, rest) = rest.split_once('/').expect("a database in the URL");
    rest.split('?').next().expect("a database")
}

/// Tables, views, sequences... in the public schema.
const USER_RELATIONS: &str = "SELECT count(*) FROM pg_class c \
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'";

#[tokio::test]
async fn starts_and_answers() {
    let url = fresh_database().await;
    assert_eq!(url, server_url(database_name(&url)));
    let dir = test_postgres::server_directory();
    assert!(
        url.starts_with("postgres://postgres@localhost:")
            && url.ends_with(&format!("?host={}", dir.display())),
        "{url}"
    );
    assert!(
        value(&url, "SHOW server_version").starts_with("15."),
        "PostgreSQL 15 expected"
    );
    assert_eq!(value(&url, "SELECT current_user"), "postgres");
    assert_eq!(value(&url, "SHOW fsync"), "off");
    assert_eq!(value(&url, "SHOW max_connections"), "300");
    assert_eq!(value(&url, "SHOW server_encoding"), "UTF8");
    // The server's files are where it says, with its log.
    assert!(dir.join("data/PG_VERSION").is_file(), "{}", dir.display());
    assert!(dir.join("server.log").is_file());
    assert!(test_postgres::server_version().starts_with("15."));
}

#[tokio::test]
async fn two_fresh_databases_are_distinct_and_empty() {
    let first = fresh_database().await;
    let second = fresh_database().await;
    assert_ne!(first, second);
    for url in [&first, &second] {
        assert_eq!(value(url, "SELECT current_database()"), database_name(url));
        assert_eq!(value(url, USER_RELATIONS), "0", "{url} is not empty");
    }
    query(
        &first,
        "CREATE TABLE t (id bigint PRIMARY KEY, s text); INSERT INTO t VALUES (1, 'x')",
    )
    .expect("a table in the first");
    assert_eq!(value(&first, "SELECT s FROM t WHERE id = 1"), "x");
    assert_eq!(
        value(&second, USER_RELATIONS),
        "0",
        "the second sees the first's table"
    );
    // Errors come back as the server's, and the database stays usable.
    let error = query(&second, "SELECT * FROM t").expect_err("no table t there");
    assert!(error.contains("42P01"), "{error}");
    assert_eq!(value(&second, "SELECT NULL::text IS NULL"), "t");
    let rows = query(&second, "SELECT NULL::text, 'a'").expect("a row");
    assert_eq!(rows, vec![vec![None, Some("a".to_owned())]]);
}

/// Like many `#[tokio::test]`s at once: each thread has its own runtime.
#[test]
fn many_runtimes_and_threads_at_once() {
    const THREADS: usize = 8;
    const EACH: usize = 4;
    let started = Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            std::thread::spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let mut urls = Vec::new();
                    for _ in 0..EACH {
                        let url = fresh_database().await;
                        assert_eq!(
                            value(&url, "SELECT current_database()"),
                            database_name(&url)
                        );
                        urls.push(url);
                    }
                    urls
                })
            })
        })
        .collect();
    let mut urls: Vec<String> = threads
        .into_iter()
        .flat_map(|thread| thread.join().expect("a thread panicked"))
        .collect();
    // And from plain threads without a runtime.
    urls.extend(
        (0..4)
            .map(|_| std::thread::spawn(fresh_database_blocking))
            .map(|thread| thread.join().expect("a thread panicked")),
    );
    let distinct: HashSet<&String> = urls.iter().collect();
    assert_eq!(distinct.len(), THREADS * EACH + 4, "{urls:#?}");
    eprintln!(
        "{} databases from {THREADS} runtimes and 4 threads in {:.2} s (server start included if first)",
        urls.len(),
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tasks_on_one_runtime() {
    let tasks: Vec<_> = (0..10).map(|_| tokio::spawn(fresh_database())).collect();
    let mut urls = HashSet::new();
    for task in tasks {
        urls.insert(task.await.expect("a task panicked"));
    }
    assert_eq!(urls.len(), 10);
    for url in &urls {
        assert_eq!(value(url, USER_RELATIONS), "0");
    }
}
