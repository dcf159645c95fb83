//! A process holding the tests' PostgreSQL server, for tests/stop.rs: it
//! starts the server, prints `test-postgres-child: SOCKET PID DIRECTORY`,
//! then ends as its first argument says: `pass` (exit 0, as a test binary
//! whose tests passed), `fail` (a panic, exit 101, as one whose test
//! failed) or `hang` (until killed).

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let url = runtime.block_on(test_postgres::fresh_database());
    // postgres://postgres@localhost:PORT/DATABASE?host=DIRECTORY
    let port = url
        .split_once("@localhost:")
        .and_then(|(_, rest)| rest.split('/').next())
        .expect("a port in the URL");
    let dir = test_postgres::server_directory();
    assert!(url.ends_with(&format!("?host={}", dir.display())), "{url}");
    let socket = dir.join(format!(".s.PGSQL.{port}"));
    let pid = std::fs::read_to_string(dir.join("data/postmaster.pid")).expect("postmaster.pid");
    let pid = pid.lines().next().expect("a pid");
    println!(
        "test-postgres-child: {} {pid} {}",
        socket.display(),
        dir.display()
    );
    match mode.as_str() {
        "fail" => panic!("failing on purpose, as a test would"),
        "hang" => std::thread::sleep(std::time::Duration::from_secs(600)),
        _ => {}
    }
}
