//! One SMTP connection: the commands, STARTTLS, AUTH PLAIN and DATA.

use std::io;

use base64::Engine as _;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::TcpStream;

use crate::{Attempt, Behaviour, Outcome, Received, Shared};

/// Longest command or message line accepted (with its line ending).
const MAX_LINE: u64 = 1 << 20;
/// Largest message kept; a longer one is read to its end and refused with 552.
const MAX_MESSAGE: usize = 32 << 20;

/// How a session over one stream ended.
enum End {
    /// The connection is over (QUIT, the client left, or the relay chose to).
    Closed,
    /// STARTTLS was accepted: the same TCP connection goes on under TLS.
    StartTls,
}

/// Serves one accepted connection until it ends; errors only end it.
pub(crate) async fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    if let Ok(End::StartTls) = session(&mut stream, shared, false).await {
        if let Ok(mut tls) = shared.acceptor.accept(stream).await {
            let _ = session(&mut tls, shared, true).await;
        }
    }
}

/// The state a session keeps; a new one starts after STARTTLS (RFC 3207:
/// the client forgets what it knew and says EHLO again).
#[derive(Default)]
struct State {
    greeted: bool,
    user: Option<String>,
    transaction: Option<Transaction>,
}

struct Transaction {
    from: String,
    to: Vec<String>,
}

async fn session<S>(stream: &mut S, shared: &Shared, tls: bool) -> io::Result<End>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // Whatever a client sent after STARTTLS in the clear is dropped with
    // this buffer when the session returns.
    let mut io = BufReader::new(stream);
    if !tls {
        reply(&mut io, "220 test-relay ESMTP").await?;
    }
    let mut state = State::default();
    let mut line = Vec::new();
    loop {
        if !read_line(&mut io, &mut line).await? {
            return Ok(End::Closed);
        }
        let text = String::from_utf8_lossy(trim_line_ending(&line)).into_owned();
        let (verb, argument) = match text.trim().split_once(' ') {
            Some((verb, argument)) => (verb.to_ascii_uppercase(), argument.trim()),
            None => (text.trim().to_ascii_uppercase(), ""),
        };
        let options = &shared.options;
        match verb.as_str() {
            "EHLO" | "HELO" if argument.is_empty() => {
                reply(&mut io, "501 5.5.4 Syntax: EHLO domain").await?;
            }
            "HELO" => {
                state.greeted = true;
                state.transaction = None;
                reply(&mut io, "250 test-relay").await?;
            }
            "EHLO" => {
                state.greeted = true;
                state.transaction = None;
                let mut lines = vec![
                    format!("test-relay greets {argument}"),
                    "8BITMIME".to_owned(),
                    "SMTPUTF8".to_owned(),
                ];
                if options.starttls && !tls {
                    lines.push("STARTTLS".to_owned());
                }
                if options.credentials.is_some() && (tls || !options.starttls) {
                    lines.push("AUTH PLAIN".to_owned());
                }
                let last = lines.len() - 1;
                let answer: Vec<String> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, line)| format!("250{}{line}", if i == last { ' ' } else { '-' }))
                    .collect();
                reply(&mut io, &answer.join("\r\n")).await?;
            }
            "STARTTLS" => {
                if !options.starttls {
                    reply(&mut io, "502 5.5.1 STARTTLS not offered").await?;
                } else if tls {
                    reply(&mut io, "503 5.5.1 TLS already active").await?;
                } else if !argument.is_empty() {
                    reply(&mut io, "501 5.5.4 Syntax: STARTTLS").await?;
                } else {
                    reply(&mut io, "220 2.0.0 Ready to start TLS").await?;
                    return Ok(End::StartTls);
                }
            }
            "AUTH" => {
                let Some((user, password)) = &options.credentials else {
                    reply(&mut io, "502 5.5.1 AUTH not available").await?;
                    continue;
                };
                if options.starttls && !tls {
                    reply(
                        &mut io,
                        "538 5.7.11 Encryption required for requested authentication mechanism",
                    )
                    .await?;
                    continue;
                }
                if !state.greeted || state.user.is_some() || state.transaction.is_some() {
                    reply(&mut io, "503 5.5.1 Bad sequence of commands").await?;
                    continue;
                }
                let (mechanism, initial) = match argument.split_once(' ') {
                    Some((mechanism, initial)) => (mechanism, Some(initial.trim())),
                    None => (argument, None),
                };
                if !mechanism.eq_ignore_ascii_case("PLAIN") {
                    reply(&mut io, "504 5.5.4 Unrecognized authentication type").await?;
                    continue;
                }
                let response = match initial {
                    // RFC 4954: "=" is an empty initial response.
                    Some("=") => String::new(),
                    Some(initial) => initial.to_owned(),
                    None => {
                        reply(&mut io, "334 ").await?;
                        if !read_line(&mut io, &mut line).await? {
                            return Ok(End::Closed);
                        }
                        String::from_utf8_lossy(trim_line_ending(&line))
                            .trim()
                            .to_owned()
                    }
                };
                if response == "*" {
                    reply(&mut io, "501 5.7.0 Authentication cancelled").await?;
                    continue;
                }
                let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(&response)
                else {
                    reply(&mut io, "501 5.5.2 Cannot decode the response").await?;
                    continue;
                };
                let parts: Vec<&[u8]> = decoded.split(|&byte| byte == 0).collect();
                let accepted = matches!(
                    parts.as_slice(),
                    [authzid, authcid, given]
                        if (authzid.is_empty() || *authzid == user.as_bytes())
                            && *authcid == user.as_bytes()
                            && *given == password.as_bytes()
                );
                if accepted {
                    state.user = Some(user.clone());
                    reply(&mut io, "235 2.7.0 Authentication successful").await?;
                } else {
                    reply(&mut io, "535 5.7.8 Authentication credentials invalid").await?;
                }
            }
            "MAIL" => {
                if !state.greeted {
                    reply(&mut io, "503 5.5.1 Say EHLO first").await?;
                } else if options.credentials.is_some() && state.user.is_none() {
                    reply(&mut io, "530 5.7.0 Authentication required").await?;
                } else if state.transaction.is_some() {
                    reply(&mut io, "503 5.5.1 Nested MAIL command").await?;
                } else if let Some(from) = path(argument, "FROM:") {
                    state.transaction = Some(Transaction {
                        from,
                        to: Vec::new(),
                    });
                    reply(&mut io, "250 2.1.0 Ok").await?;
                } else {
                    reply(&mut io, "501 5.5.4 Syntax: MAIL FROM:<address>").await?;
                }
            }
            "RCPT" => match (&mut state.transaction, path(argument, "TO:")) {
                (None, _) => reply(&mut io, "503 5.5.1 Need MAIL before RCPT").await?,
                (Some(transaction), Some(to)) if !to.is_empty() => {
                    transaction.to.push(to);
                    reply(&mut io, "250 2.1.5 Ok").await?;
                }
                (Some(_), _) => reply(&mut io, "501 5.5.4 Syntax: RCPT TO:<address>").await?,
            },
            "DATA" => {
                let Some(transaction) = state.transaction.take() else {
                    reply(&mut io, "503 5.5.1 Need MAIL before DATA").await?;
                    continue;
                };
                if transaction.to.is_empty() {
                    state.transaction = Some(transaction);
                    reply(&mut io, "554 5.5.1 No valid recipients").await?;
                    continue;
                }
                reply(&mut io, "354 End data with <CR><LF>.<CR><LF>").await?;
                let Some((data, complete)) = read_data(&mut io, &mut line).await? else {
                    return Ok(End::Closed);
                };
                let received = Received {
                    from: transaction.from,
                    to: transaction.to,
                    data,
                    tls,
                    authenticated_as: state.user.clone(),
                };
                if !complete {
                    shared.finish(attempt(&received, Outcome::Replied(552)), None);
                    reply(&mut io, "552 5.3.4 Message too big").await?;
                    continue;
                }
                // A slow relay (the API bench): every answer to a message late.
                if !shared.options.answer_delay.is_zero() {
                    tokio::time::sleep(shared.options.answer_delay).await;
                }
                match shared.take_behaviour(&received.to) {
                    None => {
                        shared.finish(attempt(&received, Outcome::Accepted), Some(received));
                        reply(&mut io, "250 2.0.0 Ok: queued").await?;
                    }
                    Some(Behaviour::Reply(code)) => {
                        let accepted = (200..300).contains(&code);
                        let record = attempt(&received, Outcome::Replied(code));
                        shared.finish(record, accepted.then_some(received));
                        reply(&mut io, &format!("{code} {}", scripted_text(code))).await?;
                        if code == 421 {
                            return Ok(End::Closed);
                        }
                    }
                    Some(Behaviour::Stall) => {
                        shared.finish(attempt(&received, Outcome::Stalled), None);
                        // Ended by the relay stopping (the task is dropped).
                        std::future::pending::<()>().await;
                    }
                    Some(Behaviour::CloseAfterData) => {
                        shared.finish(attempt(&received, Outcome::Cut), None);
                        return Ok(End::Closed);
                    }
                }
            }
            "RSET" => {
                state.transaction = None;
                reply(&mut io, "250 2.0.0 Ok").await?;
            }
            "NOOP" => reply(&mut io, "250 2.0.0 Ok").await?,
            "QUIT" => {
                reply(&mut io, "221 2.0.0 Bye").await?;
                // Under TLS this sends close_notify; errors no longer matter.
                let _ = io.get_mut().shutdown().await;
                return Ok(End::Closed);
            }
            _ => reply(&mut io, "502 5.5.2 Command not recognized").await?,
        }
    }
}

fn attempt(received: &Received, outcome: Outcome) -> Attempt {
    Attempt {
        to: received.to.clone(),
        data: received.data.clone(),
        outcome,
    }
}

fn scripted_text(code: u16) -> &'static str {
    match code {
        200..=299 => "2.0.0 Ok: queued (scripted)",
        421 => "4.3.2 test-relay closing connection (scripted)",
        400..=499 => "4.3.0 Temporary failure (scripted)",
        500..=599 => "5.3.0 Permanent failure (scripted)",
        _ => "Scripted reply",
    }
}

/// Writes one reply (its lines joined by CRLF, without the last CRLF) and
/// flushes it.
async fn reply<W: AsyncWrite + Unpin>(writer: &mut W, text: &str) -> io::Result<()> {
    writer.write_all(text.as_bytes()).await?;
    writer.write_all(b"\r\n").await?;
    writer.flush().await
}

/// Reads one line, with its ending, into `line`. False at the end of the
/// stream (a last line without ending is dropped: the client left).
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<bool> {
    line.clear();
    let read = (&mut *reader)
        .take(MAX_LINE)
        .read_until(b'\n', line)
        .await?;
    if line.last() == Some(&b'\n') {
        Ok(true)
    } else if read as u64 == MAX_LINE {
        Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"))
    } else {
        Ok(false)
    }
}

/// The line without its CRLF (or bare LF).
fn trim_line_ending(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads DATA up to the line that is exactly `.`, removing the leading dot
/// a client doubles (RFC 5321 4.5.2) and keeping the line endings as sent.
/// None if the client left first; the flag is false when the message was
/// over [`MAX_MESSAGE`] (what was kept is then only its start).
async fn read_data<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<Option<(Vec<u8>, bool)>> {
    let mut data = Vec::new();
    let mut complete = true;
    loop {
        if !read_line(reader, line).await? {
            return Ok(None);
        }
        if trim_line_ending(line) == b"." {
            return Ok(Some((data, complete)));
        }
        let content = line.strip_prefix(b".").unwrap_or(line);
        if data.len() + content.len() > MAX_MESSAGE {
            complete = false;
        } else if complete {
            data.extend_from_slice(content);
        }
    }
}

/// The address of `MAIL FROM:<...>` / `RCPT TO:<...>` (`keyword` is
/// `"FROM:"` or `"TO:"`), without angle brackets; parameters after it
/// (`BODY=8BITMIME`, `SMTPUTF8`, ...) are ignored. None if malformed.
fn path(argument: &str, keyword: &str) -> Option<String> {
    let head = argument.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = argument[keyword.len()..].trim_start();
    if let Some(bracketed) = rest.strip_prefix('<') {
        let end = bracketed.find('>')?;
        Some(bracketed[..end].to_owned())
    } else {
        rest.split_whitespace().next().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            path("FROM:<a@b.c> BODY=8BITMIME SMTPUTF8", "FROM:").as_deref(),
            Some("a@b.c")
        );
        assert_eq!(path("from: <a@b.c>", "FROM:").as_deref(), Some("a@b.c"));
        assert_eq!(path("FROM:<>", "FROM:").as_deref(), Some(""));
        assert_eq!(path("To:x@y.z", "TO:").as_deref(), Some("x@y.z"));
        assert_eq!(path("TO:<x@y.z", "TO:"), None);
        assert_eq!(path("FROM <a@b.c>", "FROM:"), None);
        assert_eq!(path("", "TO:"), None);
        assert_eq!(path("TÖ:<x>", "TO:"), None);
    }

    #[test]
    fn line_endings() {
        assert_eq!(trim_line_ending(b"abc\r\n"), b"abc");
        assert_eq!(trim_line_ending(b"abc\n"), b"abc");
        assert_eq!(trim_line_ending(b"abc"), b"abc");
    }

    #[tokio::test]
    async fn data_is_unstuffed_until_the_lone_dot() {
        let input: &[u8] = b"Subject: x\r\n\r\n..leading dot\n.\r\nafter\r\n";
        let mut reader = BufReader::new(input);
        let mut line = Vec::new();
        let (data, complete) = read_data(&mut reader, &mut line).await.unwrap().unwrap();
        assert!(complete);
        assert_eq!(data, b"Subject: x\r\n\r\n.leading dot\n");
        assert!(read_line(&mut reader, &mut line).await.unwrap());
        assert_eq!(line, b"after\r\n");
        // The client leaving in the middle of DATA.
        let mut reader = BufReader::new(&b"Subject: x\r\nbody"[..]);
        assert!(read_data(&mut reader, &mut line).await.unwrap().is_none());
    }
}
