//! Notifications: queued in the store's outbox before anything is sent
//! ([`queue`]), then delivered by the [`sender`] with retries and
//! exponential backoff; each delivery, and each notification given up, is
//! evidence. A restart or a crash loses none: what was not recorded as
//! sent is sent again.

pub mod alert;
pub mod channel;
pub mod sender;

use rempart_core::plan::Plan;
use rempart_store::{Attachment, NewNotification, StoreError, TenantScope, now_ms};
use serde_json::json;

/// Where a notification for `id` goes: a channel of the plan, a contact
/// (by e-mail), or each member of a team. `Err` names an unknown id.
pub fn receivers(plan: &Plan, id: &str) -> Result<Vec<String>, String> {
    if plan.channels.iter().any(|c| c.id().as_str() == id) {
        return Ok(vec![id.to_owned()]);
    }
    if plan.contacts.iter().any(|c| c.id.as_str() == id) {
        return Ok(vec![format!("contact:{id}")]);
    }
    if let Some(team) = plan.teams.iter().find(|t| t.id.as_str() == id) {
        return Ok(team
            .members
            .iter()
            .map(|m| format!("contact:{m}"))
            .collect());
    }
    Err(format!(
        "\"{id}\" is not a channel, contact or team of the plan"
    ))
}

/// A message for people, before it is addressed.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub subject: String,
    pub text: String,
    /// What raised it: `drill`, `test`, an alert…
    pub kind: &'static str,
    /// The alert it is about, which its receivers may acknowledge.
    pub alert: Option<i64>,
}

/// Queues `message` for each receiver of `to` (channel, contact or team
/// ids), once per receiver and `dedup_key`. Returns the receivers.
pub async fn queue(
    tenant: &TenantScope,
    plan: &Plan,
    to: &[String],
    message: &Message,
    dedup_key: &str,
) -> Result<Vec<String>, String> {
    queue_with(tenant, plan, to, message, dedup_key, None).await
}

/// [`queue`] with a file for each receiver (sent with e-mail; other
/// channels carry the text alone). All receivers are queued in one
/// transaction: after a crash, either all of them are or none.
pub async fn queue_with(
    tenant: &TenantScope,
    plan: &Plan,
    to: &[String],
    message: &Message,
    dedup_key: &str,
    attachment: Option<&Attachment>,
) -> Result<Vec<String>, String> {
    let mut all: Vec<String> = Vec::new();
    for id in to {
        for r in receivers(plan, id)? {
            if !all.contains(&r) {
                all.push(r);
            }
        }
    }
    let notes: Vec<NewNotification> = all
        .iter()
        .map(|r| NewNotification {
            channel: r.clone(),
            dedup_key: dedup_key.to_owned(),
            subject: message.subject.clone(),
            body: json!({
                "kind": message.kind,
                "text": message.text,
                "organization": plan.organization.name,
                "language": plan.organization.language.as_str(),
                "alert": message.alert,
            }),
            attachment: attachment.cloned(),
        })
        .collect();
    tenant
        .enqueue(&notes, now_ms())
        .await
        .map_err(|e: StoreError| e.to_string())?;
    Ok(all)
}

/// How long an acknowledgement link works by default: a week.
pub const ACK_LINK_VALID_MS: i64 = 7 * 86_400_000;

/// The signature of the acknowledgement link of alert `id` of `tenant`,
/// sent to receiver `to` and valid until `until_s` (seconds since the
/// epoch): HMAC-SHA256 with the server's `ack` secret, in hex.
pub fn ack_signature(key: &str, tenant: &str, id: i64, to: &str, until_s: i64) -> String {
    channel::signature(key, format!("ack/{tenant}/{id}/{to}/{until_s}").as_bytes())
        .trim_start_matches("sha256=")
        .to_owned()
}

/// The signature of the answer link of `contact`, called in crisis
/// `crisis` of `tenant`, valid until `until_s`: HMAC-SHA256 with the
/// server's `ack` secret, in hex.
pub fn answer_signature(
    key: &str,
    tenant: &str,
    crisis: &str,
    contact: &str,
    until_s: i64,
) -> String {
    channel::signature(
        key,
        format!("crisis/{tenant}/{crisis}/{contact}/{until_s}").as_bytes(),
    )
    .trim_start_matches("sha256=")
    .to_owned()
}
