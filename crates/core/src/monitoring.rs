//! A monitor's state from its checks, pure: confirmation thresholds before
//! the state flips, flapping detection, and root causes — a monitor whose
//! parent (`depends_on`) is down is `unreachable`, not down, and raises no
//! alert of its own: the parent's alert names it.

use serde::{Deserialize, Serialize};

/// Where a monitor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    Up,
    Down,
    /// Failing while a monitor it depends on is down.
    Unreachable,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Up => "up",
            Health::Down => "down",
            Health::Unreachable => "unreachable",
        }
    }
}

/// How many checks confirm a change, and what counts as flapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Failed checks in a row before a monitor is down.
    pub confirm: u32,
    /// Passed checks in a row before it is up again.
    pub recover: u32,
    /// Changes of raw result within [`Rules::flap_window`] checks that
    /// make it flapping: alerts wait until it settles.
    pub flap_changes: u32,
    pub flap_window: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            confirm: 2,
            recover: 1,
            flap_changes: 5,
            flap_window: 12,
        }
    }
}

/// What is kept of a monitor between two checks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tracker {
    /// `None` until the first confirmed state.
    pub state: Option<Health>,
    /// When the current state began (ms since the epoch).
    pub since_ms: i64,
    /// Failed (or passed) checks in a row.
    pub fails: u32,
    pub passes: u32,
    /// The last checks, newest in bit 0 (1 = up), and how many are known.
    pub history: u64,
    pub known: u32,
    pub flapping: bool,
    pub last_check_ms: i64,
    /// The last check's message.
    pub last_message: String,
    /// The same, kept to be said in the reader's language
    /// (`rempart_i18n::tell`), when the probe says it so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_said: Option<serde_json::Value>,
}

/// A confirmed change worth telling people about (or not, when
/// `alert` is false: flapping, or the cause is upstream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub from: Option<Health>,
    pub to: Health,
    /// When the previous state began.
    pub previous_since_ms: i64,
    pub at_ms: i64,
    /// The parents that are down, when `to` is unreachable.
    pub parents_down: Vec<String>,
    /// Whether this change alerts on its own.
    pub alert: bool,
}

impl Tracker {
    /// Raw result changes among the last `window` checks.
    fn changes(&self, window: u32) -> u32 {
        let n = self.known.min(window).min(64);
        if n < 2 {
            return 0;
        }
        let mask = |bits: u32| {
            if bits >= 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            }
        };
        let last = self.history & mask(n);
        // Bit i differs from bit i+1: a change between two checks.
        ((last ^ (last >> 1)) & mask(n - 1)).count_ones()
    }

    /// Takes one check's result at `now_ms`. `parents_down` are the
    /// monitors it depends on that are down (or unreachable) now.
    pub fn observe(
        &mut self,
        up: bool,
        now_ms: i64,
        message: &str,
        parents_down: &[String],
        rules: Rules,
    ) -> Option<Change> {
        self.history = (self.history << 1) | u64::from(up);
        self.known = self.known.saturating_add(1).min(64);
        self.last_check_ms = now_ms;
        self.last_message = message.to_owned();
        if up {
            self.passes += 1;
            self.fails = 0;
        } else {
            self.fails += 1;
            self.passes = 0;
        }
        let was_flapping = self.flapping;
        self.flapping = self.changes(rules.flap_window) >= rules.flap_changes;

        let target = if up {
            (self.passes >= rules.recover.max(1)).then_some(Health::Up)
        } else if self.fails >= rules.confirm.max(1) {
            Some(if parents_down.is_empty() {
                Health::Down
            } else {
                Health::Unreachable
            })
        } else {
            None
        };
        let to = target?;
        if self.state == Some(to) {
            return None;
        }
        let from = self.state;
        let previous_since_ms = self.since_ms;
        self.state = Some(to);
        self.since_ms = now_ms;
        // The first state seen is not news; a flapping monitor waits to
        // settle; an unreachable one is told by its parent's alert.
        let alert = match (from, to) {
            (None, Health::Up) => false,
            (_, Health::Unreachable) => false,
            // Back from unreachable: its parent's recovery said it.
            (Some(Health::Unreachable), Health::Up) => false,
            _ => !self.flapping && !was_flapping,
        };
        Some(Change {
            from,
            to,
            previous_since_ms,
            at_ms: now_ms,
            parents_down: if to == Health::Unreachable {
                parents_down.to_vec()
            } else {
                Vec::new()
            },
            alert,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &mut Tracker, results: &[bool], parents: &[String]) -> Vec<Change> {
        results
            .iter()
            .enumerate()
            .filter_map(|(i, up)| t.observe(*up, i as i64 * 1_000, "", parents, Rules::default()))
            .collect()
    }

    #[test]
    fn a_failure_is_confirmed_before_the_monitor_is_down() {
        let mut t = Tracker::default();
        let changes = run(&mut t, &[true, false, true, false, false, false, true], &[]);
        let seen: Vec<(Option<Health>, Health, bool, i64)> = changes
            .iter()
            .map(|c| (c.from, c.to, c.alert, c.at_ms))
            .collect();
        assert_eq!(
            seen,
            [
                (None, Health::Up, false, 0),
                (Some(Health::Up), Health::Down, true, 4_000),
                (Some(Health::Down), Health::Up, true, 6_000),
            ]
        );
        assert_eq!(changes[2].previous_since_ms, 4_000, "down for 2 s");
    }

    #[test]
    fn a_child_of_a_down_parent_is_unreachable_and_silent() {
        let mut t = Tracker::default();
        run(&mut t, &[true], &[]);
        let parents = vec!["router".to_owned()];
        let changes = run(&mut t, &[false, false], &parents);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            (changes[0].to, changes[0].alert),
            (Health::Unreachable, false)
        );
        assert_eq!(changes[0].parents_down, parents);
        // Back with its parent: no alert of its own either.
        let back = t.observe(true, 10_000, "", &[], Rules::default()).unwrap();
        assert_eq!((back.to, back.alert), (Health::Up, false));
    }

    #[test]
    fn flapping_holds_alerts_until_it_settles() {
        let mut t = Tracker::default();
        let rules = Rules {
            confirm: 1,
            ..Rules::default()
        };
        let mut alerts = Vec::new();
        let mut flapping_from = None;
        for i in 0..12 {
            if let Some(c) = t.observe(i % 2 == 0, i * 1_000, "", &[], rules)
                && c.alert
            {
                alerts.push(i);
            }
            if t.flapping && flapping_from.is_none() {
                flapping_from = Some(i);
            }
        }
        // Five changes in the window: flapping from the sixth check on,
        // and not one alert after that.
        assert_eq!(flapping_from, Some(5));
        assert_eq!(alerts, [1, 2, 3, 4]);
        assert!(t.flapping);
        // Settled: twelve checks up, then a real outage alerts again.
        for i in 12..24 {
            t.observe(true, i * 1_000, "", &[], rules);
        }
        assert!(!t.flapping);
        let down = t.observe(false, 25_000, "", &[], rules).unwrap();
        assert!(down.alert);
    }

    #[test]
    fn the_tracker_survives_a_round_trip_through_json() {
        let mut t = Tracker::default();
        run(&mut t, &[true, false, false], &[]);
        let back: Tracker = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}

#[cfg(test)]
mod maintenance {
    use crate::plan::check;

    const BASE: &str = include_str!("../tests/plans/base.toml");
    /// 2026-12-01T21:30:00Z, a Tuesday: 22:30 in Paris.
    const TUE_2230_PARIS: i64 = 1_796_160_600_000;

    #[test]
    fn windows_cover_their_monitors_at_their_times() {
        let text = format!(
            "{BASE}\n[[maintenance]]\nid = \"patch\"\nmonitors = [\"web\"]\nschedule = \"0 22 * * 2\"\nduration = \"2h\"\n\n[[maintenance]]\nid = \"move\"\nstart = \"2026-12-05T08:00:00+01:00\"\nend = \"2026-12-05T18:00:00+01:00\"\n"
        );
        let checked = check(&text);
        let plan = checked
            .valid_plan()
            .unwrap_or_else(|| panic!("{:?}", checked.findings));
        let (patch, moving) = (&plan.maintenances[0], &plan.maintenances[1]);
        let tz = "Europe/Paris";
        assert!(patch.covers("web", TUE_2230_PARIS, tz));
        assert!(
            !patch.covers("other", TUE_2230_PARIS, tz),
            "not its monitor"
        );
        assert!(
            !patch.covers("web", TUE_2230_PARIS + 2 * 3_600_000, tz),
            "past its 2 h"
        );
        assert!(
            !patch.covers("web", TUE_2230_PARIS - 3_600_000, tz),
            "before 22:00"
        );
        // 2026-12-05 08:00+01:00 = 07:00Z.
        let start = 1_796_454_000_000;
        assert!(moving.covers("anything", start, tz));
        assert!(!moving.covers("anything", start - 1, tz));
        assert!(
            !moving.covers("anything", start + 10 * 3_600_000, tz),
            "the end is excluded"
        );
    }

    #[test]
    fn bad_windows_are_named() {
        let cases = [
            ("schedule = \"every 1w\"\nduration = \"1h\"", "bad-schedule"),
            (
                "start = \"tomorrow\"\nend = \"2026-12-05T18:00:00Z\"",
                "bad-time",
            ),
            (
                "start = \"2026-12-05T18:00:00Z\"\nend = \"2026-12-05T08:00:00Z\"",
                "empty-window",
            ),
            ("duration = \"1h\"", "missing-key"),
            (
                "monitors = [\"nope\"]\nschedule = \"0 1 * * *\"\nduration = \"1h\"",
                "dangling-reference",
            ),
        ];
        for (body, code) in cases {
            let text = format!("{BASE}\n[[maintenance]]\nid = \"w\"\n{body}\n");
            let checked = check(&text);
            assert!(
                checked.findings.iter().any(|f| f.code == code),
                "{body}: {:?}",
                checked.findings
            );
        }
    }
}

#[cfg(test)]
mod monitor_rules {
    use crate::plan::check;

    const BASE: &str = include_str!("../tests/plans/base.toml");

    #[test]
    fn supervision_settings_are_checked() {
        let cases = [
            (
                "[[monitor]]\nid = \"x\"\nkind = \"tcp\"\ntarget = \"h:1\"\ninterval = \"1m\"\nca = \"ca.pem\"\n",
                "not-applicable",
                "`ca` only applies to tls and http monitors",
            ),
            (
                "[[monitor]]\nid = \"x\"\nkind = \"tcp\"\ntarget = \"h:1\"\ninterval = \"1m\"\nredirects = 0\n",
                "not-applicable",
                "`redirects` only applies to http monitors",
            ),
            (
                "[[monitor]]\nid = \"x\"\nkind = \"tcp\"\ntarget = \"h:1\"\ninterval = \"1m\"\nconfirm = 0\n",
                "zero-count",
                "`confirm` cannot be 0",
            ),
            (
                "[[escalation]]\nid = \"e\"\nsteps = [{ notify = [\"mail\"] }]\nrepeat = \"0s\"\n",
                "zero-duration",
                "repeat cannot be 0s",
            ),
        ];
        for (extra, code, says) in cases {
            let checked = check(&format!("{BASE}\n{extra}"));
            assert!(
                checked
                    .findings
                    .iter()
                    .any(|f| f.code == code && f.message.contains(says)),
                "{extra}: {:?}",
                checked.findings
            );
        }
    }
}
