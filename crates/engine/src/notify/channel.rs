//! Delivery of one notification to one receiver: webhook (JSON, signed
//! with HMAC-SHA256), Slack, Mattermost and Teams incoming webhooks, ntfy,
//! and e-mail (through the server's SMTP relay, [`Smtp`]).
//!
//! The webhook request carries:
//! - `X-Rempart-Delivery`: `<tenant>-<outbox id>`, the same on every
//!   retry, so a receiver can drop a repeat;
//! - `X-Rempart-Signature`: `sha256=<hex>`, the HMAC-SHA256 of the exact
//!   body bytes with the channel's `secret` (when it has one).
//!
//! Several notifications to one receiver may go as one message
//! ([`combine`]): its webhook body then has `grouped`, one entry per
//! notification (`id`, `subject`, `text`, `alert`, `ack_url`), and `alert`
//! and `ack_url` are null at the top.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rempart_backup::secrets::Resolver;
use rempart_core::plan::{Channel, Plan};
use rempart_store::Notification;
use serde_json::json;
use sha2::Sha256;

/// Longest a single delivery attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's SMTP relay for e-mail: `REMPART_SMTP_URL`
/// (`smtp://user:password@host:587?tls=required` for STARTTLS,
/// `smtps://…:465` for TLS, `smtp://host:25` in clear) and
/// `REMPART_SMTP_FROM` (the sender, e.g. `Rempart <alertes@example.fr>`).
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The relay without its password, for messages.
    relay: String,
}

impl Smtp {
    /// The relay the environment names, `None` when it names none.
    pub fn from_env() -> Result<Option<Smtp>, String> {
        let Ok(url) = std::env::var("REMPART_SMTP_URL") else {
            return Ok(None);
        };
        let relay = rempart_store::redact_url(&url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("REMPART_SMTP_URL ({relay}) is not an SMTP URL such as smtp://user:password@host:587?tls=required: {e}"))?
            .timeout(Some(ATTEMPT_TIMEOUT))
            .build();
        let from_text = std::env::var("REMPART_SMTP_FROM")
            .unwrap_or_else(|_| "Rempart <rempart@localhost>".into());
        let from = from_text
            .parse::<Mailbox>()
            .map_err(|e| format!("REMPART_SMTP_FROM \"{from_text}\" is not an address such as Rempart <alertes@example.fr>: {e}"))?;
        Ok(Some(Smtp {
            transport,
            from,
            relay,
        }))
    }
}

/// How notifications leave: HTTP for webhooks and chats, SMTP for e-mail;
/// and how alerts are acknowledged: links under the server's public URL,
/// signed with its `ack` secret.
pub struct Transports {
    pub http: reqwest::Client,
    /// For clients' plans: public addresses only (`crate::reach`).
    pub public_http: reqwest::Client,
    pub smtp: Option<Smtp>,
    pub ack: Option<AckLinks>,
}

/// What acknowledgement links are made of.
pub struct AckLinks {
    /// The server's address as people reach it.
    pub public_url: String,
    /// The `ack` secret that signs them.
    pub key: String,
    /// How long a link works after it is sent, in ms.
    pub valid_ms: i64,
}

impl Transports {
    /// The acknowledgement link of `n`'s alert, when it is an alert: it
    /// names the receiver it goes to and works until `valid_ms` from now.
    pub fn ack_link(&self, n: &Notification) -> Option<String> {
        let id = n.body["alert"].as_i64()?;
        if n.body["kind"] != "alert" {
            return None;
        }
        let links = self.ack.as_ref()?;
        let until_s = (rempart_store::now_ms().saturating_add(links.valid_ms)) / 1000;
        let sig = super::ack_signature(&links.key, &n.tenant, id, &n.channel, until_s);
        Some(format!(
            "{}/ack/{}/{id}/{}/{until_s}/{sig}",
            links.public_url.trim_end_matches('/'),
            n.tenant,
            n.channel
        ))
    }

    /// The answer link of a crisis call: the person called says "I'm on
    /// it" or "I can't" there, without a login. It names the crisis and
    /// the contact called, and works until `valid_ms` from now.
    pub fn answer_link(&self, n: &Notification) -> Option<String> {
        if n.body["kind"] != "crisis-call" {
            return None;
        }
        let crisis = n.body["crisis"].as_str()?;
        let contact = n.body["contact"].as_str()?;
        let links = self.ack.as_ref()?;
        let until_s = (rempart_store::now_ms().saturating_add(links.valid_ms)) / 1000;
        let sig = super::answer_signature(&links.key, &n.tenant, crisis, contact, until_s);
        Some(format!(
            "{}/crisis/{}/{crisis}/{contact}/{until_s}/{sig}",
            links.public_url.trim_end_matches('/'),
            n.tenant,
        ))
    }
}

/// The message text, with the acknowledgement link of an alert or the
/// answer link of a crisis call.
fn text_with_link(transports: &Transports, n: &Notification) -> String {
    let text = n.body["text"].as_str().unwrap_or_default().to_owned();
    if let Some(link) = transports.ack_link(n) {
        return format!("{text}\nAcquitter / Acknowledge: {link}");
    }
    if let Some(link) = transports.answer_link(n) {
        return format!("{text}\nRépondre / Answer: {link}");
    }
    match (&transports.ack, n.body["kind"].as_str()) {
        (Some(links), Some("crisis-proposal")) => format!(
            "{text}\nDéclarer / Declare: {}/t/{}/crisis",
            links.public_url.trim_end_matches('/'),
            n.tenant
        ),
        _ => text,
    }
}

/// The most monitors named in a grouped message's subject.
const NAMES_IN_SUBJECT: usize = 5;

/// The language a notification was queued in (its organisation's).
fn language(n: &Notification) -> rempart_i18n::Lang {
    n.body["language"]
        .as_str()
        .and_then(rempart_i18n::Lang::parse)
        .unwrap_or(rempart_i18n::Lang::En)
}

/// One message for several notifications of one kind to the same
/// receiver (an incident touching many monitors): the first's id, a
/// subject that counts and names them, and each one's subject, text and
/// acknowledgement link in turn.
pub fn combine(transports: &Transports, notes: &[Notification]) -> Option<Notification> {
    let first = notes.first()?;
    if notes.len() == 1 {
        return Some(first.clone());
    }
    let lang = language(first);
    let recovery = first.body["kind"] == "recovery";
    let names: Vec<&str> = notes
        .iter()
        .map(|n| {
            n.subject
                .split_once("] ")
                .map_or(n.subject.as_str(), |(_, name)| name)
        })
        .collect();
    let mut named = names[..names.len().min(NAMES_IN_SUBJECT)].join(", ");
    if names.len() > NAMES_IN_SUBJECT {
        named += "…";
    }
    let subject = if recovery {
        rempart_i18n::t!(
            lang,
            "alert-grouped-up-subject",
            count = notes.len(),
            names = named
        )
    } else {
        rempart_i18n::t!(
            lang,
            "alert-grouped-down-subject",
            count = notes.len(),
            names = named
        )
    };
    let text = notes
        .iter()
        .map(|n| format!("{}\n{}", n.subject, text_with_link(transports, n)))
        .collect::<Vec<_>>()
        .join("\n\n");
    let grouped: Vec<serde_json::Value> = notes
        .iter()
        .map(|n| {
            json!({
                "id": format!("{}-{}", n.tenant, n.id),
                "subject": n.subject,
                "text": n.body["text"],
                "alert": n.body["alert"],
                "ack_url": transports.ack_link(n),
            })
        })
        .collect();
    let mut body = first.body.clone();
    body["text"] = json!(text);
    body["alert"] = serde_json::Value::Null;
    body["grouped"] = json!(grouped);
    Some(Notification {
        subject,
        body,
        ..first.clone()
    })
}

/// Why an attempt failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub why: String,
    /// A retry cannot help (bad address, refused as malformed, no such channel).
    pub permanent: bool,
}

impl Failed {
    fn retry(why: impl Into<String>) -> Failed {
        Failed {
            why: why.into(),
            permanent: false,
        }
    }

    fn permanent(why: impl Into<String>) -> Failed {
        Failed {
            why: why.into(),
            permanent: true,
        }
    }
}

/// What a receiver is, for evidence: its kind and where it is (never a secret).
pub fn describe(plan: &Plan, receiver: &str) -> (String, String) {
    if let Some(contact) = receiver.strip_prefix("contact:") {
        let to = plan
            .contacts
            .iter()
            .find(|c| c.id.as_str() == contact)
            .and_then(|c| c.email.clone())
            .unwrap_or_default();
        return ("email".into(), to);
    }
    match plan.channels.iter().find(|c| c.id().as_str() == receiver) {
        Some(Channel::Webhook(w)) => ("webhook".into(), w.url.clone()),
        Some(Channel::Ntfy(n)) => ("ntfy".into(), n.url.clone()),
        Some(Channel::Email(e)) => ("email".into(), e.to.join(", ")),
        Some(c) => (c.kind().into(), String::new()),
        None => ("unknown".into(), String::new()),
    }
}

/// The message text, with its subject, for chat channels.
fn chat_text(transports: &Transports, n: &Notification) -> String {
    let text = text_with_link(transports, n);
    if text.is_empty() {
        n.subject.clone()
    } else {
        format!("**{}**\n{text}", n.subject)
    }
}

/// The HMAC-SHA256 of `body` with `secret`, as `sha256=<hex>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
    public_only: bool,
) -> Result<(), Failed> {
    // A literal address is not resolved: judged here.
    if public_only && let Err(why) = crate::reach::check_url(url) {
        return Err(Failed::permanent(why.replace(url, "<url>")));
    }
    let mut request = client
        .post(url)
        .timeout(ATTEMPT_TIMEOUT)
        .header("Content-Type", "application/json")
        .body(body);
    for (k, v) in headers {
        request = request.header(k, v);
    }
    let response = request.send().await.map_err(|e| {
        // Where it went, not what it carried: URLs of chat webhooks are secrets.
        Failed::retry(crate::probe::http::error_chain(&e).replace(url, "<url>"))
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let why = format!("the receiver answered {status}");
    // 408 and 429 say "later"; other 4xx will not change by retrying.
    if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
        Err(Failed::permanent(why))
    } else {
        Err(Failed::retry(why))
    }
}

/// Delivers `n` to its receiver, as the tenant's `plan` describes it.
pub async fn deliver(
    transports: &Transports,
    plan: &Plan,
    env: &Resolver,
    n: &Notification,
) -> Result<(), Failed> {
    // A client's channels reach public addresses only.
    let client = if env.server_secrets {
        &transports.http
    } else {
        &transports.public_http
    };
    if let Some(contact) = n.channel.strip_prefix("contact:") {
        let to: Vec<String> = plan
            .contacts
            .iter()
            .find(|c| c.id.as_str() == contact)
            .and_then(|c| c.email.clone())
            .into_iter()
            .collect();
        if to.is_empty() {
            return Err(Failed::permanent(format!(
                "contact \"{contact}\" has no e-mail address in the plan"
            )));
        }
        return email(transports, &to, n).await;
    }
    let Some(channel) = plan.channels.iter().find(|c| c.id().as_str() == n.channel) else {
        return Err(Failed::permanent(format!(
            "the plan has no channel \"{}\" any more",
            n.channel
        )));
    };
    let secret = |s: &rempart_core::plan::SecretRef, what: &str| {
        env.resolve(s, what)
            .map_err(|e| Failed::permanent(e.to_string()))
    };
    let delivery = format!("{}-{}", n.tenant, n.id);
    match channel {
        Channel::Webhook(w) => {
            let body = json!({
                "id": delivery,
                "tenant": n.tenant,
                "channel": n.channel,
                "subject": n.subject,
                "text": n.body["text"],
                "kind": n.body["kind"],
                "alert": n.body["alert"],
                "ack_url": transports.ack_link(n),
                "answer_url": transports.answer_link(n),
                "crisis": n.body.get("crisis"),
                "grouped": n.body.get("grouped"),
                "created_ms": n.created_ms,
                "attempt": n.attempts + 1,
            })
            .to_string()
            .into_bytes();
            let mut headers = vec![("X-Rempart-Delivery", delivery)];
            if let Some(s) = &w.secret {
                let key = secret(s, &format!("channel \"{}\" secret", w.id))?;
                headers.push(("X-Rempart-Signature", signature(&key, &body)));
            }
            post(client, &w.url, body, headers, !env.server_secrets).await
        }
        Channel::Slack(c) | Channel::Mattermost(c) | Channel::Teams(c) => {
            let url = secret(&c.url, &format!("channel \"{}\" URL", c.id))?;
            let body = json!({ "text": chat_text(transports, n) })
                .to_string()
                .into_bytes();
            post(client, &url, body, vec![], !env.server_secrets).await
        }
        Channel::Ntfy(c) => {
            let mut headers = vec![
                ("Title", n.subject.clone()),
                ("X-Rempart-Delivery", delivery),
            ];
            if let Some(t) = &c.token {
                let token = secret(t, &format!("channel \"{}\" token", c.id))?;
                headers.push(("Authorization", format!("Bearer {token}")));
            }
            let mut text = text_with_link(transports, n);
            if text.is_empty() {
                text.clone_from(&n.subject);
            }
            post(
                client,
                &c.url,
                text.into_bytes(),
                headers,
                !env.server_secrets,
            )
            .await
        }
        Channel::Email(e) => email(transports, &e.to, n).await,
    }
}

/// Sends `n` by e-mail to `to` through the server's relay.
async fn email(transports: &Transports, to: &[String], n: &Notification) -> Result<(), Failed> {
    let Some(smtp) = transports.smtp.as_ref() else {
        return Err(Failed::permanent(
            "no SMTP relay: set REMPART_SMTP_URL (and REMPART_SMTP_FROM) for `rempart serve`",
        ));
    };
    let mut builder = lettre::Message::builder()
        .from(smtp.from.clone())
        .subject(n.subject.clone());
    for address in to {
        let mailbox = address.parse::<Mailbox>().map_err(|e| {
            Failed::permanent(format!("\"{address}\" is not an e-mail address: {e}"))
        })?;
        builder = builder.to(mailbox);
    }
    let text = text_with_link(transports, n);
    let footer = rempart_i18n::t!(language(n), "mail-footer");
    let body = format!(
        "{text}\n\n-- \n{footer} ({}, {}-{})\n",
        n.body["organization"].as_str().unwrap_or_default(),
        n.tenant,
        n.id
    );
    let message = match &n.attachment {
        // The text, then the file (a report's PDF), as one mixed message.
        Some(file) => {
            let kind = ContentType::parse(&file.content_type).map_err(|e| {
                Failed::permanent(format!(
                    "the attachment's type \"{}\" is not a MIME type: {e}",
                    file.content_type
                ))
            })?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body))
                    .singlepart(
                        lettre::message::Attachment::new(file.file_name.clone())
                            .body(file.content.clone(), kind),
                    ),
            )
        }
        None => builder.header(ContentType::TEXT_PLAIN).body(body),
    }
    .map_err(|e| Failed::permanent(format!("cannot build the e-mail: {e}")))?;
    match smtp.transport.send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => {
            Err(Failed::permanent(format!("SMTP relay {}: {e}", smtp.relay)))
        }
        Err(e) => Err(Failed::retry(format!("SMTP relay {}: {e}", smtp.relay))),
    }
}
