//! The semantic rules of a plan: every reference resolves, no dependency
//! cycle, targets that can be met, and the practices a continuity plan
//! must follow (a vital process has an owner, a backup and a scenario; a
//! backup has copies on more than one site).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::str::FromStr;

use rempart_i18n::say;
use serde_json::Value;

use super::decode::did_you_mean;
use super::finding::{Finding, SourceMap};
use super::values::{Duration, Id, Location, Schedule};
use super::{Channel, Condition, Criticality, MonitorKind, Plan, Source, StepAction};

/// The sections whose elements other elements refer to by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Site,
    Asset,
    Process,
    Repository,
    Backup,
    Monitor,
    Scenario,
    Contact,
    Team,
    Channel,
    Escalation,
    CrisisTask,
    CrisisMessage,
    Exercise,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Asset => "asset",
            Kind::Process => "process",
            Kind::Repository => "repository",
            Kind::Backup => "backup",
            Kind::Monitor => "monitor",
            Kind::Scenario => "scenario",
            Kind::Contact => "contact",
            Kind::Team => "team",
            Kind::Channel => "channel",
            Kind::Escalation => "escalation",
            Kind::CrisisTask => "crisis_task",
            Kind::CrisisMessage => "crisis_message",
            Kind::Exercise => "exercise",
        }
    }
}

/// "an asset or a process", "a channel, a contact or a team".
fn kinds_phrase(kinds: &[Kind]) -> Value {
    let items: Vec<Value> = kinds
        .iter()
        .map(|k| say!("plan-kind-a", kind = k.word()))
        .collect();
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, init)) => say!("plan-kinds-or", init = init, last = last),
        None => Value::Null,
    }
}

/// `process "erp"`: an element of the plan, named in a sentence.
fn named(kind: &str, id: &Id) -> Value {
    say!("plan-owner", kind = kind, id = id.as_str())
}

/// "e.g. …", with a piece of plan.
fn example(text: &str) -> Value {
    say!("plan-hint-example", example = text)
}

/// "did you mean …?"
fn did_you_mean_hint(word: &str) -> Value {
    say!("plan-did-you-mean", word = word)
}

/// What could not be decoded: its rules are skipped, and references to
/// its elements are not reported as dangling (their own error is enough).
#[derive(Debug, Default)]
pub(crate) struct Broken {
    pub organization: bool,
    /// Section → the ids (when readable) of its broken elements.
    sections: HashMap<&'static str, Vec<Option<String>>>,
}

impl Broken {
    pub fn add(&mut self, section: &'static str, ids: Vec<Option<String>>) {
        if !ids.is_empty() {
            self.sections.insert(section, ids);
        }
    }

    /// Whether some element of `section` could not be decoded.
    fn any(&self, section: &str) -> bool {
        self.sections.contains_key(section)
    }

    /// Whether `id` may be the id of a broken element of one of `kinds`.
    fn may_be(&self, kinds: &[Kind], id: &str) -> bool {
        kinds.iter().any(|k| {
            self.sections
                .get(k.word())
                .is_some_and(|ids| ids.iter().any(|i| i.as_deref().is_none_or(|i| i == id)))
        })
    }
}

/// An element in a dependency graph: its section and index.
type Node = (Kind, usize);

struct Validator<'p> {
    plan: &'p Plan,
    spans: &'p SourceMap,
    /// Kind → id → index of its first definition.
    ids: HashMap<Kind, HashMap<&'p str, usize>>,
    broken: &'p Broken,
    out: Vec<Finding>,
}

pub(crate) fn validate(plan: &Plan, spans: &SourceMap, broken: &Broken) -> Vec<Finding> {
    let mut v = Validator {
        plan,
        spans,
        broken,
        ids: HashMap::new(),
        out: Vec::new(),
    };
    v.index_ids();
    v.organization();
    v.assets();
    v.processes();
    v.repositories();
    v.backups();
    v.monitors();
    v.channels();
    v.escalations();
    v.maintenances();
    v.people();
    v.crisis();
    v.scenarios();
    v.risks();
    v.sla();
    v.status_page();
    v.cycles();
    v.out
}

impl<'p> Validator<'p> {
    fn push(&mut self, mut finding: Finding) {
        if finding.span.is_none() {
            finding.span = self.spans.value(&finding.path);
        }
        self.out.push(finding);
    }

    fn index_ids(&mut self) {
        let p = self.plan;
        let sections: Vec<(Kind, &str, Vec<&'p Id>)> = vec![
            (Kind::Site, "site", p.sites.iter().map(|x| &x.id).collect()),
            (
                Kind::Asset,
                "asset",
                p.assets.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Process,
                "process",
                p.processes.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Repository,
                "repository",
                p.repositories.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Backup,
                "backup",
                p.backups.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Monitor,
                "monitor",
                p.monitors.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Scenario,
                "scenario",
                p.scenarios.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Contact,
                "contact",
                p.contacts.iter().map(|x| &x.id).collect(),
            ),
            (Kind::Team, "team", p.teams.iter().map(|x| &x.id).collect()),
            (
                Kind::Channel,
                "channel",
                p.channels.iter().map(|x| x.id()).collect(),
            ),
            (
                Kind::Escalation,
                "escalation",
                p.escalations.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::CrisisTask,
                "crisis_task",
                p.crisis_tasks.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::CrisisMessage,
                "crisis_message",
                p.crisis_messages.iter().map(|x| &x.id).collect(),
            ),
            (
                Kind::Exercise,
                "exercise",
                p.exercises.iter().map(|x| &x.id).collect(),
            ),
        ];
        let risk_ids: Vec<&Id> = p.risks.iter().map(|r| &r.id).collect();
        for (kind, section, ids) in sections {
            let mut seen: HashMap<&'p str, usize> = HashMap::new();
            for (i, id) in ids.iter().enumerate() {
                if let Some(first) = seen.get(id.as_str()) {
                    self.push(
                        Finding::error(
                            "duplicate-id",
                            format!("{section}[{i}].id"),
                            say!(
                                "plan-duplicate-id",
                                section = section,
                                id = id.as_str(),
                                first = first
                            ),
                        )
                        .hint(say!("plan-hint-unique-ids")),
                    );
                } else {
                    seen.insert(id.as_str(), i);
                }
            }
            self.ids.insert(kind, seen);
        }
        // Risks are referred to by nobody, but their ids must still be unique.
        let mut seen = HashSet::new();
        for (i, id) in risk_ids.iter().enumerate() {
            if !seen.insert(id.as_str()) {
                self.push(
                    Finding::error(
                        "duplicate-id",
                        format!("risk[{i}].id"),
                        say!("plan-duplicate-risk-id", id = id.as_str()),
                    )
                    .hint(say!("plan-hint-unique-ids")),
                );
            }
        }
    }

    fn lookup(&self, kind: Kind, id: &str) -> Option<usize> {
        self.ids.get(&kind).and_then(|m| m.get(id)).copied()
    }

    /// Checks that `id` names an element of one of `kinds`; returns which.
    fn reference(&mut self, path: String, owner: &Value, id: &Id, kinds: &[Kind]) -> Option<Kind> {
        let found: Vec<Kind> = kinds
            .iter()
            .copied()
            .filter(|k| self.lookup(*k, id.as_str()).is_some())
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            [] if self.broken.may_be(kinds, id.as_str()) => None,
            [] => {
                let candidates: Vec<&str> = kinds
                    .iter()
                    .filter_map(|k| self.ids.get(k))
                    .flat_map(|m| m.keys().copied())
                    .collect();
                let hint = match did_you_mean(id.as_str(), &candidates) {
                    Some(c) => did_you_mean_hint(c),
                    None if candidates.is_empty() => {
                        say!("plan-hint-declare", section = kinds[0].word())
                    }
                    None => {
                        let mut known = candidates.clone();
                        known.sort_unstable();
                        say!("plan-hint-known", list = known.join(", "))
                    }
                };
                self.push(
                    Finding::error(
                        "dangling-reference",
                        path,
                        say!(
                            "plan-dangling-reference",
                            owner = owner,
                            id = id.as_str(),
                            kinds = kinds_phrase(kinds)
                        ),
                    )
                    .hint(hint),
                );
                None
            }
            [first, ..] => {
                let both: Vec<Value> = found
                    .iter()
                    .map(|k| say!("plan-kind-a", kind = k.word()))
                    .collect();
                let (last, init) = both.split_last().unwrap_or((&Value::Null, &[]));
                self.push(
                    Finding::error(
                        "ambiguous-reference",
                        path,
                        say!(
                            "plan-ambiguous-reference",
                            owner = owner,
                            id = id.as_str(),
                            kinds = say!("plan-kinds-and", init = init, last = last)
                        ),
                    )
                    .hint(say!("plan-hint-different-ids")),
                );
                Some(*first)
            }
        }
    }

    fn references(&mut self, path: &str, owner: &Value, ids: &[Id], kinds: &[Kind]) {
        let mut seen = HashSet::new();
        for (j, id) in ids.iter().enumerate() {
            let p = format!("{path}[{j}]");
            if !seen.insert(id) {
                self.push(
                    Finding::warning(
                        "repeated-reference",
                        p,
                        say!("plan-repeated-reference", owner = owner, id = id.as_str()),
                    )
                    .hint(say!("plan-hint-remove-repetition")),
                );
                continue;
            }
            self.reference(p, owner, id, kinds);
        }
    }

    /// `what`: the word of `plan-what` that names the value.
    fn nonempty(&mut self, path: String, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.push(Finding::error(
                "empty-value",
                path,
                say!("plan-empty", what = say!("plan-what", what = what)),
            ));
        }
    }

    /// `what`: the key, or a phrase (`say!`).
    fn positive(&mut self, path: String, d: Duration, what: impl Into<Value>) {
        if d.as_millis() == 0 {
            self.push(
                Finding::error(
                    "zero-duration",
                    path,
                    say!("plan-zero-duration", what = what.into()),
                )
                .hint(say!("plan-hint-positive-duration")),
            );
        }
    }

    fn url(&mut self, path: String, url: &str, what: &str) {
        let ok = ["http://", "https://"].iter().any(|s| {
            url.strip_prefix(s).is_some_and(|rest| {
                !rest.is_empty() && !rest.starts_with('/') && !rest.contains(' ')
            })
        });
        if !ok {
            self.push(
                Finding::error(
                    "bad-url",
                    path,
                    say!("plan-bad-url", what = what, url = url),
                )
                .hint(example("\"https://erp.example.com/health\"")),
            );
        }
    }

    fn score(&mut self, path: String, value: u8, owner: &Value, what: &str) {
        if !(1..=5).contains(&value) {
            self.push(
                Finding::error(
                    "score-out-of-range",
                    path,
                    say!(
                        "plan-score-out-of-range",
                        owner = owner,
                        what = what,
                        value = value
                    ),
                )
                .hint(say!("plan-hint-score", what = what)),
            );
        }
    }

    fn organization(&mut self) {
        if self.broken.organization {
            return;
        }
        let org = &self.plan.organization;
        self.nonempty("organization.name".into(), &org.name, "organization-name");
        if chrono_tz::Tz::from_str(&org.timezone).is_err() {
            let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            let hint = did_you_mean(&org.timezone, &names)
                .map(did_you_mean_hint)
                .unwrap_or_else(|| say!("plan-hint-timezone"));
            self.push(
                Finding::error(
                    "bad-timezone",
                    "organization.timezone",
                    say!("plan-bad-timezone", tz = org.timezone.as_str()),
                )
                .hint(hint),
            );
        }
    }

    fn assets(&mut self) {
        for (i, a) in self.plan.assets.iter().enumerate() {
            let owner = named("asset", &a.id);
            if let Some(site) = &a.site {
                self.reference(format!("asset[{i}].site"), &owner, site, &[Kind::Site]);
            }
            self.references(
                &format!("asset[{i}].depends_on"),
                &owner,
                &a.depends_on,
                &[Kind::Asset],
            );
        }
    }

    /// Asset ids a process needs, directly or through other assets and processes.
    fn needed_assets(&self, process: usize) -> BTreeSet<&'p str> {
        let plan = self.plan;
        let mut assets = BTreeSet::new();
        let mut seen_processes = HashSet::from([process]);
        let mut todo: Vec<&'p Id> = plan.processes[process].depends_on.iter().collect();
        while let Some(id) = todo.pop() {
            if let Some(a) = self.lookup(Kind::Asset, id.as_str()) {
                if assets.insert(id.as_str()) {
                    todo.extend(plan.assets[a].depends_on.iter());
                }
            } else if let Some(p) = self.lookup(Kind::Process, id.as_str())
                && seen_processes.insert(p)
            {
                todo.extend(plan.processes[p].depends_on.iter());
            }
        }
        assets
    }

    fn processes(&mut self) {
        let plan = self.plan;
        let mut gaps = Gaps::new(plan.backups.len());
        for (i, p) in plan.processes.iter().enumerate() {
            let owner = named("process", &p.id);
            let at = |key: &str| format!("process[{i}].{key}");
            self.nonempty(at("name"), &p.name, "process-name");
            if let Some(o) = &p.owner {
                self.reference(at("owner"), &owner, o, &[Kind::Contact]);
            }
            self.references(
                &at("depends_on"),
                &owner,
                &p.depends_on,
                &[Kind::Asset, Kind::Process],
            );
            self.positive(at("rto"), p.rto, "rto");
            if let Some(mtpd) = p.mtpd
                && p.rto > mtpd
            {
                self.push(
                    Finding::error(
                        "rto-above-mtpd",
                        at("rto"),
                        say!(
                            "plan-rto-above-mtpd",
                            owner = owner,
                            rto = p.rto.to_string(),
                            mtpd = mtpd.to_string()
                        ),
                    )
                    .hint(say!("plan-hint-rto-above-mtpd", mtpd = mtpd.to_string())),
                );
            }
            let mut previous: Option<Duration> = None;
            for (j, impact) in p.impacts.iter().enumerate() {
                self.score(
                    format!("process[{i}].impacts[{j}].severity"),
                    impact.severity,
                    &owner,
                    "severity",
                );
                if previous.is_some_and(|prev| impact.after < prev) {
                    self.push(
                        Finding::warning(
                            "impacts-out-of-order",
                            format!("process[{i}].impacts[{j}].after"),
                            say!("plan-impacts-out-of-order", owner = owner),
                        )
                        .hint(say!("plan-hint-impacts-order")),
                    );
                }
                previous = Some(impact.after);
            }

            let needed = self.needed_assets(i);
            let protecting: Vec<usize> = plan
                .backups
                .iter()
                .enumerate()
                .filter(|(_, b)| b.protects.iter().any(|a| needed.contains(a.as_str())))
                .map(|(j, _)| j)
                .collect();
            // Per needed asset, its most frequent backup bounds the data loss;
            // a rarer one (a weekly system image) does not make the RPO unreachable.
            for asset in &needed {
                let best = protecting
                    .iter()
                    .filter(|&&j| {
                        plan.backups[j]
                            .protects
                            .iter()
                            .any(|a| a.as_str() == *asset)
                    })
                    .filter_map(|&j| gaps.get(plan, j).map(|g| (j, g)))
                    .min_by_key(|(_, g)| *g);
                let Some((j, gap)) = best else {
                    continue;
                };
                if gap > p.rpo {
                    let b = &plan.backups[j];
                    let how = match &b.schedule {
                        Schedule::Every(d) => say!("plan-runs-every", every = d.to_string()),
                        Schedule::Cron(c) => say!(
                            "plan-runs-cron",
                            cron = c.to_string(),
                            gap = gap.to_string()
                        ),
                    };
                    self.push(
                        Finding::error(
                            "rpo-unreachable",
                            at("rpo"),
                            say!(
                                "plan-rpo-unreachable",
                                owner = owner,
                                rpo = p.rpo.to_string(),
                                backup = b.id.as_str(),
                                asset = *asset,
                                how = how
                            ),
                        )
                        .hint(say!(
                            "plan-hint-rpo-unreachable",
                            asset = *asset,
                            rpo = p.rpo.to_string(),
                            gap = gap.to_string()
                        )),
                    );
                }
            }

            if p.criticality == Criticality::Vital {
                if p.owner.is_none() {
                    self.push(
                        Finding::error(
                            "vital-without-owner",
                            at("criticality"),
                            say!("plan-vital-without-owner", id = p.id.as_str()),
                        )
                        .hint(say!("plan-hint-vital-owner")),
                    );
                }
                if protecting.is_empty() && !self.broken.any("backup") && !self.broken.any("asset")
                {
                    let hint = if needed.is_empty() {
                        say!("plan-hint-vital-depends-on")
                    } else {
                        say!(
                            "plan-hint-vital-backup",
                            list = needed.iter().copied().collect::<Vec<_>>().join(", ")
                        )
                    };
                    self.push(
                        Finding::error(
                            "vital-without-backup",
                            at("criticality"),
                            say!("plan-vital-without-backup", id = p.id.as_str()),
                        )
                        .hint(hint),
                    );
                }
                if !plan.scenarios.iter().any(|s| s.process == p.id) && !self.broken.any("scenario")
                {
                    self.push(
                        Finding::error(
                            "vital-without-scenario",
                            at("criticality"),
                            say!("plan-vital-without-scenario", id = p.id.as_str()),
                        )
                        .hint(say!("plan-hint-vital-scenario", id = p.id.as_str())),
                    );
                }
            }
        }
    }

    fn repositories(&mut self) {
        let plan = self.plan;
        for (i, r) in plan.repositories.iter().enumerate() {
            let owner = named("repository", &r.id);
            let at = |key: &str| format!("repository[{i}].{key}");
            self.reference(at("site"), &owner, &r.site, &[Kind::Site]);
            if let Some(t) = r.verify_timeout {
                self.positive(at("verify_timeout"), t, "verify_timeout");
            }
            if let Some(within) = r.verify_within
                && within.as_millis() < 86_400_000
            {
                self.push(
                    Finding::error(
                        "verify-within-too-short",
                        at("verify_within"),
                        say!(
                            "plan-verify-within-too-short",
                            owner = &owner,
                            within = within.to_string()
                        ),
                    )
                    .hint(say!("plan-hint-verify-within")),
                );
            }
            match &r.location {
                Location::Local(_) => {
                    let s3_only = [
                        ("endpoint", r.endpoint.is_some()),
                        ("region", r.region.is_some()),
                        ("access_key_id", r.access_key_id.is_some()),
                        ("secret_access_key", r.secret_access_key.is_some()),
                    ];
                    for (key, present) in s3_only {
                        if present {
                            self.push(
                                Finding::error(
                                    "s3-option-on-local",
                                    at(key),
                                    say!("plan-s3-option-on-local", owner = &owner, key = key),
                                )
                                .hint(say!("plan-hint-s3-option", key = key)),
                            );
                        }
                    }
                    if r.immutable {
                        self.push(
                            Finding::warning(
                                "immutable-unenforced",
                                at("immutable"),
                                say!("plan-immutable-unenforced", owner = &owner),
                            )
                            .hint(say!("plan-hint-immutable")),
                        );
                    }
                }
                Location::S3 { .. } => {
                    if r.access_key_id.is_some() != r.secret_access_key.is_some() {
                        self.push(
                            Finding::error(
                                "incomplete-credentials",
                                at("location"),
                                say!("plan-incomplete-credentials", owner = &owner),
                            )
                            .hint(say!("plan-hint-credentials")),
                        );
                    }
                    if let Some(endpoint) = &r.endpoint {
                        self.url(at("endpoint"), endpoint, "endpoint");
                    }
                }
            }
            if !plan.backups.iter().any(|b| b.targets.contains(&r.id)) && !self.broken.any("backup")
            {
                self.push(
                    Finding::warning(
                        "unused-repository",
                        at("id"),
                        say!("plan-unused-repository", owner = &owner),
                    )
                    .hint(say!("plan-hint-unused-repository")),
                );
            }
        }
    }

    fn backups(&mut self) {
        let plan = self.plan;
        for (i, b) in plan.backups.iter().enumerate() {
            let owner = named("backup", &b.id);
            let at = |key: &str| format!("backup[{i}].{key}");
            self.references(&at("protects"), &owner, &b.protects, &[Kind::Asset]);
            if let Some(t) = b.timeout {
                self.positive(at("timeout"), t, "timeout");
            }
            if b.protects.is_empty() {
                self.push(
                    Finding::warning(
                        "protects-nothing",
                        at("id"),
                        say!("plan-protects-nothing", owner = &owner),
                    )
                    .hint(say!("plan-hint-protects")),
                );
            }
            match &b.source {
                Source::Paths(s) => {
                    if s.paths.is_empty() {
                        self.push(Finding::error(
                            "empty-value",
                            at("source.paths"),
                            say!("plan-no-path", owner = &owner),
                        ));
                    }
                    for (j, path) in s.paths.iter().enumerate() {
                        self.nonempty(format!("backup[{i}].source.paths[{j}]"), path, "path");
                    }
                }
                Source::Command(s) => {
                    self.nonempty(at("source.command"), &s.command, "command");
                    if s.filename.trim().is_empty() || s.filename.contains('/') {
                        self.push(
                            Finding::error(
                                "bad-filename",
                                at("source.filename"),
                                say!("plan-bad-filename", owner = &owner),
                            )
                            .hint(example("filename = \"erp.dump\"")),
                        );
                    }
                }
            }
            if b.targets.is_empty() {
                self.push(
                    Finding::error(
                        "no-target",
                        at("targets"),
                        say!("plan-no-target", owner = &owner),
                    )
                    .hint(say!("plan-hint-no-target")),
                );
            }
            self.references(&at("targets"), &owner, &b.targets, &[Kind::Repository]);
            let resolved: Vec<usize> = b
                .targets
                .iter()
                .filter_map(|t| self.lookup(Kind::Repository, t.as_str()))
                .collect();
            let sites: BTreeSet<&str> = resolved
                .iter()
                .map(|&r| plan.repositories[r].site.as_str())
                .collect();
            // A target that could not be read may be on another site: say nothing then.
            let all_read = !self.broken.any("repository") || resolved.len() == b.targets.len();
            if sites.len() == 1 && all_read {
                let site = sites.iter().next().copied().unwrap_or_default();
                self.push(
                    Finding::warning(
                        "single-site",
                        at("targets"),
                        say!("plan-single-site", owner = &owner, site = site),
                    )
                    .hint(say!("plan-hint-single-site")),
                );
            }
            if let Some(a) = &b.adopt {
                if let Some(host) = &a.host {
                    self.nonempty(at("adopt.host"), host, "host");
                }
                for (j, path) in a.paths.iter().enumerate() {
                    self.nonempty(format!("backup[{i}].adopt.paths[{j}]"), path, "path");
                }
                for (j, tag) in a.tags.iter().enumerate() {
                    self.nonempty(format!("backup[{i}].adopt.tags[{j}]"), tag, "tag");
                }
            }
            if let Some(r) = &b.retention {
                let keeps = [r.last, r.hourly, r.daily, r.weekly, r.monthly, r.yearly]
                    .iter()
                    .any(Option::is_some)
                    || r.within.is_some();
                if !keeps {
                    self.push(
                        Finding::error(
                            "empty-retention",
                            at("retention"),
                            say!("plan-empty-retention", owner = &owner),
                        )
                        .hint(say!("plan-hint-retention")),
                    );
                }
            }
        }
    }

    fn monitors(&mut self) {
        let plan = self.plan;
        for (i, m) in plan.monitors.iter().enumerate() {
            let owner = named("monitor", &m.id);
            let at = |key: &str| format!("monitor[{i}].{key}");
            let kind = m.kind;
            match (&m.target, kind) {
                (Some(_), MonitorKind::Heartbeat) => self.push(
                    Finding::error(
                        "not-applicable",
                        at("target"),
                        say!("plan-heartbeat-target", owner = &owner),
                    )
                    .hint(say!("plan-hint-heartbeat-target")),
                ),
                (None, MonitorKind::Heartbeat) => {}
                (None, _) => self.push(
                    Finding::error(
                        "missing-key",
                        at("kind"),
                        say!("plan-needs-target", owner = &owner, kind = kind.as_str()),
                    )
                    .hint(match kind {
                        MonitorKind::Http => example("target = \"https://erp.example.com/health\""),
                        MonitorKind::Backup => say!("plan-hint-target-backup"),
                        MonitorKind::Command => say!("plan-hint-target-command"),
                        _ => example("target = \"host.example.com:443\""),
                    }),
                ),
                (Some(t), MonitorKind::Http) => self.url(at("target"), t, "target"),
                (Some(t), MonitorKind::Backup) => match Id::parse(t) {
                    Ok(id) => {
                        self.reference(at("target"), &owner, &id, &[Kind::Backup]);
                    }
                    Err(_) => self.push(Finding::error(
                        "dangling-reference",
                        at("target"),
                        say!(
                            "plan-watches-no-backup",
                            owner = &owner,
                            target = t.as_str()
                        ),
                    )),
                },
                (Some(t), MonitorKind::Tcp | MonitorKind::Tls) => {
                    let ok = t.rsplit_once(':').is_some_and(|(h, p)| {
                        !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0)
                    });
                    if !ok {
                        self.push(
                            Finding::error(
                                "bad-target",
                                at("target"),
                                say!("plan-bad-target", owner = &owner, target = t.as_str()),
                            )
                            .hint(example("target = \"vpn.example.com:443\"")),
                        );
                    }
                }
                (Some(t), _) => self.nonempty(at("target"), t, "target"),
            }
            if kind == MonitorKind::Heartbeat {
                if m.period.is_none() {
                    self.push(
                        Finding::error(
                            "missing-key",
                            at("kind"),
                            say!("plan-heartbeat-period", owner = &owner),
                        )
                        .hint(say!("plan-hint-heartbeat-period")),
                    );
                }
                if m.interval.is_some() {
                    self.push(
                        Finding::error(
                            "not-applicable",
                            at("interval"),
                            say!("plan-heartbeat-interval", owner = &owner),
                        )
                        .hint(say!("plan-hint-heartbeat-interval")),
                    );
                }
            } else {
                for key in ["period", "grace"] {
                    let present = if key == "period" {
                        m.period.is_some()
                    } else {
                        m.grace.is_some()
                    };
                    if present {
                        self.push(Finding::error(
                            "not-applicable",
                            at(key),
                            say!("plan-heartbeat-only", key = key),
                        ));
                    }
                }
                match m.interval {
                    None if kind != MonitorKind::Backup => self.push(
                        Finding::error(
                            "missing-key",
                            at("kind"),
                            say!("plan-needs-interval", owner = &owner),
                        )
                        .hint(example("interval = \"1m\"")),
                    ),
                    Some(d) => self.positive(at("interval"), d, "interval"),
                    None => {}
                }
            }
            if let Some(t) = m.timeout {
                self.positive(at("timeout"), t, "timeout");
            }
            if m.ca.is_some() && !matches!(kind, MonitorKind::Tls | MonitorKind::Http) {
                self.push(Finding::error(
                    "not-applicable",
                    at("ca"),
                    say!("plan-ca-only", owner = &owner, kind = kind.as_str()),
                ));
            }
            for (key, set) in [
                ("redirects", m.redirects.is_some()),
                ("tls_verify", m.tls_verify.is_some()),
            ] {
                if set && kind != MonitorKind::Http {
                    self.push(Finding::error(
                        "not-applicable",
                        at(key),
                        say!(
                            "plan-http-only",
                            key = key,
                            owner = &owner,
                            kind = kind.as_str()
                        ),
                    ));
                }
            }
            if m.tls_verify == Some(false) && m.ca.is_some() {
                self.push(Finding::warning(
                    "ignored-key",
                    at("ca"),
                    say!("plan-ca-unused", owner = &owner),
                ));
            }
            if let Some(e) = &m.expect {
                if let Some(re) = &e.body_matches
                    && let Err(why) = regex::Regex::new(re)
                {
                    self.push(Finding::error(
                        "bad-pattern",
                        format!("monitor[{i}].expect.body_matches"),
                        say!("plan-bad-pattern", owner = &owner, why = regex_error(&why)),
                    ));
                }
                if let Some(path) = &e.json_path
                    && let Err(why) = super::supervision::json_pointer(path)
                {
                    self.push(Finding::error(
                        "bad-json-path",
                        format!("monitor[{i}].expect.json_path"),
                        say!("plan-bad-json-path", why = why),
                    ));
                }
            }
            for (key, value) in [("confirm", m.confirm), ("recover", m.recover)] {
                if value == Some(0) {
                    self.push(
                        Finding::error(
                            "zero-count",
                            at(key),
                            say!("plan-zero-count", owner = &owner, key = key),
                        )
                        .hint(say!("plan-hint-zero-count")),
                    );
                }
            }
            if let Some(e) = &m.expect {
                let allowed = kind.expect_keys();
                for key in expect_keys_set(e) {
                    if !allowed.contains(&key) {
                        let hint = if allowed.is_empty() {
                            say!("plan-hint-no-expect", kind = kind.as_str())
                        } else {
                            say!(
                                "plan-hint-expect-keys",
                                kind = kind.as_str(),
                                list = allowed.join(", ")
                            )
                        };
                        self.push(
                            Finding::error(
                                "not-applicable",
                                format!("monitor[{i}].expect.{key}"),
                                say!(
                                    "plan-expect-not-applicable",
                                    key = key,
                                    owner = &owner,
                                    kind = kind.as_str()
                                ),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
            if let Some(a) = &m.asset {
                self.reference(at("asset"), &owner, a, &[Kind::Asset]);
            }
            self.references(&at("depends_on"), &owner, &m.depends_on, &[Kind::Monitor]);
            if let Some(e) = &m.escalation {
                self.reference(at("escalation"), &owner, e, &[Kind::Escalation]);
            }
        }
        let silent = plan.monitors.iter().position(|m| m.escalation.is_none());
        if let Some(i) = silent
            && self.lookup(Kind::Escalation, "default").is_none()
            && !self.broken.any("escalation")
        {
            self.push(
                Finding::warning(
                    "no-default-escalation",
                    format!("monitor[{i}].id"),
                    say!(
                        "plan-no-default-escalation",
                        id = plan.monitors[i].id.as_str()
                    ),
                )
                .hint(say!("plan-hint-default-escalation")),
            );
        }
    }

    fn channels(&mut self) {
        for (i, c) in self.plan.channels.iter().enumerate() {
            let at = |key: &str| format!("channel[{i}].{key}");
            match c {
                Channel::Email(e) => {
                    if e.to.is_empty() {
                        self.push(Finding::error(
                            "empty-value",
                            at("to"),
                            say!("plan-no-recipient", id = e.id.as_str()),
                        ));
                    }
                    for (j, addr) in e.to.iter().enumerate() {
                        let ok = addr.split_once('@').is_some_and(|(u, d)| {
                            !u.is_empty() && d.contains('.') && !addr.contains(' ')
                        });
                        if !ok {
                            self.push(
                                Finding::error(
                                    "bad-email",
                                    format!("channel[{i}].to[{j}]"),
                                    say!("plan-bad-email", address = addr.as_str()),
                                )
                                .hint(example("\"astreinte@example.com\"")),
                            );
                        }
                    }
                }
                Channel::Webhook(w) => self.url(at("url"), &w.url, "url"),
                Channel::Ntfy(n) => self.url(at("url"), &n.url, "url"),
                Channel::Slack(_) | Channel::Mattermost(_) | Channel::Teams(_) => {}
            }
        }
    }

    fn maintenances(&mut self) {
        for (i, w) in self.plan.maintenances.iter().enumerate() {
            let owner = named("maintenance", &w.id);
            let at = |key: &str| format!("maintenance[{i}].{key}");
            self.references(&at("monitors"), &owner, &w.monitors, &[Kind::Monitor]);
            let time = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
            match (&w.start, &w.end, &w.schedule, w.duration) {
                (Some(start), Some(end), None, None) => {
                    for (key, text) in [("start", start), ("end", end)] {
                        if time(text).is_none() {
                            self.push(
                                Finding::error(
                                    "bad-time",
                                    at(key),
                                    say!(
                                        "plan-bad-time",
                                        owner = &owner,
                                        key = key,
                                        text = text.as_str()
                                    ),
                                )
                                .hint(example("\"2026-12-05T08:00:00+01:00\"")),
                            );
                        }
                    }
                    if let (Some(s), Some(e)) = (time(start), time(end))
                        && s >= e
                    {
                        self.push(Finding::error(
                            "empty-window",
                            at("end"),
                            say!("plan-empty-window", owner = &owner),
                        ));
                    }
                }
                (None, None, Some(schedule), Some(d)) => {
                    if matches!(schedule, Schedule::Every(_)) {
                        self.push(
                            Finding::error(
                                "bad-schedule",
                                at("schedule"),
                                say!(
                                    "plan-maintenance-every",
                                    owner = &owner,
                                    schedule = schedule.to_string()
                                ),
                            )
                            .hint(say!("plan-hint-maintenance-cron")),
                        );
                    }
                    self.positive(at("duration"), d, say!("plan-what", what = "duration"));
                }
                _ => self.push(
                    Finding::error(
                        "missing-key",
                        at("id"),
                        say!("plan-maintenance-when", owner = &owner),
                    )
                    .hint(example("schedule = \"0 22 * * 2\", duration = \"2h\"")),
                ),
            }
        }
    }

    fn escalations(&mut self) {
        for (i, e) in self.plan.escalations.iter().enumerate() {
            let owner = named("escalation", &e.id);
            if let Some(r) = e.repeat {
                self.positive(format!("escalation[{i}].repeat"), r, "repeat");
            }
            if e.steps.is_empty() {
                self.push(Finding::error(
                    "empty-value",
                    format!("escalation[{i}].steps"),
                    say!("plan-no-step", owner = &owner),
                ));
            }
            let mut previous = Duration::default();
            for (j, step) in e.steps.iter().enumerate() {
                let at = format!("escalation[{i}].steps[{j}]");
                if step.notify.is_empty() {
                    self.push(Finding::error(
                        "empty-value",
                        format!("{at}.notify"),
                        say!("plan-step-notifies-nobody", step = j + 1, owner = &owner),
                    ));
                }
                self.references(
                    &format!("{at}.notify"),
                    &owner,
                    &step.notify,
                    &[Kind::Channel, Kind::Contact, Kind::Team],
                );
                if step.after < previous {
                    self.push(
                        Finding::warning(
                            "escalation-out-of-order",
                            format!("{at}.after"),
                            say!("plan-escalation-out-of-order", step = j + 1, owner = &owner),
                        )
                        .hint(say!("plan-hint-escalation-order")),
                    );
                }
                previous = step.after;
            }
        }
    }

    fn people(&mut self) {
        let plan = self.plan;
        for (i, c) in plan.contacts.iter().enumerate() {
            let owner = named("contact", &c.id);
            self.references(
                &format!("contact[{i}].alternates"),
                &owner,
                &c.alternates,
                &[Kind::Contact],
            );
            if c.alternates.contains(&c.id) {
                self.push(Finding::error(
                    "self-reference",
                    format!("contact[{i}].alternates"),
                    say!("plan-own-alternate", owner = &owner),
                ));
            }
            if c.phone.is_none() && c.email.is_none() {
                self.push(
                    Finding::warning(
                        "unreachable-contact",
                        format!("contact[{i}].id"),
                        say!("plan-unreachable-contact", owner = &owner),
                    )
                    .hint(say!("plan-hint-reach-contact")),
                );
            }
        }
        for (i, t) in plan.teams.iter().enumerate() {
            let owner = named("team", &t.id);
            if t.members.is_empty() {
                self.push(Finding::error(
                    "empty-value",
                    format!("team[{i}].members"),
                    say!("plan-no-member", owner = &owner),
                ));
            }
            self.references(
                &format!("team[{i}].members"),
                &owner,
                &t.members,
                &[Kind::Contact],
            );
            if let Some(lead) = &t.lead {
                self.reference(format!("team[{i}].lead"), &owner, lead, &[Kind::Contact]);
            }
        }
    }

    /// `[crisis]`, `[[crisis_task]]`, `[[crisis_message]]`, `[[exercise]]`.
    fn crisis(&mut self) {
        let plan = self.plan;
        let targets = [Kind::Channel, Kind::Contact, Kind::Team];
        if let Some(c) = &plan.crisis {
            let owner = say!("plan-crisis-cell");
            self.references("crisis.cell", &owner, &c.cell, &[Kind::Contact, Kind::Team]);
            if let Some(d) = c.answer_within {
                self.positive("crisis.answer_within".into(), d, "duration");
            }
        }
        // Each role of the cell needs someone to take their place.
        for id in crate::crisis::cell_roles(plan) {
            let Some(i) = plan.contacts.iter().position(|c| c.id.as_str() == id) else {
                continue;
            };
            if plan.contacts[i].alternates.is_empty() {
                let owner = named("contact", &plan.contacts[i].id);
                self.push(
                    Finding::warning(
                        "role-without-alternate",
                        format!("contact[{i}].alternates"),
                        say!("plan-crisis-role-without-alternate", owner = &owner),
                    )
                    .hint(say!("plan-hint-crisis-alternate")),
                );
            }
        }
        for (i, task) in plan.crisis_tasks.iter().enumerate() {
            let owner = named("crisis_task", &task.id);
            self.nonempty(format!("crisis_task[{i}].title"), &task.title, "title");
            if let Some(o) = &task.owner {
                self.reference(
                    format!("crisis_task[{i}].owner"),
                    &owner,
                    o,
                    &[Kind::Contact, Kind::Team],
                );
            }
            if let Some(d) = task.within {
                self.positive(format!("crisis_task[{i}].within"), d, "duration");
            }
        }
        for (i, m) in plan.crisis_messages.iter().enumerate() {
            let owner = named("crisis_message", &m.id);
            self.nonempty(
                format!("crisis_message[{i}].subject"),
                &m.subject,
                "subject",
            );
            self.nonempty(format!("crisis_message[{i}].text"), &m.text, "text");
            if m.to.is_empty() {
                self.push(Finding::error(
                    "empty-value",
                    format!("crisis_message[{i}].to"),
                    say!("plan-crisis-message-to-nobody", owner = &owner),
                ));
            }
            self.references(&format!("crisis_message[{i}].to"), &owner, &m.to, &targets);
            for (key, text) in [("subject", &m.subject), ("text", &m.text)] {
                for unknown in crate::crisis::unknown_placeholders(text) {
                    self.push(
                        Finding::error(
                            "unknown-placeholder",
                            format!("crisis_message[{i}].{key}"),
                            say!(
                                "plan-crisis-unknown-placeholder",
                                owner = &owner,
                                placeholder = unknown.as_str()
                            ),
                        )
                        .hint(say!(
                            "plan-hint-crisis-placeholders",
                            list = crate::crisis::PLACEHOLDERS
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                }
            }
        }
        for (i, x) in plan.exercises.iter().enumerate() {
            let owner = named("exercise", &x.id);
            self.nonempty(format!("exercise[{i}].title"), &x.title, "title");
            self.references(
                &format!("exercise[{i}].scenarios"),
                &owner,
                &x.scenarios,
                &[Kind::Scenario],
            );
            self.references(
                &format!("exercise[{i}].processes"),
                &owner,
                &x.processes,
                &[Kind::Process],
            );
            for (j, inject) in x.injects.iter().enumerate() {
                self.nonempty(
                    format!("exercise[{i}].injects[{j}].text"),
                    &inject.text,
                    "text",
                );
                self.references(
                    &format!("exercise[{i}].injects[{j}].to"),
                    &owner,
                    &inject.to,
                    &targets,
                );
            }
        }
    }

    fn scenarios(&mut self) {
        let plan = self.plan;
        for (i, s) in plan.scenarios.iter().enumerate() {
            let owner = named("scenario", &s.id);
            self.reference(
                format!("scenario[{i}].process"),
                &owner,
                &s.process,
                &[Kind::Process],
            );
            if s.steps.is_empty() {
                self.push(Finding::error(
                    "empty-value",
                    format!("scenario[{i}].steps"),
                    say!("plan-no-step", owner = &owner),
                ));
            }
            for (j, step) in s.steps.iter().enumerate() {
                let at = |key: &str| format!("scenario[{i}].steps[{j}].{key}");
                self.nonempty(at("name"), &step.name, "step-name");
                if let Some(t) = step.timeout {
                    self.positive(at("timeout"), t, "timeout");
                }
                match &step.action {
                    StepAction::Restore(r) => {
                        let backup =
                            self.reference(at("restore"), &owner, &r.restore, &[Kind::Backup]);
                        if let Some(site) = &r.site {
                            let known = self.reference(at("site"), &owner, site, &[Kind::Site]);
                            let b = self.lookup(Kind::Backup, r.restore.as_str());
                            let all_read = !self.broken.any("repository");
                            if let (Some(_), Some(_), Some(b), true) = (backup, known, b, all_read)
                            {
                                let has_copy = plan.backups[b].targets.iter().any(|t| {
                                    self.lookup(Kind::Repository, t.as_str())
                                        .is_some_and(|ri| plan.repositories[ri].site == *site)
                                });
                                if !has_copy {
                                    self.push(
                                        Finding::error(
                                            "no-copy-at-site",
                                            at("site"),
                                            say!(
                                                "plan-no-copy-at-site",
                                                backup = r.restore.as_str(),
                                                site = site.as_str()
                                            ),
                                        )
                                        .hint(say!("plan-hint-copy-at-site")),
                                    );
                                }
                            }
                        }
                    }
                    StepAction::Command(c) => self.nonempty(at("command"), &c.command, "command"),
                    StepAction::Simulate(c) => {
                        self.nonempty(at("simulate"), &c.simulate, "command")
                    }
                    StepAction::Http(h) => self.url(at("http"), &h.http, "http"),
                    StepAction::Sql(q) => self.nonempty(at("sql"), &q.sql, "query"),
                    StepAction::WaitFor(w) => {
                        if let Some(every) = w.every {
                            self.positive(at("every"), every, "every");
                        }
                        match &w.wait_for {
                            Condition::Http(h) => self.url(
                                format!("scenario[{i}].steps[{j}].wait_for.http"),
                                &h.http,
                                "http",
                            ),
                            Condition::Tcp(t) => self.nonempty(
                                format!("scenario[{i}].steps[{j}].wait_for.tcp"),
                                &t.tcp,
                                "address",
                            ),
                            Condition::Command(c) => self.nonempty(
                                format!("scenario[{i}].steps[{j}].wait_for.command"),
                                &c.command,
                                "command",
                            ),
                        }
                    }
                    StepAction::Manual(m) => {
                        if let Some(who) = &m.who {
                            self.reference(at("who"), &owner, who, &[Kind::Contact, Kind::Team]);
                        }
                    }
                    StepAction::Notify(n) => {
                        self.references(
                            &at("notify"),
                            &owner,
                            &n.notify,
                            &[Kind::Channel, Kind::Contact, Kind::Team],
                        );
                    }
                }
            }
        }
    }

    fn risks(&mut self) {
        for (i, r) in self.plan.risks.iter().enumerate() {
            let owner = named("risk", &r.id);
            self.score(
                format!("risk[{i}].probability"),
                r.probability,
                &owner,
                "probability",
            );
            self.score(format!("risk[{i}].impact"), r.impact, &owner, "impact");
            self.references(
                &format!("risk[{i}].affects"),
                &owner,
                &r.affects,
                &[Kind::Process, Kind::Asset],
            );
            self.references(
                &format!("risk[{i}].mitigated_by"),
                &owner,
                &r.mitigated_by,
                &[
                    Kind::Backup,
                    Kind::Scenario,
                    Kind::Monitor,
                    Kind::Repository,
                ],
            );
        }
    }

    fn sla(&mut self) {
        let Some(sla) = &self.plan.sla else {
            return;
        };
        let mut seen = HashSet::new();
        for (i, t) in sla.targets.iter().enumerate() {
            let at = |key: &str| format!("sla.targets[{i}].{key}");
            let owner = say!("plan-sla-target");
            self.reference(at("monitor"), &owner, &t.monitor, &[Kind::Monitor]);
            if !seen.insert(&t.monitor) {
                self.push(Finding::error(
                    "duplicate-id",
                    at("monitor"),
                    say!("plan-two-sla-targets", monitor = t.monitor.as_str()),
                ));
            }
            if !(t.uptime.0 > 0.0 && t.uptime.0 <= 100.0) {
                self.push(
                    Finding::error(
                        "uptime-out-of-range",
                        at("uptime"),
                        say!("plan-uptime-out-of-range", uptime = t.uptime.0.to_string()),
                    )
                    .hint(example("uptime = 99.5")),
                );
            }
        }
        // The monthly report goes by e-mail: each receiver is a contact
        // with an address.
        let owner = say!("plan-sla-report");
        self.references("sla.report_to", &owner, &sla.report_to, &[Kind::Contact]);
        for (i, id) in sla.report_to.iter().enumerate() {
            let contact = self.plan.contacts.iter().find(|c| c.id == *id);
            if contact.is_some_and(|c| c.email.is_none()) {
                self.push(
                    Finding::error(
                        "no-email",
                        format!("sla.report_to[{i}]"),
                        say!("plan-report-to-no-email", contact = id.as_str()),
                    )
                    .hint(say!("plan-hint-contact-email", contact = id.as_str())),
                );
            }
        }
    }

    fn status_page(&mut self) {
        let Some(page) = &self.plan.status_page else {
            return;
        };
        if page.title.trim().is_empty() {
            self.push(
                Finding::error(
                    "empty",
                    "status_page.title",
                    say!("plan-status-page-no-title"),
                )
                .hint(example("title = \"Acme — service status\"")),
            );
        }
        if page.monitors.is_empty() {
            self.push(
                Finding::warning(
                    "empty",
                    "status_page.monitors",
                    say!("plan-status-page-empty"),
                )
                .hint(example("monitors = [\"web\", \"mail\"]")),
            );
        }
        let owner = say!("plan-status-page");
        for (i, m) in page.monitors.iter().enumerate() {
            self.reference(
                format!("status_page.monitors[{i}]"),
                &owner,
                m,
                &[Kind::Monitor],
            );
        }
    }

    /// Dependency cycles among assets and processes, and among monitors.
    fn cycles(&mut self) {
        let plan = self.plan;
        // Nodes: (kind, index). Edges carry the path of the reference.
        let mut edges: HashMap<Node, Vec<(Node, String)>> = HashMap::new();
        for (i, a) in plan.assets.iter().enumerate() {
            for (j, d) in a.depends_on.iter().enumerate() {
                if let Some(t) = self.lookup(Kind::Asset, d.as_str()) {
                    edges
                        .entry((Kind::Asset, i))
                        .or_default()
                        .push(((Kind::Asset, t), format!("asset[{i}].depends_on[{j}]")));
                }
            }
        }
        for (i, p) in plan.processes.iter().enumerate() {
            for (j, d) in p.depends_on.iter().enumerate() {
                let target = self
                    .lookup(Kind::Process, d.as_str())
                    .map(|t| (Kind::Process, t))
                    .or_else(|| {
                        self.lookup(Kind::Asset, d.as_str())
                            .map(|t| (Kind::Asset, t))
                    });
                if let Some(t) = target {
                    edges
                        .entry((Kind::Process, i))
                        .or_default()
                        .push((t, format!("process[{i}].depends_on[{j}]")));
                }
            }
        }
        for (i, m) in plan.monitors.iter().enumerate() {
            for (j, d) in m.depends_on.iter().enumerate() {
                if let Some(t) = self.lookup(Kind::Monitor, d.as_str()) {
                    edges
                        .entry((Kind::Monitor, i))
                        .or_default()
                        .push(((Kind::Monitor, t), format!("monitor[{i}].depends_on[{j}]")));
                }
            }
        }
        let mut nodes: Vec<(Kind, usize)> = edges.keys().copied().collect();
        nodes.sort_unstable();
        let mut done: HashSet<(Kind, usize)> = HashSet::new();
        let mut reported: HashSet<BTreeSet<(Kind, usize)>> = HashSet::new();
        for start in nodes {
            if done.contains(&start) {
                continue;
            }
            // Iterative depth-first search; `stack` is the current path.
            // Each entry: node, next edge to follow, path of the edge that led here.
            let mut stack: Vec<((Kind, usize), usize, Option<&String>)> = vec![(start, 0, None)];
            let mut on_path: HashSet<(Kind, usize)> = HashSet::from([start]);
            while let Some((node, next, _)) = stack.last().copied() {
                let out = edges.get(&node).map_or(&[][..], Vec::as_slice);
                if next >= out.len() {
                    stack.pop();
                    on_path.remove(&node);
                    done.insert(node);
                    continue;
                }
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let (target, path) = &out[next];
                if on_path.contains(target) {
                    let from = stack.iter().position(|(n, ..)| n == target).unwrap_or(0);
                    let members: Vec<(Kind, usize)> =
                        stack[from..].iter().map(|(n, ..)| *n).collect();
                    // Reported on the reference that leaves the cycle's first element.
                    let at = stack.get(from + 1).and_then(|(_, _, p)| *p).unwrap_or(path);
                    if reported.insert(members.iter().copied().collect()) {
                        let mut names: Vec<String> = members
                            .iter()
                            .map(|n| self.node_id(*n).to_owned())
                            .collect();
                        names.push(self.node_id(*target).to_owned());
                        let kind = if target.0 == Kind::Monitor {
                            "monitor"
                        } else {
                            "dependency"
                        };
                        self.push(
                            Finding::error(
                                "dependency-cycle",
                                at.clone(),
                                say!("plan-cycle", kind = kind, names = names.join(" → ")),
                            )
                            .hint(say!("plan-hint-cycle")),
                        );
                    }
                } else if !done.contains(target) {
                    on_path.insert(*target);
                    stack.push((*target, 0, Some(path)));
                }
            }
        }
    }

    fn node_id(&self, (kind, i): (Kind, usize)) -> &'p str {
        let plan = self.plan;
        match kind {
            Kind::Asset => plan.assets[i].id.as_str(),
            Kind::Process => plan.processes[i].id.as_str(),
            _ => plan.monitors[i].id.as_str(),
        }
    }
}

/// Each backup's longest gap between runs, computed once and only when
/// needed (a cron pattern is walked over many occurrences).
struct Gaps(Vec<Option<Option<Duration>>>);

impl Gaps {
    fn new(n: usize) -> Self {
        Gaps(vec![None; n])
    }

    fn get(&mut self, plan: &Plan, backup: usize) -> Option<Duration> {
        *self.0[backup].get_or_insert_with(|| plan.backups[backup].schedule.longest_gap())
    }
}

/// A regex error on one line: its last line ("unclosed group"), not the
/// drawing of the pattern above it.
pub(crate) fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_owned()
}

/// The `expect` keys that are set.
fn expect_keys_set(e: &super::Expect) -> Vec<&'static str> {
    [
        ("status", e.status.is_some()),
        ("body_contains", e.body_contains.is_some()),
        ("body_matches", e.body_matches.is_some()),
        ("json_path", e.json_path.is_some()),
        ("max_latency", e.max_latency.is_some()),
        ("exit_code", e.exit_code.is_some()),
        ("record", e.record.is_some()),
        ("value", e.value.is_some()),
        ("min_days_valid", e.min_days_valid.is_some()),
        ("max_loss", e.max_loss.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect()
}
