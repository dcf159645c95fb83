//! Just enough of PostgreSQL's frontend/backend protocol (version 3) to
//! run simple queries over a blocking Unix-socket connection with trust
//! authentication: the harness's own needs (waiting for the server,
//! `CREATE DATABASE`) and [`crate::query`]. The harness's server listens
//! on a Unix socket only (see `server.rs`), so this client speaks no TCP.
//!
//! Blocking std I/O on purpose: unlike an async pool, it belongs to no
//! tokio runtime, so any test (each `#[tokio::test]` has its own runtime)
//! or plain thread can use it.

use std::io::{self, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Rows of a simple query's results as text; `None` is SQL NULL.
pub type Rows = Vec<Vec<Option<String>>>;

/// Protocol 3.0, as the startup message spells it.
const PROTOCOL_VERSION: u32 = 3 << 16;

/// Longer than any statement the tests send should take, short enough that
/// a wedged server fails the test instead of hanging it.
const IO_TIMEOUT: Duration = Duration::from_secs(120);

/// A backend message larger than this means we lost our place in the
/// stream (or it is not PostgreSQL): refuse rather than allocate it.
const MAX_MESSAGE: usize = 256 << 20;

/// The socket file of a server listening in `dir` on `port`: PostgreSQL
/// (and libpq, and sqlx) name it `DIR/.s.PGSQL.PORT`.
pub fn socket_path(dir: &Path, port: u16) -> PathBuf {
    dir.join(format!(".s.PGSQL.{port}"))
}

pub struct Connection {
    stream: BufReader<UnixStream>,
}

impl Connection {
    /// Connects to the server's socket file (see [`socket_path`]) and logs
    /// in as `user` to `database`. Fails if the server asks for a
    /// password: the harness's server trusts the users who can reach its
    /// socket.
    pub fn open(socket: &Path, user: &str, database: &str) -> Result<Connection, String> {
        let stream = UnixStream::connect(socket)
            .map_err(|e| format!("cannot connect to {}: {e}", socket.display()))?;
        let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
        let mut connection = Connection {
            stream: BufReader::new(stream),
        };
        connection.start(user, database)?;
        Ok(connection)
    }

    fn start(&mut self, user: &str, database: &str) -> Result<(), String> {
        let mut body = PROTOCOL_VERSION.to_be_bytes().to_vec();
        for (key, value) in [
            ("user", user),
            ("database", database),
            ("client_encoding", "UTF8"),
        ] {
            push_cstring(&mut body, key)?;
            push_cstring(&mut body, value)?;
        }
        body.push(0);
        // The startup message alone has no type byte.
        let mut message = frame_length(body.len())?.to_vec();
        message.extend_from_slice(&body);
        self.send(&message)?;
        loop {
            let (kind, body) = self.receive()?;
            match kind {
                b'R' => {
                    let code = read_i32(&body, 0)?;
                    if code != 0 {
                        return Err(format!(
                            "the server asks for authentication (method {code}); \
                             this client speaks only to servers that trust local users"
                        ));
                    }
                }
                b'E' => return Err(error_text(&body)),
                b'Z' => return Ok(()),
                // Parameter status, the cancel key, notices: not needed.
                _ => {}
            }
        }
    }

    /// Runs `sql` (one or more statements, no parameters) and returns every
    /// row of every statement, or the server's error.
    pub fn simple_query(&mut self, sql: &str) -> Result<Rows, String> {
        let mut message = vec![b'Q'];
        let mut body = Vec::with_capacity(sql.len() + 1);
        push_cstring(&mut body, sql)?;
        message.extend_from_slice(&frame_length(body.len())?);
        message.extend_from_slice(&body);
        self.send(&message)?;
        let mut rows = Vec::new();
        let mut error = None;
        // The server always ends with ReadyForQuery, after an error too:
        // read up to it so the connection stays usable.
        loop {
            let (kind, body) = self.receive()?;
            match kind {
                b'D' => rows.push(data_row(&body)?),
                b'E' => error = Some(error_text(&body)),
                b'Z' => break,
                _ => {}
            }
        }
        match error {
            Some(error) => Err(error),
            None => Ok(rows),
        }
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        let stream = self.stream.get_mut();
        stream
            .write_all(bytes)
            .and_then(|()| stream.flush())
            .map_err(|e| format!("cannot send to PostgreSQL: {e}"))
    }

    fn receive(&mut self) -> Result<(u8, Vec<u8>), String> {
        let read = |stream: &mut BufReader<UnixStream>| -> io::Result<(u8, Vec<u8>)> {
            let mut header = [0u8; 5];
            stream.read_exact(&mut header)?;
            let length = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
            if !(4..=MAX_MESSAGE).contains(&length) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a message of {length} bytes"),
                ));
            }
            let mut body = vec![0u8; length - 4];
            stream.read_exact(&mut body)?;
            Ok((header[0], body))
        };
        read(&mut self.stream).map_err(|e| format!("cannot read from PostgreSQL: {e}"))
    }
}

impl Drop for Connection {
    /// Says goodbye, so the server does not log an unexpected EOF.
    fn drop(&mut self) {
        let _ = self.stream.get_mut().write_all(&[b'X', 0, 0, 0, 4]);
    }
}

/// A message's length field: the body plus the field itself.
fn frame_length(body: usize) -> Result<[u8; 4], String> {
    u32::try_from(body + 4)
        .map(u32::to_be_bytes)
        .map_err(|_| format!("a message of {body} bytes is too long to send"))
}

fn push_cstring(buffer: &mut Vec<u8>, text: &str) -> Result<(), String> {
    if text.contains('\0') {
        return Err(format!("{text:?} contains a NUL byte"));
    }
    buffer.extend_from_slice(text.as_bytes());
    buffer.push(0);
    Ok(())
}

fn read_i32(body: &[u8], at: usize) -> Result<i32, String> {
    body.get(at..at + 4)
        .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "a truncated message from PostgreSQL".to_owned())
}

/// DataRow: a 16-bit column count, then each column's length (-1: NULL)
/// and its text.
fn data_row(body: &[u8]) -> Result<Vec<Option<String>>, String> {
    let truncated = || "a truncated data row from PostgreSQL".to_owned();
    let count = body.get(..2).ok_or_else(truncated)?;
    let count = u16::from_be_bytes([count[0], count[1]]);
    let mut at = 2;
    let mut row = Vec::with_capacity(count.into());
    for _ in 0..count {
        let length = read_i32(body, at)?;
        at += 4;
        if length < 0 {
            row.push(None);
            continue;
        }
        let end = at + length as usize;
        let value = body.get(at..end).ok_or_else(truncated)?;
        row.push(Some(String::from_utf8_lossy(value).into_owned()));
        at = end;
    }
    Ok(row)
}

/// ErrorResponse: fields of a type byte and a C string, ended by a zero.
/// Gives "SEVERITY SQLSTATE: message (detail)".
fn error_text(body: &[u8]) -> String {
    let (mut severity, mut code, mut message, mut detail) = ("", "", "", "");
    for field in body.split(|&b| b == 0) {
        let Some((&kind, text)) = field.split_first() else {
            continue;
        };
        let text = std::str::from_utf8(text).unwrap_or("?");
        match kind {
            b'S' => severity = text,
            b'C' => code = text,
            b'M' => message = text,
            b'D' => detail = text,
            _ => {}
        }
    }
    let mut text = format!("{severity} {code}: {message}");
    if !detail.is_empty() {
        text.push_str(&format!(" ({detail})"));
    }
    text
}

/// Where a URL points: the server's socket file, the user and database
/// (a password in the URL is ignored: trust authentication).
pub struct Target {
    pub socket: PathBuf,
    pub user: String,
    pub database: String,
}

/// Reads `postgres://user[:password]@[host][:port]/database[?params]`
/// where the host, as libpq and sqlx read it, is a directory: the
/// authority's host percent-encoded (`%2Fdir`), or a `host=/dir`
/// parameter, which wins, as does `port=`. A host that is not a
/// directory is refused: this client has no TCP.
pub fn parse_url(url: &str) -> Result<Target, String> {
    let bad = |why: &str| {
        format!(
            "{url:?} is not a postgres://user@localhost:PORT/database?host=/socket/dir URL: {why}"
        )
    };
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .ok_or_else(|| bad("another scheme"))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (rest, params) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, database) = rest.split_once('/').ok_or_else(|| bad("no database"))?;
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((credentials, host_port)) => {
            let user = credentials.split(':').next().unwrap_or(credentials);
            (percent_decoded(user), host_port)
        }
        None => ("postgres".to_owned(), authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    };
    let mut host = percent_decoded(host);
    let mut port = port.map(str::to_owned);
    for param in params.split('&').filter(|param| !param.is_empty()) {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        match key {
            "host" => host = percent_decoded(value),
            "port" => port = Some(percent_decoded(value)),
            _ => {}
        }
    }
    let port = match port {
        Some(port) => port.parse().map_err(|_| bad("a bad port"))?,
        None => 5432,
    };
    let database = percent_decoded(database);
    if database.is_empty() || user.is_empty() {
        return Err(bad("an empty user or database"));
    }
    if !host.starts_with('/') {
        return Err(bad(
            "no socket directory (host=/...); this client connects over Unix sockets only",
        ));
    }
    Ok(Target {
        socket: socket_path(Path::new(&host), port),
        user,
        database,
    })
}

/// `text` with its `%XX` escapes decoded (any other `%` kept as it is).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_urls_the_harness_gives() {
        let target =
            parse_url("postgres://postgres@localhost:5555/t_1_2?host=/dev/shm/test-postgres-1-0")
                .expect("parsed");
        assert_eq!(
            target.socket,
            Path::new("/dev/shm/test-postgres-1-0/.s.PGSQL.5555")
        );
        assert_eq!(
            (target.user.as_str(), target.database.as_str()),
            ("postgres", "t_1_2")
        );
        // libpq's other spellings: the directory as the (encoded) host,
        // the port in the authority, a password and other parameters.
        let target =
            parse_url("postgresql://u:secret@%2Frun%2Fpg:6000/db?sslmode=disable").expect("parsed");
        assert_eq!(target.socket, Path::new("/run/pg/.s.PGSQL.6000"));
        assert_eq!(
            (target.user.as_str(), target.database.as_str()),
            ("u", "db")
        );
        let target = parse_url("postgres://u@localhost:7000/db?host=%2Frun%2Fpg").expect("parsed");
        assert_eq!(target.socket, Path::new("/run/pg/.s.PGSQL.7000"));
        let target = parse_url("postgres://u@localhost/db?host=/run/pg&port=7001").expect("parsed");
        assert_eq!(target.socket, Path::new("/run/pg/.s.PGSQL.7001"));
        let target = parse_url("postgres://localhost/db?host=/run/pg").expect("parsed");
        assert_eq!(target.socket, Path::new("/run/pg/.s.PGSQL.5432"));
        assert_eq!(target.user, "postgres");
        assert!(parse_url("sqlite://x.db").is_err());
        assert!(parse_url("postgres://localhost/db?host=/run/pg&port=x").is_err());
        assert!(parse_url("postgres://localhost?host=/run/pg").is_err());
        // TCP: not this client's.
        let tcp = parse_url("postgres://postgres@127.0.0.1:5432/db").map(|_| ());
        assert!(tcp.expect_err("refused").contains("Unix sockets only"));
    }

    #[test]
    fn reads_rows_with_nulls_and_errors() {
        // Two columns: "ab" and NULL.
        let body = [0, 2, 0, 0, 0, 2, b'a', b'b', 0xff, 0xff, 0xff, 0xff];
        assert_eq!(
            data_row(&body).expect("a row"),
            vec![Some("ab".to_owned()), None]
        );
        assert!(data_row(&[0, 1, 0, 0, 0, 9, b'x']).is_err());
        let error = b"SERROR\0C42P04\0Mdatabase \"x\" already exists\0\0";
        assert_eq!(
            error_text(error),
            "ERROR 42P04: database \"x\" already exists"
        );
    }
}
