//! The server does not outlive its test process: after the tests pass,
//! after one fails, and after the process is killed outright.
//!
//! Each case runs src/bin/hold-postgres.rs as a child, which starts the
//! server and prints where it is; the child then exits the way a test
//! binary exits (passed or failed) or is killed, and the parent checks
//! that the server's socket no longer accepts connections and its file is
//! gone, the server's process is gone and its directory removed.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The line the child prints: `MARKER socket pid directory`.
const MARKER: &str = "test-postgres-child:";

/// Enough for the watchdog's own wait (5 s at most) after a kill.
const GONE_WITHIN: Duration = Duration::from_secs(8);

struct Held {
    child: Reaped,
    socket: PathBuf,
    pid: u32,
    dir: PathBuf,
    output: BufReader<std::process::ChildStdout>,
}

/// The child, killed and waited for if the test fails before it does.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn hold_a_server(mode: &str) -> Held {
    let exe = env!("CARGO_BIN_EXE_hold-postgres");
    let mut child = Reaped(
        Command::new(exe)
            .arg(mode)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child test process"),
    );
    let mut output = BufReader::new(child.0.stdout.take().expect("its stdout"));
    let mut line = String::new();
    loop {
        line.clear();
        let read = output.read_line(&mut line).expect("the child's output");
        assert!(read > 0, "the child ended without starting a server");
        if let Some(rest) = line.trim().strip_prefix(MARKER) {
            let mut parts = rest.split_whitespace();
            let mut next = || parts.next().expect("socket, pid and directory");
            let socket = PathBuf::from(next());
            let pid = next().parse().expect("a pid");
            let dir = PathBuf::from(next());
            assert_eq!(socket.parent(), Some(dir.as_path()));
            assert!(accepts(&socket), "the child's server is not listening");
            assert!(running(pid) && dir.is_dir());
            return Held {
                child,
                socket,
                pid,
                dir,
                output,
            };
        }
    }
}

/// Whether something accepts connections on the socket (this test runs
/// as the server's user or root, so the directory lets it through).
fn accepts(socket: &Path) -> bool {
    UnixStream::connect(socket).is_ok()
}

/// A process that exists and is not a zombie (an orphan's zombie lingers
/// where the container's init does not reap).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map(|status| {
            !status
                .lines()
                .any(|line| line.starts_with("State:") && line.contains('Z'))
        })
        .unwrap_or(false)
}

/// Waits until the server is gone: socket closed and its file removed,
/// process ended, directory removed; fails naming what is left.
fn assert_gone(socket: &Path, pid: u32, dir: &Path) {
    let deadline = Instant::now() + GONE_WITHIN;
    loop {
        let left: Vec<&str> = [
            (accepts(socket), "the socket still accepts connections"),
            (socket.exists(), "the socket file is still there"),
            (running(pid), "the postmaster still runs"),
            (dir.exists(), "the directory is still there"),
        ]
        .into_iter()
        .filter_map(|(left, what)| left.then_some(what))
        .collect();
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} s after the test process ended: {} ({}, pid {pid})",
            GONE_WITHIN.as_secs(),
            left.join("; "),
            socket.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_server_stops_when_the_tests_pass() {
    let mut held = hold_a_server("pass");
    let mut rest = String::new();
    let _ = held.output.read_to_string(&mut rest);
    let status = held.child.0.wait().expect("the child's status");
    assert!(status.success(), "the child failed: {rest}");
    // The atexit hook waits for the server: it is gone with the process.
    assert!(
        !accepts(&held.socket),
        "the socket accepts connections right after exit"
    );
    assert!(!running(held.pid), "the postmaster runs right after exit");
    assert_gone(&held.socket, held.pid, &held.dir);
}

#[test]
fn the_server_stops_when_a_test_fails() {
    let mut held = hold_a_server("fail");
    let mut rest = String::new();
    let _ = held.output.read_to_string(&mut rest);
    let status = held.child.0.wait().expect("the child's status");
    assert_eq!(status.code(), Some(101), "libtest's failure: {rest}");
    assert_gone(&held.socket, held.pid, &held.dir);
}

#[test]
fn the_server_stops_when_the_process_is_killed() {
    let mut held = hold_a_server("hang");
    // SIGKILL: no atexit, no destructor; the watchdog alone.
    held.child.0.kill().expect("kill the child");
    held.child.0.wait().expect("the child's status");
    assert_gone(&held.socket, held.pid, &held.dir);
}
