//! Delivery of one notification to one receiver: webhook (JSON, signed
//! with HMAC-SHA256), Slack, Mattermost and Teams incoming webhooks, ntfy,
//! and e-mail (through the server's SMTP relay, `REMPART_SMTP_URL`).
//!
//! The webhook request carries:
//! - `X-Rempart-Delivery`: `<tenant>-<outbox id>`, the same on every
//!   retry, so a receiver can drop a repeat;
//! - `X-Rempart-Signature`: `sha256=<hex>`, the HMAC-SHA256 of the exact
//!   body bytes with the channel's `secret` (when it has one).

use std::path::Path;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use rempart_backup::secrets;
use rempart_core::plan::{Channel, Plan};
use rempart_store::Notification;
use serde_json::json;
use sha2::Sha256;

/// Longest a single delivery attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

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
fn chat_text(n: &Notification) -> String {
    let text = n.body["text"].as_str().unwrap_or_default();
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
) -> Result<(), Failed> {
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
        let mut why = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            why = format!("{why}: {c}");
            cause = c.source();
        }
        Failed::retry(why.replace(url, "<url>"))
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
    client: &reqwest::Client,
    plan: &Plan,
    base: &Path,
    n: &Notification,
) -> Result<(), Failed> {
    if n.channel.starts_with("contact:") {
        return crate::notify::channel::email(plan, n);
    }
    let Some(channel) = plan.channels.iter().find(|c| c.id().as_str() == n.channel) else {
        return Err(Failed::permanent(format!(
            "the plan has no channel \"{}\" any more",
            n.channel
        )));
    };
    let secret = |s: &rempart_core::plan::SecretRef, what: &str| {
        secrets::resolve(s, base, what).map_err(|e| Failed::permanent(e.to_string()))
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
            post(client, &w.url, body, headers).await
        }
        Channel::Slack(c) | Channel::Mattermost(c) | Channel::Teams(c) => {
            let url = secret(&c.url, &format!("channel \"{}\" URL", c.id))?;
            let body = json!({ "text": chat_text(n) }).to_string().into_bytes();
            post(client, &url, body, vec![]).await
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
            let text = n.body["text"].as_str().unwrap_or(&n.subject).to_owned();
            post(client, &c.url, text.into_bytes(), headers).await
        }
        Channel::Email(_) => email(plan, n),
    }
}

/// E-mail needs the server's SMTP relay; without one the notification is
/// given up at once, saying so, rather than retried for nothing.
pub fn email(_plan: &Plan, _n: &Notification) -> Result<(), Failed> {
    Err(Failed::permanent(
        "e-mail is not sent yet: this version of Rempart has no SMTP delivery",
    ))
}
