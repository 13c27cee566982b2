//! The supervisor: every tenant's monitors checked on their intervals from
//! memory, not through the job queue — 10 000 monitors at 30 s are 333
//! checks a second, which a claim, a run record and an evidence record per
//! check could not sustain.
//!
//! One loop owns every monitor's state ([`Tracker`]): it launches due
//! checks (at most [`SupervisorConfig::max_checks`] at once; a check still
//! running when it is due again is skipped and counted late), takes their
//! results, confirms changes, and hands what must be written to one writer
//! task, in order. What is written:
//! - every check, counted in its minute bucket (SLA), a few seconds' worth
//!   at once;
//! - every monitor's state, on a change at once, otherwise with the counts;
//! - a `probe` evidence record when the check's result differs from the
//!   previous one, when the state changes, on the first check after a
//!   start, and otherwise once per [`SupervisorConfig::sample_every`]:
//!   what was seen stays provable without a record per check;
//! - on a confirmed change: the outage opened or closed, the alert raised.
//!
//! Servers sharing a PostgreSQL elect one supervisor (an advisory lock);
//! the others wait to take over.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::monitoring::{Change, Health, Rules, Tracker};
use rempart_core::plan::{MonitorKind, Plan};
use rempart_core::sla::Bucket;
use rempart_store::{Store, TenantScope, Window, now_ms};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::Instant;

use crate::metrics::Metrics;
use crate::plans::{PlanCache, active_plan_checked};
use crate::probe::{self, Check, DEFAULT_TIMEOUT, Probe, ProbeCx};

#[derive(Debug, Clone)]
pub struct SupervisorConfig {
    /// The server's data dir (the base of plans sent by API).
    pub data_dir: PathBuf,
    /// Most checks in flight at once.
    pub max_checks: usize,
    /// How often counts and states are written, and plans and maintenance
    /// windows read again.
    pub flush_every: Duration,
    /// A monitor whose checks change nothing still gets a `probe` record
    /// this often.
    pub sample_every: Duration,
}

impl Default for SupervisorConfig {
    fn default() -> Self {
        SupervisorConfig {
            data_dir: PathBuf::from("rempart-data"),
            max_checks: 512,
            flush_every: Duration::from_secs(5),
            sample_every: Duration::from_secs(600),
        }
    }
}

/// The least time between two checks of a heartbeat woken by its pings.
const WAKE_SPACING: Duration = Duration::from_secs(1);

/// The role servers sharing a store elect one of.
pub const ROLE: &str = "supervisor";

/// How often a monitor is checked: its interval; a heartbeat is judged
/// every 30 s (or within its grace when shorter); the RPO watch every 5
/// minutes unless told otherwise.
pub fn every(m: &rempart_core::plan::Monitor) -> Option<Duration> {
    let d = match m.kind {
        MonitorKind::Heartbeat => Some(
            m.grace
                .unwrap_or(probe::HEARTBEAT_EVERY)
                .min(probe::HEARTBEAT_EVERY)
                .max(rempart_core::plan::Duration::from_secs(1)),
        ),
        MonitorKind::Backup => Some(
            m.interval
                .unwrap_or(rempart_core::plan::Duration::from_secs(300)),
        ),
        _ => m.interval,
    }?;
    Some(Duration::from_millis(d.as_millis().max(1)))
}

/// The first checks after a start are spread over the interval (30 s at
/// most), by a hash of the monitor: no burst of every monitor at once.
fn first_delay(key: &str, every: Duration) -> Duration {
    use sha2::{Digest, Sha256};
    let spread = u64::try_from(every.min(Duration::from_secs(30)).as_millis()).unwrap_or(1);
    let digest = Sha256::digest(key.as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    Duration::from_millis(u64::from_le_bytes(n) % spread.max(1))
}

struct Slot {
    tenant: Arc<str>,
    /// Index in the tenant's plan's monitors.
    monitor: usize,
    probe: Arc<dyn Probe>,
    every: Duration,
    timeout: Duration,
    rules: Rules,
    tracker: Tracker,
    running: bool,
    /// When its next turn is due: a turn in the heap at another time is
    /// stale (the monitor was woken by a ping since) and is dropped.
    next_due: Instant,
    /// A ping arrived while it was being checked: check again at once.
    woken: bool,
    /// When its last check started: a ping wakes it at most once a
    /// second ([`WAKE_SPACING`]), so a burst of pings is not a burst of checks.
    started: Option<Instant>,
    /// The previous check's result, and when the last record was written.
    last_up: Option<bool>,
    recorded_ms: Option<i64>,
    dirty: bool,
}

struct TenantCx {
    scope: TenantScope,
    plan: Arc<Plan>,
    base: Arc<PathBuf>,
    /// A client wrote the plan: its monitors reach public addresses only.
    public_only: bool,
    /// Maintenance windows set through the API, read again at each flush.
    windows: Vec<Window>,
    /// Monitor id → slot key.
    slots: HashMap<String, u64>,
}

/// One check's result, back from its task.
struct Done {
    key: u64,
    found: Check,
    started_ms: i64,
}

/// What the writer writes, in the order it was asked.
enum Write {
    /// A check worth a record (every confirmed change is).
    Event(Box<Event>),
    /// Counted checks and states, per tenant.
    Flush(Vec<(TenantScope, Pending)>),
}

/// A tenant's counted checks (per monitor and minute) and changed states.
#[derive(Default)]
struct Pending {
    counts: Vec<(String, Bucket)>,
    states: Vec<(String, Tracker)>,
}

struct Event {
    scope: TenantScope,
    plan: Arc<Plan>,
    monitor: usize,
    tracker: Tracker,
    change: Option<Change>,
    found: Check,
    started_ms: i64,
    at_ms: i64,
    parents_down: Vec<String>,
    window: Option<String>,
}

pub struct Supervisor {
    store: Store,
    config: SupervisorConfig,
    metrics: Arc<Metrics>,
    plans: PlanCache,
    /// Heartbeat pings as they are written (`with_pings`).
    pings: Option<Pings>,
    /// The status pages, written from memory (`with_board`).
    board: crate::StatusBoard,
}

impl Supervisor {
    pub fn new(store: Store, config: SupervisorConfig, metrics: Arc<Metrics>) -> Self {
        Supervisor {
            store,
            config,
            metrics,
            plans: PlanCache::default(),
            pings: None,
            board: crate::StatusBoard::default(),
        }
    }

    /// Keeps the tenants' status pages on `board`, from memory.
    #[must_use]
    pub fn with_board(mut self, board: crate::StatusBoard) -> Self {
        self.board = board;
        self
    }

    /// Checks a heartbeat monitor as soon as a ping for it is written
    /// (announced on `pings` by the server's ping handler), instead of at
    /// its next turn (every 30 s).
    #[must_use]
    pub fn with_pings(mut self, pings: Pings) -> Self {
        self.pings = Some(pings);
        self
    }

    /// Shares `plans` (parsed once for the whole server).
    #[must_use]
    pub fn with_plans(mut self, plans: PlanCache) -> Self {
        self.plans = plans;
        self
    }

    /// Supervises until `shutdown` becomes true (once elected, when
    /// servers share a store), then writes what it holds and stops. A
    /// supervisor that loses its role (its database session ended) stops
    /// checking and stands for election again.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>) {
        let mut pings = self.pings.take();
        let (writes, to_write) = mpsc::unbounded_channel();
        let writer = tokio::spawn(write_all(to_write, self.metrics.clone()));
        'elections: loop {
            let lead = loop {
                match self.store.try_lead(ROLE).await {
                    Ok(Some(lead)) => break lead,
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot take the supervisor role"),
                }
                let wait = tokio::time::sleep(self.config.flush_every);
                tokio::pin!(wait);
                loop {
                    tokio::select! {
                        () = &mut wait => break,
                        () = stopped(&mut shutdown) => break 'elections,
                        // Another server supervises: pings are not ours to act on.
                        Some(_) = next_ping(&mut pings) => {}
                    }
                }
            };
            match Loop::new(&self, writes.clone(), lead)
                .run(&mut shutdown, &mut pings)
                .await
            {
                Ended::Shutdown => break,
                Ended::Lost => {
                    tracing::warn!(
                        "the supervisor role was lost (database session ended): standing again"
                    );
                }
            }
        }
        drop(writes);
        let _ = writer.await;
    }
}

/// Why a supervision loop ended.
enum Ended {
    Shutdown,
    Lost,
}

struct Loop {
    store: Store,
    config: SupervisorConfig,
    metrics: Arc<Metrics>,
    plans: PlanCache,
    tenants: HashMap<Arc<str>, TenantCx>,
    slots: HashMap<u64, Slot>,
    next_key: u64,
    due: BinaryHeap<Reverse<(Instant, u64)>>,
    permits: Arc<Semaphore>,
    counts: BTreeMap<(Arc<str>, String, i64), Bucket>,
    writes: mpsc::UnboundedSender<Write>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
    cancel_tx: watch::Sender<bool>,
    lead: rempart_store::Leadership,
    board: crate::StatusBoard,
}

impl Loop {
    fn new(
        s: &Supervisor,
        writes: mpsc::UnboundedSender<Write>,
        lead: rempart_store::Leadership,
    ) -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        let permits = Arc::new(Semaphore::new(s.config.max_checks.max(1)));
        Loop {
            store: s.store.clone(),
            config: s.config.clone(),
            metrics: s.metrics.clone(),
            plans: s.plans.clone(),
            board: s.board.clone(),
            lead,
            tenants: HashMap::new(),
            slots: HashMap::new(),
            next_key: 0,
            due: BinaryHeap::new(),
            permits,
            counts: BTreeMap::new(),
            writes,
            done_tx,
            done_rx,
            cancel_tx: watch::channel(false).0,
        }
    }

    async fn run(
        mut self,
        shutdown: &mut watch::Receiver<bool>,
        pings: &mut Option<Pings>,
    ) -> Ended {
        self.refresh().await;
        let mut tick = tokio::time::interval(self.config.flush_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u64 = 0;
        let ended = loop {
            let wake = self.launch_due();
            tokio::select! {
                () = stopped(shutdown) => break Ended::Shutdown,
                Some(done) = self.done_rx.recv() => self.finish(done),
                Some((tenant, monitor)) = next_ping(pings) => {
                    self.pinged(&tenant, &monitor);
                }
                () = tokio::time::sleep_until(wake) => {}
                _ = tick.tick() => {
                    self.flush();
                    self.publish();
                    if !self.lead.held().await {
                        break Ended::Lost;
                    }
                    self.refresh().await;
                    ticks += 1;
                    if ticks.is_multiple_of(12) {
                        crate::trim_memory();
                    }
                }
            }
        };
        let _ = self.cancel_tx.send(true);
        self.flush();
        ended
    }

    /// The status pages of the tenants supervised, from their monitors'
    /// states in memory.
    fn publish(&self) {
        let now = now_ms();
        let pages = self
            .tenants
            .iter()
            .filter_map(|(id, cx)| {
                let tracker = |monitor: &str| {
                    let key = cx.slots.get(monitor)?;
                    self.slots.get(key).map(|s| s.tracker.clone())
                };
                crate::PublicStatus::of(&cx.plan, tracker, now).map(|p| (id.to_string(), p))
            })
            .collect();
        self.board.replace(pages);
    }

    /// A ping for `monitor` of `tenant` was written: its state follows
    /// now, not at its next turn.
    fn pinged(&mut self, tenant: &str, monitor: &str) {
        let Some(key) = self
            .tenants
            .get(tenant)
            .and_then(|t| t.slots.get(monitor))
            .copied()
        else {
            return;
        };
        let Some(slot) = self.slots.get_mut(&key) else {
            return;
        };
        let now = Instant::now();
        let at = slot.started.map_or(now, |s| (s + WAKE_SPACING).max(now));
        if slot.running {
            slot.woken = true;
        } else if slot.next_due > at {
            // (Already due by then: the pings of a burst make one check.)
            slot.next_due = at;
            self.due.push(Reverse((at, key)));
        }
    }

    /// Launches the checks due now; returns when to look again.
    fn launch_due(&mut self) -> Instant {
        let now = Instant::now();
        let idle = now + Duration::from_secs(1);
        while let Some(Reverse((at, key))) = self.due.peek().copied() {
            if at > now {
                return at.min(idle);
            }
            let Some(slot) = self.slots.get_mut(&key) else {
                self.due.pop(); // its monitor left the plan
                continue;
            };
            if at != slot.next_due {
                self.due.pop(); // moved earlier by a ping
                continue;
            }
            if slot.running {
                // Still checking since its last turn: this turn is skipped.
                self.metrics.checks_late.fetch_add(1, Ordering::Relaxed);
                self.due.pop();
                slot.next_due = next_turn(at, slot.every, now);
                self.due.push(Reverse((slot.next_due, key)));
                continue;
            }
            let Ok(permit) = self.permits.clone().try_acquire_owned() else {
                // Every permit in use: the next result wakes the loop.
                return idle;
            };
            self.due.pop();
            let Some(t) = self.tenants.get(&slot.tenant) else {
                // Its tenant left: so does the monitor.
                self.slots.remove(&key);
                continue;
            };
            slot.next_due = next_turn(at, slot.every, now);
            self.due.push(Reverse((slot.next_due, key)));
            slot.running = true;
            slot.started = Some(now);
            let (probe, scope, plan, base, public_only) = (
                slot.probe.clone(),
                t.scope.clone(),
                t.plan.clone(),
                t.base.clone(),
                t.public_only,
            );
            let (timeout, done, cancel) = (
                slot.timeout,
                self.done_tx.clone(),
                self.cancel_tx.subscribe(),
            );
            tokio::spawn(async move {
                let started_ms = now_ms();
                let cx = ProbeCx {
                    tenant: &scope,
                    plan: &plan,
                    base: &base,
                    public_only,
                    timeout,
                    cancel,
                };
                // Probes keep their own timeout; this one is the backstop.
                let found =
                    tokio::time::timeout(timeout + Duration::from_secs(5), probe.check(&cx))
                        .await
                        .unwrap_or_else(|_| {
                            Check::down(
                                i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX),
                                format!("no answer within {} ms", timeout.as_millis()),
                                json!({ "timed_out": true }),
                            )
                        });
                drop(permit);
                let _ = done.send(Done {
                    key,
                    found,
                    started_ms,
                });
            });
        }
        idle
    }

    /// Takes one check's result: the state, the counts, what to write.
    fn finish(&mut self, d: Done) {
        self.metrics.checks_run.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = self.slots.get(&d.key) else {
            return;
        };
        let Some(t) = self.tenants.get(&slot.tenant) else {
            return;
        };
        let m = &t.plan.monitors[slot.monitor];
        // Unreachable under a parent that is down or whose last check
        // failed (its own confirmation may still be under way: the root
        // cause alerts, not its consequences).
        let parents_down: Vec<String> = m
            .depends_on
            .iter()
            .filter(|p| {
                t.slots
                    .get(p.as_str())
                    .and_then(|k| self.slots.get(k))
                    .is_some_and(|s| {
                        s.tracker.fails > 0 || s.tracker.state.is_some_and(|h| h != Health::Up)
                    })
            })
            .map(ToString::to_string)
            .collect();
        let now = now_ms();
        // In a maintenance window the check is counted apart and the state
        // left as it was: no alert now, and a real outage is confirmed after it.
        let window = maintenance_window(&t.plan, &t.windows, m.id.as_str(), now);
        let (scope, plan, monitor_id) = (t.scope.clone(), t.plan.clone(), m.id.to_string());
        let Some(slot) = self.slots.get_mut(&d.key) else {
            return;
        };
        slot.running = false;
        if std::mem::take(&mut slot.woken) {
            // A ping came during this check, which may have read before it.
            let at = slot
                .started
                .map_or_else(Instant::now, |s| (s + WAKE_SPACING).max(Instant::now()));
            if slot.next_due > at {
                slot.next_due = at;
                self.due.push(Reverse((at, d.key)));
            }
        }
        let change = match window {
            Some(_) => None,
            None => {
                let change = slot.tracker.observe(
                    d.found.up,
                    now,
                    &d.found.message,
                    &parents_down,
                    slot.rules,
                );
                slot.tracker.last_said = d.found.measurements.get("say").cloned();
                change
            }
        };
        slot.dirty = true;
        if let Some(c) = &change {
            tracing::info!(tenant = %slot.tenant, monitor = %monitor_id, to = c.to.as_str(), "monitor changed state");
        }
        let minute = now - now.rem_euclid(rempart_store::sla::MINUTE_MS);
        let count = self
            .counts
            .entry((slot.tenant.clone(), monitor_id, minute))
            .or_insert(Bucket {
                start_ms: minute,
                length_ms: rempart_store::sla::MINUTE_MS,
                checks: 0,
                up: 0,
                maintenance: 0,
                latency_sum_ms: 0,
            });
        count.checks += 1;
        count.up += i64::from(d.found.up && window.is_none());
        count.maintenance += i64::from(window.is_some());
        count.latency_sum_ms += d.found.latency_ms.max(0);
        let sample = i64::try_from(self.config.sample_every.as_millis()).unwrap_or(i64::MAX);
        let record = slot.last_up != Some(d.found.up)
            || change.is_some()
            || slot.recorded_ms.is_none_or(|r| now - r >= sample);
        slot.last_up = Some(d.found.up);
        if !record {
            return;
        }
        slot.recorded_ms = Some(now);
        if change.is_some() {
            slot.dirty = false; // written with the event
        }
        let _ = self.writes.send(Write::Event(Box::new(Event {
            scope,
            plan,
            monitor: slot.monitor,
            tracker: slot.tracker.clone(),
            change,
            found: d.found,
            started_ms: d.started_ms,
            at_ms: now,
            parents_down,
            window,
        })));
    }

    /// Hands the counts and the changed states to the writer.
    fn flush(&mut self) {
        let mut per: HashMap<Arc<str>, Pending> = HashMap::new();
        for ((tenant, monitor, _), b) in std::mem::take(&mut self.counts) {
            per.entry(tenant).or_default().counts.push((monitor, b));
        }
        for t in self.tenants.values() {
            for (id, key) in &t.slots {
                if let Some(s) = self.slots.get_mut(key)
                    && s.dirty
                {
                    s.dirty = false;
                    per.entry(s.tenant.clone())
                        .or_default()
                        .states
                        .push((id.clone(), s.tracker.clone()));
                }
            }
        }
        let batch: Vec<_> = per
            .into_iter()
            .filter_map(|(tenant, pending)| {
                let scope = self.tenants.get(&tenant)?.scope.clone();
                Some((scope, pending))
            })
            .collect();
        if !batch.is_empty() {
            let _ = self.writes.send(Write::Flush(batch));
        }
    }

    /// Reads the tenants' plans and maintenance windows again; a changed
    /// plan brings its monitors in line, keeping the states of those that stay.
    async fn refresh(&mut self) {
        let tenants = match self.store.tenants().await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "supervisor: cannot list the tenants");
                return;
            }
        };
        for t in tenants {
            let Ok(scope) = self.store.tenant(&t.id).await else {
                continue;
            };
            let active = match active_plan_checked(&scope, &self.config.data_dir, &self.plans).await
            {
                Ok(Some(a)) => a,
                Ok(None) => continue,
                Err(_) => {
                    // Refused by the trust rules: none of its monitors runs
                    // (each leaves the heap at its next turn).
                    if self.tenants.remove(t.id.as_str()).is_some() {
                        tracing::warn!(tenant = %t.id, "its monitors stop: its plan is refused");
                    }
                    continue;
                }
            };
            let (plan, base) = (active.plan.clone(), active.base.clone());
            let id: Arc<str> = Arc::from(t.id.as_str());
            let windows = scope
                .maintenance_windows(now_ms())
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(tenant = %t.id, error = %e, "cannot read maintenance windows");
                    Vec::new()
                });
            match self.tenants.get_mut(&id) {
                Some(cx) if Arc::ptr_eq(&cx.plan, &plan) => {
                    cx.windows = windows;
                    continue;
                }
                _ => {}
            }
            // A changed plan: its records scrubbed of every secret it names.
            let scope = match active.resolver(&scope).await {
                Ok(env) => scope.with_scrubber(env.scrubber),
                Err(why) => {
                    tracing::warn!(tenant = %t.id, "its stored secrets cannot be opened: {why}");
                    scope
                }
            };
            let public_only = active.author == rempart_core::plan::trust::Author::Client;
            self.load(id, scope, plan, Arc::new(base), public_only, windows)
                .await;
        }
        let monitors = self.slots.len();
        self.metrics.monitors.store(
            i64::try_from(monitors).unwrap_or(i64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Puts `plan`'s monitors under supervision for `tenant`.
    async fn load(
        &mut self,
        tenant: Arc<str>,
        scope: TenantScope,
        plan: Arc<Plan>,
        base: Arc<PathBuf>,
        public_only: bool,
        windows: Vec<Window>,
    ) {
        // The states of the monitors it had: in memory, or as saved.
        let mut known: HashMap<String, Tracker> = HashMap::new();
        let mut previous: HashMap<String, (Option<bool>, Option<i64>)> = HashMap::new();
        if let Some(old) = self.tenants.remove(&tenant) {
            for (id, key) in old.slots {
                if let Some(s) = self.slots.remove(&key) {
                    known.insert(id.clone(), s.tracker);
                    previous.insert(id, (s.last_up, s.recorded_ms));
                }
            }
        } else {
            match scope.all_monitor_states().await {
                Ok(saved) => known.extend(saved.into_iter().map(|(id, (t, _))| (id, t))),
                Err(e) => {
                    tracing::warn!(tenant = %tenant, error = %e, "cannot read monitor states")
                }
            }
        }
        let mut slots = HashMap::new();
        let now = Instant::now();
        for (i, m) in plan.monitors.iter().enumerate() {
            let Some(every) = every(m) else { continue };
            let probe: Arc<dyn Probe> = match probe::for_monitor(m) {
                Ok(p) => Arc::from(p),
                Err(why) => {
                    tracing::warn!(tenant = %tenant, monitor = %m.id, "not supervised: {why}");
                    continue;
                }
            };
            let key = self.next_key;
            self.next_key += 1;
            let (last_up, recorded_ms) = previous.remove(m.id.as_str()).unwrap_or((None, None));
            let first = if recorded_ms.is_some() {
                every
            } else {
                first_delay(&format!("{tenant}/{}", m.id), every)
            };
            self.slots.insert(
                key,
                Slot {
                    tenant: tenant.clone(),
                    monitor: i,
                    probe,
                    every,
                    timeout: m
                        .timeout
                        .map_or(DEFAULT_TIMEOUT, |t| Duration::from_millis(t.as_millis())),
                    rules: Rules {
                        // A heartbeat's grace already confirms a missed ping.
                        confirm: m.confirm.unwrap_or(if m.kind == MonitorKind::Heartbeat {
                            1
                        } else {
                            2
                        }),
                        recover: m.recover.unwrap_or(1),
                        ..Rules::default()
                    },
                    tracker: known.remove(m.id.as_str()).unwrap_or_default(),
                    running: false,
                    next_due: now + first,
                    woken: false,
                    started: None,
                    last_up,
                    recorded_ms,
                    dirty: false,
                },
            );
            self.due.push(Reverse((now + first, key)));
            slots.insert(m.id.to_string(), key);
        }
        tracing::info!(tenant = %tenant, monitors = slots.len(), "supervising");
        self.tenants.insert(
            tenant,
            TenantCx {
                scope,
                plan,
                base,
                public_only,
                windows,
                slots,
            },
        );
    }
}

/// The maintenance window covering `monitor` at `now_ms`: one of the
/// plan's (by id), or one set through the API (`api-<id>`).
pub fn maintenance_window(
    plan: &Plan,
    stored: &[Window],
    monitor: &str,
    now_ms: i64,
) -> Option<String> {
    plan.maintenances
        .iter()
        .find(|w| w.covers(monitor, now_ms, &plan.organization.timezone))
        .map(|w| w.id.to_string())
        .or_else(|| {
            stored
                .iter()
                .find(|w| w.covers(monitor, now_ms))
                .map(|w| format!("api-{}", w.id))
        })
}

/// Where written pings are announced: (tenant, monitor).
pub type Pings = mpsc::UnboundedReceiver<(String, String)>;

/// The next ping announced; never, without a channel or once it closed.
async fn next_ping(pings: &mut Option<Pings>) -> Option<(String, String)> {
    let Some(rx) = pings else {
        return std::future::pending().await;
    };
    match rx.recv().await {
        Some(p) => Some(p),
        None => {
            *pings = None;
            std::future::pending().await
        }
    }
}

/// Resolves once `shutdown` is raised (or its sender gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|s| *s).await;
}

/// The turn after one due at `at`: an interval later, or now when the
/// loop fell that far behind (turns are skipped, not piled up).
fn next_turn(at: Instant, every: Duration, now: Instant) -> Instant {
    let next = at + every;
    if next < now { now } else { next }
}

/// Most writes taken at once by the writer.
const WRITES_AT_ONCE: usize = 1_000;

/// The writer: the store's writes in the order asked; records that pile
/// up (10 000 first checks after a start) are appended in one transaction
/// per tenant. A write the store refuses (a database restarting) is kept,
/// with everything after it, and tried again, backing off, until it is
/// stored: no confirmed change, and so no alert, is lost.
async fn write_all(mut rx: mpsc::UnboundedReceiver<Write>, metrics: Arc<Metrics>) {
    let mut backlog: VecDeque<Write> = VecDeque::new();
    let mut unsent: Vec<(TenantScope, Vec<NewEvidence>)> = Vec::new();
    let mut backoff = RETRY_FIRST;
    let mut closed = false;
    let mut failing_since: Option<Instant> = None;
    loop {
        if backlog.is_empty() && unsent.is_empty() {
            match rx.recv().await {
                Some(w) => backlog.push_back(w),
                None => return,
            }
        }
        while backlog.len() < WRITES_AT_ONCE {
            match rx.try_recv() {
                Ok(w) => backlog.push_back(w),
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    closed = true;
                    break;
                }
            }
        }
        let stored = write_some(&mut backlog, &mut unsent, &metrics).await;
        if stored {
            if failing_since.take().is_some() {
                tracing::info!("the store answers again: the writes kept meanwhile are stored");
            }
            backoff = RETRY_FIRST;
            continue;
        }
        let since = *failing_since.get_or_insert_with(Instant::now);
        if closed && since.elapsed() > GIVE_UP_AT_SHUTDOWN {
            tracing::error!(
                writes = backlog.len(),
                "stopping with supervision results the store never took (database unreachable)"
            );
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(RETRY_MOST);
    }
}

/// First wait before a refused write is tried again; it doubles up to
/// [`RETRY_MOST`].
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MOST: Duration = Duration::from_secs(10);
/// At shutdown, how long writes the store refuses are still tried.
const GIVE_UP_AT_SHUTDOWN: Duration = Duration::from_secs(10);

/// Writes from the front of `backlog` in order, then the records of what
/// was written; stops at the first refusal, keeping it and the rest (and
/// records not appended, in `unsent`). True when everything was stored.
async fn write_some(
    backlog: &mut VecDeque<Write>,
    unsent: &mut Vec<(TenantScope, Vec<NewEvidence>)>,
    metrics: &Metrics,
) -> bool {
    let mut records: HashMap<String, (TenantScope, Vec<NewEvidence>)> = HashMap::new();
    for (scope, recs) in unsent.drain(..) {
        records
            .entry(scope.id().to_owned())
            .or_insert_with(|| (scope, Vec::new()))
            .1
            .extend(recs);
    }
    let mut refused = false;
    while let Some(w) = backlog.pop_front() {
        match w {
            Write::Flush(batch) => {
                let now = now_ms();
                let mut left = Vec::new();
                for (scope, pending) in batch {
                    if refused {
                        left.push((scope, pending));
                        continue;
                    }
                    let states: Vec<(&str, &Tracker)> = pending
                        .states
                        .iter()
                        .map(|(m, t)| (m.as_str(), t))
                        .collect();
                    let done = match scope.record_checks(&pending.counts).await {
                        Ok(()) => scope.save_monitor_states(&states, now).await,
                        Err(e) => Err(e),
                    };
                    if let Err(e) = done {
                        tracing::warn!(tenant = scope.id(), error = %e, "cannot save checks and states; kept to try again");
                        refused = true;
                        left.push((scope, pending));
                    }
                }
                if !left.is_empty() {
                    backlog.push_front(Write::Flush(left));
                }
            }
            Write::Event(e) => match apply_change(&e).await {
                Ok(()) => records
                    .entry(e.scope.id().to_owned())
                    .or_insert_with(|| (e.scope.clone(), Vec::new()))
                    .1
                    .push(evidence(&e)),
                Err(why) => {
                    let m = &e.plan.monitors[e.monitor];
                    tracing::warn!(tenant = e.scope.id(), monitor = %m.id, error = %why, "cannot record a change; kept to try again");
                    backlog.push_front(Write::Event(e));
                    refused = true;
                }
            },
        }
        if refused {
            break;
        }
    }
    for (scope, recs) in records.into_values() {
        let n = recs.len() as u64;
        match scope.append_batch(recs.clone()).await {
            Ok(_) => {
                metrics.evidence_written.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => {
                tracing::warn!(tenant = scope.id(), error = %e, "cannot record {n} check(s); kept to try again");
                unsent.push((scope, recs));
                refused = true;
            }
        }
    }
    !refused
}

/// A confirmed change: the state saved, the outage opened or closed, the alert raised.
async fn apply_change(e: &Event) -> Result<(), String> {
    let Some(c) = &e.change else { return Ok(()) };
    let m = &e.plan.monitors[e.monitor];
    let id = m.id.as_str();
    let stored = |r: Result<(), rempart_store::StoreError>| r.map_err(|e| e.to_string());
    stored(e.scope.save_monitor_state(id, &e.tracker, e.at_ms).await)?;
    // SLA: outages as they open and close.
    match c.to {
        Health::Up => stored(e.scope.close_downtime(id, e.at_ms).await)?,
        Health::Down => stored(
            e.scope
                .open_downtime(id, "down", e.at_ms, &e.found.message)
                .await,
        )?,
        Health::Unreachable => {
            let cause = format!("depends on {}, which is down", e.parents_down.join(", "));
            stored(
                e.scope
                    .open_downtime(id, "unreachable", e.at_ms, &cause)
                    .await,
            )?;
        }
    }
    if c.alert {
        // A failure here is kept and tried again like the writes above
        // (the alert row and the outbox are idempotent for one change).
        // What the check saw, in the organisation's language when the
        // probe says it so.
        let said = rempart_i18n::told(
            e.plan.organization.language.into(),
            &e.found.measurements,
            &e.found.message,
        );
        let to = crate::notify::alert::raise(&e.scope, &e.plan, m, c, &said).await?;
        tracing::info!(monitor = %m.id, state = c.to.as_str(), receivers = ?to, "alert queued");
    }
    Ok(())
}

/// The `probe` record of a check.
fn evidence(e: &Event) -> NewEvidence {
    let m = &e.plan.monitors[e.monitor];
    let mut measurements = json!({
        "kind": m.kind.as_str(),
        "up": e.found.up,
        "latency_ms": e.found.latency_ms,
        "state": e.tracker.state.map(Health::as_str),
        "flapping": e.tracker.flapping,
        "changed": e.change.as_ref().map(|c| c.to.as_str()),
        "parents_down": e.parents_down,
        "maintenance": e.window,
    });
    if let (Some(all), Some(extra)) = (
        measurements.as_object_mut(),
        e.found.measurements.as_object(),
    ) {
        all.extend(extra.clone());
    }
    NewEvidence {
        kind: EvidenceKind::Probe,
        subject: m.id.to_string(),
        started_ms: e.started_ms,
        finished_ms: e.at_ms,
        outcome: if e.found.up {
            Outcome::Success
        } else {
            Outcome::Failure
        },
        measurements,
        message: e.found.message.clone(),
        job_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_checks_are_spread_within_the_interval() {
        let every = Duration::from_secs(30);
        let delays: Vec<Duration> = (0..1000)
            .map(|i| first_delay(&format!("t/m{i}"), every))
            .collect();
        assert!(delays.iter().all(|d| *d < every));
        // Spread: each tenth of the interval gets some.
        for tenth in 0..10u32 {
            let (lo, hi) = (every * tenth / 10, every * (tenth + 1) / 10);
            let n = delays.iter().filter(|d| **d >= lo && **d < hi).count();
            assert!((50..150).contains(&n), "tenth {tenth}: {n}");
        }
        assert_eq!(first_delay("t/x", Duration::from_millis(1)), Duration::ZERO);
    }

    #[test]
    fn turns_are_skipped_not_piled_up() {
        let t0 = Instant::now();
        let every = Duration::from_secs(30);
        assert_eq!(next_turn(t0, every, t0), t0 + every);
        let late = t0 + Duration::from_secs(95);
        assert_eq!(next_turn(t0, every, late), late);
    }
}
