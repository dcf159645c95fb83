//! `#[backends]`: two tests per function, each in its backend's scope.

use test_postgres::{backends, Backend};

/// A helper in the enclosing module: the generated module sees it.
fn backend_named_by_this_test() -> Option<Backend> {
    // libtest names each test's thread after the test: `...::sqlite`.
    let thread = std::thread::current();
    let last = thread.name()?.rsplit("::").next()?;
    Backend::ALL.into_iter().find(|b| b.name() == last)
}

/// Each of the two tests runs in its own backend's scope; on PostgreSQL a
/// fresh database works.
#[backends]
async fn each_test_has_its_backend() {
    let backend = Backend::current();
    if let Some(expected) = backend_named_by_this_test() {
        assert_eq!(backend, expected);
    }
    // The generated tests are `each_test_has_its_backend::{sqlite,postgres}`.
    assert_eq!(
        module_path!().rsplit("::").next(),
        Some("each_test_has_its_backend")
    );
    if backend == Backend::Postgres {
        let url = test_postgres::fresh_database().await;
        let rows = test_postgres::query(&url, "SELECT 40 + 2").expect("a query");
        assert_eq!(rows, vec![vec![Some("42".to_owned())]]);
    }
    // The scope covers the whole body, across awaits.
    tokio::task::yield_now().await;
    assert_eq!(Backend::current(), backend);
}

#[backends(flavor = "multi_thread", worker_threads = 2)]
async fn arguments_reach_tokio_test() -> () {
    let flavor = tokio::runtime::Handle::current().runtime_flavor();
    assert_eq!(flavor, tokio::runtime::RuntimeFlavor::MultiThread);
    assert_eq!(
        Some(Backend::current()),
        backend_named_by_this_test().or(Some(Backend::current()))
    );
}

/// An early `return` leaves the body, not the test's scope machinery.
#[backends]
#[allow(clippy::needless_return)]
async fn returning_early() {
    if Backend::current() == Backend::Sqlite {
        return;
    }
    assert_eq!(Backend::current(), Backend::Postgres);
}

// Both generated tests exist under the function's name, and they are the
// only two.
#[test]
fn the_tests_are_named_by_backend() {
    let exe = std::env::current_exe().expect("this test binary");
    let listed = std::process::Command::new(exe)
        .args(["--list", "each_test_has_its_backend"])
        .output()
        .expect("the test list");
    let listed = String::from_utf8_lossy(&listed.stdout);
    let mut names: Vec<&str> = listed
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "each_test_has_its_backend::postgres",
            "each_test_has_its_backend::sqlite"
        ]
    );
}
