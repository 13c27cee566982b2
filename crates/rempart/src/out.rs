//! How the command line speaks to a person: one language at a time (the
//! catalogue of `rempart-i18n`), tables with a header row and aligned
//! columns, colour for states on a terminal only (never when piped, never
//! with `NO_COLOR`), times in the organisation's time zone with its
//! offset, JSON pretty-printed on a terminal and one line when piped.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use rempart_core::plan::Plan;
pub use rempart_i18n::{Lang, t};

use crate::Global;

/// The language the command speaks in, as last chosen (see
/// [`Global::lang`]): the one the error and warning lines use.
static SPOKEN: AtomicU8 = AtomicU8::new(0);

/// Remembers the language chosen for this command.
pub fn speak(lang: Lang) {
    SPOKEN.store(
        Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0) as u8,
        Ordering::Relaxed,
    );
}

/// The language this command speaks in.
pub fn spoken() -> Lang {
    Lang::ALL
        .get(usize::from(SPOKEN.load(Ordering::Relaxed)))
        .copied()
        .unwrap_or(Lang::En)
}

/// `error: …` on stderr, the prefix in the command's language (use `fail!`).
pub fn error_line(message: &str) {
    eprintln!("{}", t!(spoken(), "cli-error-line", message = message));
}

/// `warning: …` on stderr, the prefix in the command's language (use `caution!`).
pub fn warning_line(message: &str) {
    eprintln!("{}", t!(spoken(), "cli-warning-line", message = message));
}

/// The error line for evidence that could not be recorded.
pub fn cannot_record(why: impl std::fmt::Display) {
    error_line(&t!(spoken(), "cli-cannot-record", why = why.to_string()));
}

/// How a state reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Up, passed, compliant.
    Good,
    /// Degraded, flapping, in maintenance, untested.
    Warn,
    /// Down, failed, breached.
    Bad,
    Plain,
}

/// The language, time zone and colours of one command's output.
pub struct Out {
    pub lang: Lang,
    zone: Option<chrono_tz::Tz>,
    colour: bool,
}

/// Whether standard output takes colours: a terminal, and `NO_COLOR`
/// unset or empty (<https://no-color.org>).
fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Out {
    /// For a command about `plan` (its language and time zone, unless
    /// `--lang` or `$REMPART_LANG` asks for another language).
    pub fn new(g: &Global, plan: Option<&Plan>) -> Out {
        Out {
            lang: g.lang(plan),
            zone: plan.and_then(|p| p.organization.timezone.parse().ok()),
            colour: colour_wanted(),
        }
    }

    /// A table with a header row; as wide as the terminal when there is
    /// one (long cells wrap), as wide as its content when piped.
    pub fn table<S: AsRef<str>>(&self, header: &[S]) -> Table {
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        if !self.colour {
            table.force_no_tty();
        }
        if std::io::stdout().is_terminal() {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        table.set_header(header.iter().map(|h| {
            let cell = Cell::new(h.as_ref());
            if self.colour {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table
    }

    /// A cell coloured by its tone (on a terminal only).
    pub fn cell(&self, text: impl std::fmt::Display, tone: Tone) -> Cell {
        let cell = Cell::new(text);
        if !self.colour {
            return cell;
        }
        match tone {
            Tone::Good => cell.fg(Color::Green),
            Tone::Warn => cell.fg(Color::Yellow),
            Tone::Bad => cell.fg(Color::Red).add_attribute(Attribute::Bold),
            Tone::Plain => cell,
        }
    }

    /// Text coloured by its tone, for a line outside a table.
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        if !self.colour {
            return text.to_owned();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "1;31",
            Tone::Plain => return text.to_owned(),
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// An instant in the organisation's time zone, with its offset
    /// (UTC when the plan names none): `2026-12-02 17:05:09 +01:00`.
    pub fn time(&self, ms: i64) -> String {
        let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
            return ms.to_string();
        };
        t.with_timezone(&self.zone.unwrap_or(chrono_tz::UTC))
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string()
    }

    /// "11 s ago", "il y a 11 s".
    pub fn ago(&self, ms: i64) -> String {
        t!(self.lang, "time-ago", duration = duration(ms))
    }
}

/// The output of a command about `scope`: the language and time zone of
/// the plan it runs (its accepted version in the store).
pub async fn for_tenant(g: &Global, scope: &rempart_store::TenantScope) -> Out {
    let active =
        rempart_engine::active_plan(scope, &g.data_dir, &rempart_engine::PlanCache::default())
            .await;
    Out::new(g, active.as_ref().map(|a| &*a.plan))
}

/// A duration for people: `8s`, `1h2m`, `350ms`.
pub fn duration(ms: i64) -> String {
    rempart_core::assessment::human(ms)
}

/// Prints a table without the trailing spaces of its last column.
pub fn print_table(table: &Table) {
    for line in table.lines() {
        println!("{}", line.trim_end());
    }
}

/// Prints JSON for scripts: indented on a terminal, one line when piped.
pub fn print_json(value: &serde_json::Value) {
    if std::io::stdout().is_terminal() {
        println!("{value:#}");
    } else {
        println!("{value}");
    }
}
