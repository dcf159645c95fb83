//! The one PostgreSQL server of a test process: started on first use,
//! stopped when the process ends, however it ends.
//!
//! It listens on no TCP address at all (`listen_addresses=''`), only on a
//! Unix socket in its own directory, mode 0700 and owned by the server's
//! OS user (`postgres` when the tests run as root, else the user running
//! them). It trusts whoever connects, so the directory is the one gate:
//! other users of the machine cannot reach the socket (root can, as it
//! can everything), and so cannot log in as the superuser and, say, run
//! `COPY ... TO PROGRAM` as the server's user.
//!
//! Stopping cannot rely on destructors: libtest leaves with
//! `std::process::exit`, which drops no statics, and a killed process runs
//! nothing at all. Two mechanisms, each enough on its own for its cases:
//!
//! - an `atexit` hook, for every ordinary exit (tests passed or failed):
//!   it sends the server SIGQUIT (immediate shutdown) and waits for it, so
//!   the server is gone by the time the process is;
//! - a watchdog, a small `sh` loop started before anything else, reading a
//!   pipe whose only writer is this process. The pipe reaches end-of-file
//!   when the process is gone for any reason (SIGKILL, abort, exit); the
//!   watchdog then stops the server if it still runs and removes the
//!   temporary directory. A pipe rather than polling `/proc/<pid>`: no
//!   delay, and no mistaking a reused pid for the test process.

use std::fs::{self, DirBuilder, File};
use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use crate::wire::{socket_path, Connection};

/// The server's superuser, and the user in every URL given out.
pub const USER: &str = "postgres";

/// How long the server may take to accept connections before the test
/// fails with its log.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest socket path accepted: the kernel's `sun_path` holds 108
/// bytes with the NUL, and some systems' less.
const SOCKET_PATH_MAX: usize = 100;

pub struct Server {
    /// Only names the socket file, `dir/.s.PGSQL.PORT` (no TCP).
    pub port: u16,
    /// Holds the data directory, the Unix socket and the server's log;
    /// mode 0700, owned by the server's OS user.
    pub dir: PathBuf,
    pub version: String,
    /// Kept for the process's lifetime: a static is never dropped, so the
    /// watchdog's pipe closes only when the process is gone.
    _watchdog: ChildStdin,
    _postmaster: Child,
}

/// The postmaster's pid for the `atexit` hook (0: none running).
static POSTMASTER: AtomicI32 = AtomicI32::new(0);

impl Server {
    /// The socket file clients connect to.
    pub fn socket(&self) -> PathBuf {
        socket_path(&self.dir, self.port)
    }
}

/// The server, started on the first call. A failed start is kept and
/// reported to every later caller, not retried once per test.
pub fn try_get() -> Result<&'static Server, String> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    SERVER
        .get_or_init(start)
        .as_ref()
        .map_err(|message| format!("test-postgres: {message}"))
}

/// [`try_get`], panicking with the reason.
#[track_caller]
pub fn get() -> &'static Server {
    match try_get() {
        Ok(server) => server,
        Err(message) => panic!("{message}"),
    }
}

/// How to run PostgreSQL's programs: their directory, and as whom.
struct Programs {
    bindir: PathBuf,
    /// `Some((uid, gid))` of the `postgres` OS user when this process is
    /// root (initdb and the server refuse to run as root); `None` runs
    /// them as ourselves.
    user: Option<(u32, u32)>,
}

impl Programs {
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bindir.join(program));
        if let Some((uid, gid)) = self.user {
            // std drops the supplementary groups too when it changes uid.
            command.uid(uid).gid(gid);
        }
        command
    }
}

fn start() -> Result<Server, String> {
    let started = Instant::now();
    let programs = Programs {
        bindir: bindir()?,
        user: server_user()?,
    };
    let dir = make_directory(programs.user)?;
    // First, so that the directory goes even if we die in initdb.
    let mut watchdog = start_watchdog(&dir).inspect_err(|_| {
        let _ = fs::remove_dir(&dir);
    })?;
    // The number only names the socket file: any would do in our own
    // directory. A TCP port free on loopback: a client that ignored the
    // URL's `host=` would try localhost:PORT, where nothing listens, and
    // fail, rather than reach another server on 5432.
    let port = free_port()?;
    let socket = socket_path(&dir, port);
    if socket.as_os_str().len() >= SOCKET_PATH_MAX {
        return Err(format!(
            "the socket path {} is too long (the limit is {SOCKET_PATH_MAX} bytes)",
            socket.display()
        ));
    }

    let data = dir.join("data");
    let initdb = programs
        .command("initdb")
        .arg("-D")
        .arg(&data)
        // Trust on the socket, whose directory only the server's user (and
        // root) can enter; refuse TCP, should it ever be turned on.
        .args(["--auth-local=trust", "--auth-host=reject"])
        .args(["-U", USER, "--no-sync", "--no-instructions"])
        // C collation: byte order, as SQLite compares text; no dependence
        // on which locales the machine has.
        .args(["-E", "UTF8", "--locale=C"])
        // The postgres user may not be able to enter our working directory.
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !initdb.status.success() {
        return Err(format!(
            "initdb failed ({}):\n{}{}",
            initdb.status,
            String::from_utf8_lossy(&initdb.stdout),
            String::from_utf8_lossy(&initdb.stderr)
        ));
    }
    let initialised = started.elapsed();

    let log_path = dir.join("server.log");
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot share the log file: {e}"))?;
    let mut postmaster = programs
        .command("postgres")
        .arg("-D")
        .arg(&data)
        .args(settings(port, &dir))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Its own process group: a Ctrl-C in the terminal reaches the
        // test process and the watchdog stops the server in order.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let pid = i32::try_from(postmaster.id()).unwrap_or(0);
    POSTMASTER.store(pid, Ordering::SeqCst);
    register_atexit();
    // The last line written is the pid the watchdog stops.
    watchdog
        .write_all(format!("{pid}\n").as_bytes())
        .and_then(|()| watchdog.flush())
        .map_err(|e| format!("cannot reach the watchdog: {e}"))?;

    match wait_until_ready(&socket, &mut postmaster, &log_path) {
        Ok(version) => {
            let _ = writeln!(
                io::stderr(),
                "test-postgres: PostgreSQL {version} ready in {:.2} s (initdb {:.2} s) \
                 on {} (no TCP), files in {}",
                started.elapsed().as_secs_f64(),
                initialised.as_secs_f64(),
                socket.display(),
                dir.display()
            );
            Ok(Server {
                port,
                dir,
                version,
                _watchdog: watchdog,
                _postmaster: postmaster,
            })
        }
        Err(Exited(log)) => Err(format!("the server exited at start; its log:\n{log}")),
        Err(TimedOut(why)) => {
            // SIGQUIT rather than Child::kill's SIGKILL: the postmaster
            // then takes its children down with it. The atexit hook
            // waits for it.
            // SAFETY: kill(2) on our own child's pid.
            unsafe { libc::kill(pid, libc::SIGQUIT) };
            Err(format!(
                "the server did not accept connections within {} s ({why}); its log ends:\n{}",
                READY_TIMEOUT.as_secs(),
                log_tail(&log_path)
            ))
        }
    }
}

/// The server's settings besides its data directory.
fn settings(port: u16, socket_dir: &Path) -> Vec<String> {
    [
        // Durability buys nothing in a throwaway cluster; these make
        // writes and CREATE DATABASE's checkpoints cheap.
        "fsync=off".to_owned(),
        "synchronous_commit=off".to_owned(),
        "full_page_writes=off".to_owned(),
        // No TCP: nothing but the socket, in a directory only the
        // server's user can enter (see `make_directory`).
        "listen_addresses=".to_owned(),
        format!("port={port}"),
        // Its own directory: no clash with a system server's /var/run
        // socket, and short enough for a socket path (see SOCKET_PATH_MAX).
        format!("unix_socket_directories={}", socket_dir.display()),
        // The socket itself is the owner's alone too (the directory
        // already is).
        "unix_socket_permissions=0700".to_owned(),
        // Tests run in parallel, each server under test with a pool of up
        // to 8 connections, plus the harness's own short-lived ones.
        "max_connections=300".to_owned(),
        // One line per CREATE DATABASE otherwise; the log shown on failure
        // should show the failure.
        "log_checkpoints=off".to_owned(),
    ]
    .into_iter()
    .flat_map(|setting| ["-c".to_owned(), setting])
    .collect()
}

enum NotReady {
    /// The server exited; its whole log.
    Exited(String),
    /// Still not answering at the deadline; the last error.
    TimedOut(String),
}
use NotReady::{Exited, TimedOut};

/// Polls until the server answers a query; gives its version.
fn wait_until_ready(socket: &Path, postmaster: &mut Child, log: &Path) -> Result<String, NotReady> {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        // No socket file yet while it starts, "the database system is
        // starting up" while it recovers: both mean try again shortly.
        let answer = Connection::open(socket, USER, "postgres")
            .and_then(|mut c| c.simple_query("SHOW server_version"));
        let why = match answer {
            Ok(rows) => {
                let version = rows.first().and_then(|row| row.first().cloned().flatten());
                return Ok(version.unwrap_or_else(|| "(unknown version)".to_owned()));
            }
            Err(why) => why,
        };
        if let Ok(Some(status)) = postmaster.try_wait() {
            POSTMASTER.store(0, Ordering::SeqCst);
            let text = fs::read_to_string(log).unwrap_or_default();
            return Err(Exited(format!("({status})\n{text}")));
        }
        if Instant::now() > deadline {
            return Err(TimedOut(why));
        }
        thread::sleep(Duration::from_millis(5));
    }
}

fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_else(|e| format!("(cannot read it: {e})"));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

const MISSING: &str = "PostgreSQL's server programs were not found. `cargo xtask test` \
    installs them (Debian), or run `apt-get install postgresql`";

/// PostgreSQL's programs, where `pg_config` says they are.
fn bindir() -> Result<PathBuf, String> {
    let output = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .map_err(|e| format!("{MISSING} (`pg_config --bindir`: {e})"))?;
    if !output.status.success() {
        return Err(format!(
            "{MISSING} (`pg_config --bindir` failed: {})",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let bindir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    // libpq-dev's pg_config alone says a bindir without a server in it.
    for program in ["initdb", "postgres"] {
        if !bindir.join(program).is_file() {
            return Err(format!(
                "{MISSING} ({} does not exist)",
                bindir.join(program).display()
            ));
        }
    }
    Ok(bindir)
}

/// The `postgres` OS user's ids when we are root, else `None`.
fn server_user() -> Result<Option<(u32, u32)>, String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buffer = vec![0 as libc::c_char; 16 * 1024];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call, the buffer's length is
    // its real length, and `entry` only points into `buffer`, which
    // outlives the reads below.
    let status = unsafe {
        libc::getpwnam_r(
            c"postgres".as_ptr(),
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    if status != 0 || found.is_null() {
        return Err(
            "this process is root, and initdb refuses to run as root, but there is no \
             `postgres` OS user to run it as (`apt-get install postgresql` creates it)"
                .to_owned(),
        );
    }
    Ok(Some((entry.pw_uid, entry.pw_gid)))
}

/// Where the server's directory goes: /dev/shm, a tmpfs, when it has
/// room, else /tmp. On tmpfs a CREATE DATABASE (a copy of the template's
/// 7.3 MB) took 5 ms, against 70-100 ms on this machine's disk while
/// another build was writing, and initdb and the final removal are faster
/// too. Not `$TMPDIR`: the postgres user must be able to reach the
/// directory, and the socket's path must stay short (SOCKET_PATH_MAX).
fn parent_directory() -> &'static str {
    // A binary's databases for a few hundred tests, at 7.3 MB each.
    const ROOM: u64 = 2 << 30;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a statvfs to fill.
    let found = unsafe { libc::statvfs(c"/dev/shm".as_ptr(), &mut stats) } == 0;
    // The fields' widths differ between targets.
    #[allow(clippy::unnecessary_cast)]
    let free = (stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64);
    if found && free >= ROOM {
        "/dev/shm"
    } else {
        "/tmp"
    }
}

/// A new directory (see [`parent_directory`]), mode 0700 and owned by the
/// server's user: it holds the server's socket, and only that user (and
/// root) may enter it. Never one that exists already: another user may
/// have made it.
fn make_directory(user: Option<(u32, u32)>) -> Result<PathBuf, String> {
    let pid = std::process::id();
    let parent = parent_directory();
    for attempt in 0..100u32 {
        let dir = PathBuf::from(format!("{parent}/test-postgres-{pid}-{attempt}"));
        // 0700 from the start (the umask can only take bits away), and
        // again below whatever the umask was.
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {
                let prepare = || -> io::Result<()> {
                    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
                    if let Some((uid, gid)) = user {
                        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))?;
                    }
                    Ok(())
                };
                return prepare()
                    .map(|()| dir.clone())
                    .map_err(|e| format!("cannot prepare {}: {e}", dir.display()));
            }
            // Left by an earlier process with our pid that was killed
            // before its watchdog could start.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err(format!(
        "cannot create {parent}/test-postgres-{pid}-*: all taken"
    ))
}

/// The watchdog's script: `$1` is the directory. Lines on stdin are the
/// server's pid (the last one counts); end-of-file means the test process
/// is gone. Runs as this process's user, which can signal the server
/// (root, or the same user) and remove the directory.
const WATCHDOG: &str = r#"
trap '' INT HUP PIPE
pid=
while read -r line; do pid=$line; done
alive() {
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null
}
# The atexit hook has usually stopped it already; check that the pid is
# still a postgres before signalling it.
if alive && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
    kill -QUIT "$pid" 2>/dev/null
    i=0
    while alive && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    alive && kill -KILL "$pid" 2>/dev/null
fi
rm -rf "$1"
"#;

fn start_watchdog(dir: &Path) -> Result<ChildStdin, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(WATCHDOG)
        .arg("test-postgres-watchdog")
        .arg(dir)
        .stdin(Stdio::piped())
        // Not the test's stdout: whoever reads the test's output would
        // otherwise wait for the watchdog too.
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the watchdog (sh): {e}"))?;
    // Dropping `child` neither kills nor waits for it; its stdin is the
    // one thing to keep.
    child
        .stdin
        .take()
        .ok_or_else(|| "the watchdog has no stdin".to_owned())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

fn register_atexit() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // SAFETY: registers a plain function with no captured state. If
        // it fails (the table is full) the watchdog still stops the server.
        unsafe { libc::atexit(stop_at_exit) };
    });
}

/// Runs in `exit()`: immediate shutdown (SIGQUIT) and a wait of up to five
/// seconds, then SIGKILL. No allocation and no locks: other test threads
/// may still be running, and hold them.
extern "C" fn stop_at_exit() {
    let pid = POSTMASTER.swap(0, Ordering::SeqCst);
    if pid <= 0 {
        return;
    }
    // SAFETY: `pid` is our own child, not yet waited for (only this hook
    // and the start-up loop, which cleared POSTMASTER, wait for it).
    unsafe {
        libc::kill(pid, libc::SIGQUIT);
        for _ in 0..500 {
            let mut status = 0;
            if libc::waitpid(pid, &mut status, libc::WNOHANG) != 0 {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, std::ptr::null_mut(), 0);
    }
}
