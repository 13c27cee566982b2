//! The sender: claims due notifications from the outbox with a lease,
//! delivers them, and records each delivery (or give-up) as evidence. A
//! failed attempt is retried with exponential backoff (1 s, 2 s, 4 s… at
//! most 5 min) for up to two days.
//!
//! Grouping: a new alert (or a recovery) for a receiver that got one less
//! than [`Sender::group_ms`] ago is held until that window ends, then sent
//! with every other held there as one message. The first of an incident
//! goes out at once; the monitors that follow it go together.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{Notification, Store, now_ms};
use serde_json::json;
use tokio::sync::watch;

use super::channel::{self, Failed};
use crate::plans::{PlanCache, active_plan};

/// How long a sender holds a notification it tries.
const LEASE_MS: i64 = 30_000;
/// Notifications claimed per round.
const BATCH: i64 = 256;
/// Longest wait between two retries.
const MAX_BACKOFF_MS: i64 = 5 * 60_000;
/// How often open alerts are held against vital processes' RTO, to
/// propose a crisis.
const PROPOSE_EVERY: Duration = Duration::from_secs(30);

/// After this long, a notification still not delivered is given up.
pub const GIVE_UP_AFTER_MS: i64 = 2 * 86_400_000;

/// When to try again after `attempts` failed attempts (counting this one).
pub fn next_try(now_ms: i64, attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    now_ms + (1_000i64 << exp).min(MAX_BACKOFF_MS)
}

pub struct Sender {
    pub store: Store,
    /// This process's name in leases.
    pub owner: String,
    /// The base of plans sent through the API.
    pub data_dir: PathBuf,
    pub poll: Duration,
    /// New alerts (and recoveries) to one receiver closer than this are
    /// sent together; 0 sends each at once.
    pub group_ms: i64,
    transports: channel::Transports,
    plans: PlanCache,
    /// When each (tenant, receiver, class) last got a message.
    last_sent: Mutex<HashMap<GroupKey, i64>>,
}

type GroupKey = (String, String, &'static str);

/// (tenant, channel): one receiver of notifications.
type Receiver = (String, String);

/// What a notification may be grouped with: new alerts (`down`) and
/// recoveries (`up`); escalations, reminders and the rest go alone.
pub fn class(n: &Notification) -> Option<&'static str> {
    match n.body["kind"].as_str() {
        Some("alert") if n.dedup_key.ends_with("/step/0") => Some("down"),
        Some("recovery") => Some("up"),
        _ => None,
    }
}

impl Sender {
    /// A sender; `smtp` is the relay for e-mail (see [`channel::Smtp`]),
    /// `public_url` the server's address in acknowledgement links.
    pub async fn new(
        store: Store,
        owner: String,
        data_dir: PathBuf,
        smtp: Option<channel::Smtp>,
        public_url: Option<String>,
        ack_valid_ms: i64,
    ) -> Sender {
        let ack = match public_url {
            Some(public_url) => match store.server_secret("ack").await {
                Ok(key) => Some(channel::AckLinks {
                    public_url,
                    key,
                    valid_ms: ack_valid_ms,
                }),
                Err(e) => {
                    tracing::warn!(error = %e, "alerts go without acknowledgement links");
                    None
                }
            },
            None => None,
        };
        Sender {
            store,
            owner,
            data_dir,
            poll: Duration::from_millis(250),
            group_ms: 60_000,
            last_sent: Mutex::default(),
            transports: channel::Transports {
                http: reqwest::Client::new(),
                // As `Client::new()` above, it fails only when no TLS backend
                // can start; a client without the filter is never a fallback.
                public_http: crate::reach::public_only(reqwest::Client::builder(), 10)
                    .build()
                    .expect("an HTTP client (TLS backend)"),
                smtp,
                ack,
            },
            plans: PlanCache::default(),
        }
    }

    /// Shares `plans` (parsed once for the whole server).
    #[must_use]
    pub fn with_plans(mut self, plans: PlanCache) -> Self {
        self.plans = plans;
        self
    }

    /// Notifies the next step of every alert nobody acknowledged in time.
    async fn escalate_due(&self) {
        let due = match self
            .store
            .claim_due_alerts(&self.owner, now_ms(), LEASE_MS)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim due alerts");
                return;
            }
        };
        for alert in due {
            let Ok(tenant) = self.store.tenant(&alert.tenant).await else {
                continue;
            };
            let Some(active) = active_plan(&tenant, &self.data_dir, &self.plans).await else {
                continue;
            };
            match super::alert::escalate(&tenant, &active.plan, &alert).await {
                Ok((step, next)) => {
                    if let Err(e) = self
                        .store
                        .advance_alert(alert.id, &self.owner, step, next)
                        .await
                    {
                        tracing::warn!(error = %e, "cannot record the escalation of alert {}", alert.id);
                    }
                    tracing::info!(alert = alert.id, step, "alert escalated");
                }
                Err(why) => tracing::warn!("cannot escalate alert {}: {why}", alert.id),
            }
        }
    }

    /// Does what is due in open crises: calls unanswered past their
    /// delay passed over to alternates, regulatory reminders, exercise
    /// injects (`crate::crisis::act`).
    async fn crises_due(&self) {
        let now = now_ms();
        let due = match self
            .store
            .claim_due_crises(&self.owner, now, LEASE_MS)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim due crises");
                return;
            }
        };
        for row in due {
            let Ok(tenant) = self.store.tenant(&row.tenant).await else {
                continue;
            };
            let Some(active) = active_plan(&tenant, &self.data_dir, &self.plans).await else {
                continue;
            };
            let next = match crate::crisis::act_held(&tenant, &active.plan, &row.id, now).await {
                Ok(next) => next,
                Err(why) => {
                    tracing::warn!("crisis {} of {}: {why}", row.id, row.tenant);
                    // Tried again after a lease's time.
                    Some(now + LEASE_MS)
                }
            };
            if let Err(e) = self
                .store
                .release_crisis(&row.tenant, &row.id, &self.owner, next)
                .await
            {
                tracing::warn!(error = %e, "cannot release crisis {}", row.id);
            }
        }
    }

    /// Proposes a crisis where an outage has taken a vital process past
    /// half its RTO (`crate::crisis::propose`, once per outage).
    async fn propose_crises(&self) {
        let tenants = match self.store.tenants_with_open_alerts().await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list open alerts");
                return;
            }
        };
        for id in tenants {
            let Ok(tenant) = self.store.tenant(&id).await else {
                continue;
            };
            let Some(active) = active_plan(&tenant, &self.data_dir, &self.plans).await else {
                continue;
            };
            match crate::crisis::propose(&tenant, &active.plan, now_ms()).await {
                Ok(p) if !p.is_empty() => {
                    tracing::info!(tenant = id, proposals = p.len(), "crisis proposed")
                }
                Ok(_) => {}
                Err(why) => tracing::warn!("cannot propose a crisis for {id}: {why}"),
            }
        }
    }

    /// Delivers until `shutdown` becomes true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        // Long ago: the first pass proposes at once.
        let mut last_proposal = std::time::Instant::now()
            .checked_sub(PROPOSE_EVERY)
            .unwrap_or_else(std::time::Instant::now);
        loop {
            if *shutdown.borrow() {
                break;
            }
            this.escalate_due().await;
            this.crises_due().await;
            if last_proposal.elapsed() >= PROPOSE_EVERY {
                last_proposal = std::time::Instant::now();
                this.propose_crises().await;
            }
            let claimed = this
                .store
                .claim_notifications(&this.owner, now_ms(), LEASE_MS, BATCH)
                .await;
            let busy = match claimed {
                Ok(batch) => {
                    let n = batch.len();
                    // One lane per receiver, in the order queued (an alert
                    // before its recovery); receivers in parallel.
                    let mut lanes: Vec<(Receiver, Vec<Vec<Notification>>)> = Vec::new();
                    for group in this.group(batch).await {
                        let receiver = (group[0].tenant.clone(), group[0].channel.clone());
                        match lanes.iter_mut().find(|(r, _)| *r == receiver) {
                            Some((_, lane)) => lane.push(group),
                            None => lanes.push((receiver, vec![group])),
                        }
                    }
                    let mut tasks = tokio::task::JoinSet::new();
                    for (_, lane) in lanes {
                        let me = Arc::clone(&this);
                        tasks.spawn(async move {
                            for group in lane {
                                me.deliver(group).await;
                            }
                        });
                    }
                    while tasks.join_next().await.is_some() {}
                    n > 0
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: cannot claim notifications");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    () = tokio::time::sleep(this.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    /// Sorts claimed notifications into what goes now, one message per
    /// group, and holds those that follow a message to the same receiver
    /// by less than the grouping window.
    async fn group(&self, batch: Vec<Notification>) -> Vec<Vec<Notification>> {
        let now = now_ms();
        let mut groups: Vec<Vec<Notification>> = Vec::new();
        let mut index: HashMap<GroupKey, usize> = HashMap::new();
        for note in batch {
            let Some(c) = class(&note).filter(|_| self.group_ms > 0) else {
                groups.push(vec![note]);
                continue;
            };
            let key = (note.tenant.clone(), note.channel.clone(), c);
            let last = self
                .last_sent
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&key)
                .copied();
            if let Some(last) = last
                && note.attempts == 0
                && now < last + self.group_ms
            {
                match self
                    .store
                    .notification_postponed(note.id, &self.owner, last + self.group_ms)
                    .await
                {
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox: cannot hold notification {}", note.id)
                    }
                }
            }
            match index.get(&key) {
                Some(&i) => groups[i].push(note),
                None => {
                    index.insert(key, groups.len());
                    groups.push(vec![note]);
                }
            }
        }
        groups
    }

    /// One attempt at one message (one notification, or several to the
    /// same receiver together), recorded for each notification.
    async fn deliver(&self, notes: Vec<Notification>) {
        // One message for the group (the notification itself when alone).
        let Some(message) = channel::combine(&self.transports, &notes) else {
            return;
        };
        let first = &notes[0];
        let tenant = match self.store.tenant(&first.tenant).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "outbox: tenant of notification {} unreadable", first.id);
                return;
            }
        };
        let started = now_ms();
        let outcome = match active_plan(&tenant, &self.data_dir, &self.plans).await {
            Some(active) => {
                let r = match active.resolver(&tenant).await {
                    // An error may quote a URL that is itself a secret (a chat webhook).
                    Ok(env) => channel::deliver(&self.transports, &active.plan, &env, &message)
                        .await
                        .map_err(|mut f| {
                            f.why = env.scrubber.scrub(&f.why);
                            f
                        }),
                    Err(why) => Err(Failed {
                        why,
                        permanent: false,
                    }),
                };
                Some((active.plan, r))
            }
            None => None,
        };
        let now = now_ms();
        let (plan, result) = match outcome {
            Some((plan, r)) => (Some(plan), r),
            None => (
                None,
                Err(Failed {
                    why: "the tenant has no plan".into(),
                    permanent: false,
                }),
            ),
        };
        if result.is_ok()
            && let Some(c) = class(first)
        {
            self.last_sent
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert((first.tenant.clone(), first.channel.clone(), c), now);
        }
        let with: Vec<i64> = notes.iter().map(|n| n.id).collect();
        for n in &notes {
            self.record(&tenant, plan.as_deref(), n, &result, started, now, &with)
                .await;
        }
    }

    /// Records one notification's attempt: sent, to retry, or given up.
    #[allow(clippy::too_many_arguments)]
    async fn record(
        &self,
        tenant: &rempart_store::TenantScope,
        plan: Option<&rempart_core::plan::Plan>,
        n: &Notification,
        result: &Result<(), Failed>,
        started: i64,
        now: i64,
        with: &[i64],
    ) {
        let (kind, to) = plan
            .map(|p| channel::describe(p, &n.channel))
            .unwrap_or_default();
        let attempts = n.attempts + 1;
        let measurements = json!({
            "outbox_id": n.id,
            "channel": n.channel,
            "channel_kind": kind,
            "to": to,
            "dedup_key": n.dedup_key,
            "attempts": attempts,
            "queued_ms": n.created_ms,
            "delay_ms": now - n.created_ms,
            "sent_with": (with.len() > 1).then_some(with),
            // Which file went with it: its digest matches the document's record.
            "attachment": n.attachment.as_ref().map(|a| json!({
                "file_name": a.file_name,
                "bytes": a.content.len(),
                "sha256": sha256_hex(&a.content),
            })),
        });
        // The record's sentence is kept to be said in each reader's
        // language; its message is the English one.
        let record = |outcome: Outcome, said: serde_json::Value| {
            let mut m = measurements.clone();
            m["say"] = said.clone();
            NewEvidence {
                kind: EvidenceKind::Notification,
                subject: n.channel.clone(),
                started_ms: started,
                finished_ms: now,
                outcome,
                measurements: m,
                message: rempart_i18n::english(&said),
                job_run: None,
            }
        };
        match result {
            Ok(()) => {
                match self.store.notification_sent(n.id, &self.owner, now).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(
                            "outbox: notification {} was sent after its lease ran out",
                            n.id
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "outbox: cannot record delivery {}", n.id),
                }
                let said = rempart_i18n::say!(
                    "said-notification-delivered",
                    subject = n.subject.as_str(),
                    to = n.channel.as_str(),
                    attempts = attempts
                );
                if let Err(e) = tenant.append(record(Outcome::Success, said)).await {
                    tracing::warn!(error = %e, "outbox: cannot record the evidence of {}", n.id);
                }
            }
            Err(failed) => {
                let give_up = failed.permanent || now - n.created_ms > GIVE_UP_AFTER_MS;
                let retry = (!give_up).then(|| next_try(now, attempts));
                tracing::info!(
                    channel = %n.channel,
                    attempts,
                    "outbox: notification {} not delivered: {}",
                    n.id,
                    failed.why
                );
                if let Err(e) = self
                    .store
                    .notification_failed(n.id, &self.owner, now, &failed.why, retry)
                    .await
                {
                    tracing::warn!(error = %e, "outbox: cannot record the failed attempt {}", n.id);
                }
                if give_up {
                    let said = rempart_i18n::say!(
                        "said-notification-given-up",
                        subject = n.subject.as_str(),
                        to = n.channel.as_str(),
                        attempts = attempts,
                        why = failed.why.as_str()
                    );
                    if let Err(e) = tenant.append(record(Outcome::Failure, said)).await {
                        tracing::warn!(error = %e, "outbox: cannot record the evidence of {}", n.id);
                    }
                }
            }
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_five_minutes() {
        let delays: Vec<i64> = (1..=12).map(|a| next_try(0, a)).collect();
        assert_eq!(&delays[..5], &[1_000, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(delays[8], 256_000);
        assert_eq!(delays[9], MAX_BACKOFF_MS);
        assert_eq!(next_try(0, 1_000), MAX_BACKOFF_MS);
    }

    #[test]
    fn signatures_are_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            channel::signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
