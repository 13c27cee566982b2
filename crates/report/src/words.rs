//! How documents say times, durations and evidence, in the reader's
//! language and the organisation's time zone.

use chrono::TimeZone;
use chrono_tz::Tz;
use rempart_core::assessment::human;
use rempart_core::audit::Cited;
use rempart_i18n::{Lang, t};

use crate::doc::{Cell, Tone};

/// The reader's language and the organisation's clock.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub lang: Lang,
    pub zone: Tz,
}

impl Words {
    /// `29/11/2026 14:02` (French) or `2026-11-29 14:02` (English), in
    /// the organisation's time zone.
    pub fn time(&self, ms: i64) -> String {
        let Some(at) = self.zone.timestamp_millis_opt(ms).single() else {
            return String::new();
        };
        match self.lang {
            Lang::Fr => at.format("%d/%m/%Y %H:%M").to_string(),
            Lang::En => at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// The day alone.
    pub fn day(&self, ms: i64) -> String {
        let Some(at) = self.zone.timestamp_millis_opt(ms).single() else {
            return String::new();
        };
        match self.lang {
            Lang::Fr => at.format("%d/%m/%Y").to_string(),
            Lang::En => at.format("%Y-%m-%d").to_string(),
        }
    }

    /// `1h30m` in English (as plans write durations), `1 h 30 min` in French.
    pub fn duration(&self, ms: i64) -> String {
        let compact = human(ms);
        if self.lang == Lang::En {
            return compact;
        }
        // Split `2d4h30m15s` into (number, unit) pairs.
        let mut parts = Vec::new();
        let mut number = String::new();
        let mut unit = String::new();
        for c in compact.chars() {
            if c.is_ascii_digit() {
                if !unit.is_empty() {
                    parts.push((std::mem::take(&mut number), std::mem::take(&mut unit)));
                }
                number.push(c);
            } else {
                unit.push(c);
            }
        }
        parts.push((number, unit));
        parts
            .into_iter()
            .map(|(n, u)| {
                let u = match u.as_str() {
                    "d" => "j",
                    "m" => "min",
                    other => other,
                };
                format!("{n}\u{a0}{u}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "evidence #812, 2026-11-29 14:02".
    pub fn cite(&self, seq: i64, ms: i64) -> String {
        t!(self.lang, "report-cite", seq = seq, at = self.time(ms))
    }

    pub fn cited(&self, c: &Cited) -> String {
        self.cite(c.seq, c.finished_ms)
    }

    /// "not measured yet".
    pub fn unmeasured(&self) -> String {
        t!(self.lang, "report-not-measured")
    }

    /// A measured figure with its record, or "not measured yet" (muted).
    pub fn figure(&self, value: Option<(String, i64, i64)>) -> Cell {
        match value {
            Some((text, seq, ms)) => Cell::plain(format!("{text} ({})", self.cite(seq, ms))),
            None => Cell::toned(self.unmeasured(), Tone::Muted),
        }
    }

    pub fn yes_no(&self, b: bool) -> String {
        if b {
            t!(self.lang, "report-yes")
        } else {
            t!(self.lang, "report-no")
        }
    }
}
