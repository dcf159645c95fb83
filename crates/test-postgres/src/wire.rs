//! Just enough of PostgreSQL's frontend/backend protocol (version 3) to
//! run simple queries over a blocking TCP connection with trust
//! authentication: the harness's own needs (waiting for the server,
//! `CREATE DATABASE`) and [`crate::query`].
//!
//! Blocking std I/O on purpose: unlike an async pool, it belongs to no
//! tokio runtime, so any test (each `#[tokio::test]` has its own runtime)
//! or plain thread can use it.

use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;
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

pub struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    /// Connects and logs in as `user` to `database`. Fails if the server
    /// asks for a password: the harness's server trusts every local user.
    pub fn open(host: &str, port: u16, user: &str, database: &str) -> Result<Connection, String> {
        let stream = TcpStream::connect((host, port))
            .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
        // Small request/response pairs: don't wait to fill a segment.
        let _ = stream.set_nodelay(true);
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
        let read = |stream: &mut BufReader<TcpStream>| -> io::Result<(u8, Vec<u8>)> {
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

/// The parts of a `postgres://user[:password]@host[:port]/database` URL
/// (the password is ignored: trust authentication).
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub database: String,
}

pub fn parse_url(url: &str) -> Result<Target, String> {
    let bad = |why: &str| format!("{url:?} is not a postgres://user@host:port/database URL: {why}");
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .ok_or_else(|| bad("another scheme"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (authority, database) = rest.split_once('/').ok_or_else(|| bad("no database"))?;
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((credentials, host_port)) => {
            let user = credentials.split(':').next().unwrap_or(credentials);
            (user, host_port)
        }
        None => ("postgres", authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().map_err(|_| bad("a bad port"))?),
        None => (host_port, 5432),
    };
    if host.is_empty() || database.is_empty() || user.is_empty() {
        return Err(bad("an empty host, user or database"));
    }
    Ok(Target {
        host: host.to_owned(),
        port,
        user: user.to_owned(),
        database: database.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_urls_the_harness_gives() {
        let target = parse_url("postgres://postgres@127.0.0.1:5555/t_1_2").expect("parsed");
        assert_eq!(
            (target.host.as_str(), target.port, target.user.as_str()),
            ("127.0.0.1", 5555, "postgres")
        );
        assert_eq!(target.database, "t_1_2");
        let target =
            parse_url("postgresql://u:secret@localhost/db?sslmode=disable").expect("parsed");
        assert_eq!((target.user.as_str(), target.port), ("u", 5432));
        assert_eq!(target.database, "db");
        assert!(parse_url("sqlite://x.db").is_err());
        assert!(parse_url("postgres://127.0.0.1:5432").is_err());
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
