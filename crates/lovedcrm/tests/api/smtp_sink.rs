//! A small SMTP server on loopback that accepts every message, for tests:
//! it speaks real SMTP (EHLO, MAIL, RCPT, DATA with dot-stuffing, RSET,
//! NOOP, QUIT), so lettre talks to it exactly as to a relay.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA as received (headers and body, CRLF line ends, unstuffed).
    pub data: String,
}

#[derive(Default)]
struct Inbox {
    mails: Mutex<Vec<Mail>>,
    arrived: Notify,
    /// Replies to give, in turn, to the next `RCPT TO` of an address
    /// instead of accepting it (see [`SmtpSink::refuse`]).
    refusals: Mutex<std::collections::HashMap<String, std::collections::VecDeque<String>>>,
    /// Every refusal given, as (address, reply).
    refused: Mutex<Vec<(String, String)>>,
}

pub struct SmtpSink {
    pub port: u16,
    inbox: Arc<Inbox>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Inbox::default());
        let accepting = inbox.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, accepting.clone()));
            }
        });
        SmtpSink { port, inbox }
    }

    /// The next `RCPT TO:<to>` get these replies, one each (e.g. "451 4.3.0
    /// try again later", "550 5.1.1 no such user"), then are accepted.
    pub fn refuse(&self, to: &str, replies: &[&str]) {
        self.inbox
            .refusals
            .lock()
            .unwrap()
            .entry(to.to_string())
            .or_default()
            .extend(replies.iter().map(|r| r.to_string()));
    }

    /// The refusals given so far to `to`.
    pub fn refused(&self, to: &str) -> Vec<String> {
        self.inbox
            .refused
            .lock()
            .unwrap()
            .iter()
            .filter(|(address, _)| address == to)
            .map(|(_, reply)| reply.clone())
            .collect()
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.inbox.mails.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.inbox.mails.lock().unwrap().len()
    }

    /// Waits (up to `timeout`) until a message to `to` arrives; returns the latest one.
    pub async fn wait_for(&self, to: &str, timeout: Duration) -> Mail {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.inbox.arrived.notified();
            if let Some(mail) = self
                .mails()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t == to))
            {
                return mail;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("no mail to {to} within {timeout:?}");
            }
        }
    }

    /// Waits for a message to `to` with a link to `path`; returns the latest.
    pub async fn wait_for_link(&self, to: &str, path: &str, timeout: Duration) -> Mail {
        let deadline = tokio::time::Instant::now() + timeout;
        let needle = format!("{path}?token=");
        loop {
            let arrived = self.inbox.arrived.notified();
            if let Some(mail) = self
                .mails()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t == to) && m.text().contains(&needle))
            {
                return mail;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("no mail to {to} with a {path} link within {timeout:?}");
            }
        }
    }

    /// Waits until messages to `to` number at least `n`; returns them.
    pub async fn wait_for_n(&self, to: &str, n: usize, timeout: Duration) -> Vec<Mail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.inbox.arrived.notified();
            let found: Vec<Mail> = self
                .mails()
                .into_iter()
                .filter(|m| m.to.iter().any(|t| t == to))
                .collect();
            if found.len() >= n {
                return found;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("{} of {n} mails to {to} within {timeout:?}", found.len());
            }
        }
    }
}

async fn session(stream: TcpStream, inbox: Arc<Inbox>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 sink ESMTP ready\r\n").await.is_err() {
        return;
    }
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let refusal: String;
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 sink\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command);
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&command);
            let refused = inbox
                .refusals
                .lock()
                .unwrap()
                .get_mut(&rcpt)
                .and_then(|replies| replies.pop_front());
            match refused {
                Some(reply) => {
                    inbox.refused.lock().unwrap().push((rcpt, reply.clone()));
                    refusal = format!("{reply}\r\n");
                    refusal.as_bytes()
                }
                None => {
                    to.push(rcpt);
                    b"250 OK\r\n"
                }
            }
        } else if upper == "DATA" {
            if write
                .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing: a leading ".." stands for ".".
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            // Recorded once acknowledged, as a real relay takes responsibility.
            if write.write_all(b"250 OK queued\r\n").await.is_err() {
                return;
            }
            inbox.mails.lock().unwrap().push(Mail {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            inbox.arrived.notify_waiters();
            continue;
        } else if upper == "RSET" {
            to.clear();
            b"250 OK\r\n"
        } else if upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// `MAIL FROM:<a@b> SIZE=…` → `a@b`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}

impl Mail {
    /// A top-level header, e.g. `Subject`.
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = self.data.split_once("\r\n\r\n")?;
        unfold(head).into_iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    /// The decoded body of the part whose Content-Type starts with `mime`.
    pub fn part(&self, mime: &str) -> Option<String> {
        let content_type = self.header("Content-Type")?;
        let boundary = content_type
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))?
            .trim_matches('"')
            .to_string();
        let marker = format!("--{boundary}");
        self.data.split(marker.as_str()).find_map(|part| {
            let (head, body) = part.trim_start_matches("\r\n").split_once("\r\n\r\n")?;
            let headers = unfold(head);
            let get = |name: &str| {
                headers.iter().find_map(|h| {
                    let (k, v) = h.split_once(':')?;
                    k.eq_ignore_ascii_case(name)
                        .then(|| v.trim().to_ascii_lowercase())
                })
            };
            if !get("Content-Type")?.starts_with(mime) {
                return None;
            }
            let body = body.strip_suffix("\r\n").unwrap_or(body);
            Some(match get("Content-Transfer-Encoding").as_deref() {
                Some("base64") => {
                    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                    String::from_utf8(
                        base64::engine::general_purpose::STANDARD
                            .decode(compact)
                            .unwrap(),
                    )
                    .unwrap()
                }
                Some("quoted-printable") => quoted_printable(body),
                _ => body.to_string(),
            })
        })
    }

    pub fn text(&self) -> String {
        self.part("text/plain").expect("a text/plain part")
    }

    pub fn html(&self) -> String {
        self.part("text/html").expect("a text/html part")
    }

    /// The value of `?token=` in the first link to `path` in the text part.
    pub fn token(&self, path: &str) -> String {
        let text = self.text();
        let needle = format!("{path}?token=");
        let start = text
            .find(&needle)
            .unwrap_or_else(|| panic!("no {needle} link in:\n{text}"))
            + needle.len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }
}

/// Header lines with their continuation lines joined.
fn unfold(head: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            out.push(line.to_string());
        }
    }
    out
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
