//! Progress bars on a terminal (bytes, rate, ETA), for the commands a
//! person runs by hand. Scheduled jobs and `--json` show none.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use rustic_core::{Progress, ProgressBars, ProgressType, RusticProgress};

/// Draws rustic's progress on standard error.
#[derive(Clone, Debug)]
pub struct TerminalBars {
    multi: MultiProgress,
    /// Shown before each bar: the repository it is about.
    label: String,
}

impl TerminalBars {
    pub fn new() -> Self {
        TerminalBars {
            multi: MultiProgress::new(),
            label: String::new(),
        }
    }

    /// The same bars, labelled for one repository.
    pub fn labelled(&self, label: &str) -> Self {
        TerminalBars {
            multi: self.multi.clone(),
            label: label.to_owned(),
        }
    }
}

impl Default for TerminalBars {
    fn default() -> Self {
        TerminalBars::new()
    }
}

#[derive(Debug)]
struct Bar(ProgressBar);

impl RusticProgress for Bar {
    fn is_hidden(&self) -> bool {
        false
    }
    fn set_length(&self, len: u64) {
        self.0.set_length(len);
    }
    fn set_title(&self, title: &str) {
        self.0.set_message(title.to_owned());
    }
    fn inc(&self, inc: u64) {
        self.0.inc(inc);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl ProgressBars for TerminalBars {
    fn progress(&self, kind: ProgressType, prefix: &str) -> Progress {
        let template = match kind {
            ProgressType::Bytes => {
                "{prefix:.bold} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}"
            }
            ProgressType::Counter => "{prefix:.bold} [{wide_bar}] {pos}/{len}",
            _ => "{prefix:.bold} {spinner} {elapsed}",
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = self.multi.add(ProgressBar::new(0).with_style(style));
        let prefix = if self.label.is_empty() {
            prefix.to_owned()
        } else {
            format!("{} {prefix}", self.label)
        };
        bar.set_prefix(prefix);
        Progress::new(Bar(bar))
    }
}
