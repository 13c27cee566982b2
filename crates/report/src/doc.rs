//! A document's content, independent of its format: what the builders
//! (`pra`, `pca`, `sla`, `drill`, `audit`, `crisis`) say, and what the renderers
//! (Markdown, HTML, PDF through Typst) draw. Every word in it is already in
//! the reader's language; the renderers add no words of their own apart
//! from the few in [`Labels`].

use serde::Serialize;

/// A whole document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// `fr` or `en`: the document's language (hyphenation, quotes, dates).
    pub lang: String,
    /// `pra`, `pca`, `sla`, `drill`, `audit` or `crisis`.
    pub kind: String,
    /// Title page: the document's title ("Plan de reprise d'activité").
    pub title: String,
    /// Title page: who it is for (the organisation's name).
    pub subtitle: String,
    /// Title page: facts under the title (tenant, period, evidence head…).
    pub facts: Vec<(String, String)>,
    /// A warning printed large on the title page and at the head of every
    /// page, e.g. "EXERCICE / EXERCISE" on an exercise's report, so that
    /// no page is taken for the real thing.
    pub mark: Option<String>,
    /// The date printed and stored as the PDF's creation date, in ms since
    /// the epoch: the evidence head's time, so the same inputs give the
    /// same bytes.
    pub created_ms: i64,
    /// Printed at the foot of every page after the title page (e.g.
    /// "Martin Usinage SAS · PRA · evidence #812").
    pub footer: String,
    /// Words the renderers need, in the document's language.
    pub labels: Labels,
    pub sections: Vec<Section>,
}

/// The renderers' own words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labels {
    /// "Contents" / "Sommaire".
    pub contents: String,
    /// "Page" / "Page" (before "3 / 12").
    pub page: String,
}

/// A numbered section; its subsections are numbered under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Section>,
}

/// How a table cell, a callout or a figure should read at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tone {
    /// Plain text.
    Plain,
    /// Holds (green).
    Good,
    /// Close to failing (amber).
    Warn,
    /// Fails (red).
    Bad,
    /// Nothing known (grey, italic): "not measured yet".
    Muted,
}

/// A table cell: text, and how it reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            tone: Tone::Plain,
        }
    }

    pub fn toned(text: impl Into<String>, tone: Tone) -> Cell {
        Cell {
            text: text.into(),
            tone,
        }
    }
}

/// One piece of a section, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph of plain text.
    Paragraph { text: String },
    /// A bulleted list.
    List { items: Vec<String> },
    /// Label → value pairs, as a two-column borderless table.
    Facts { rows: Vec<(String, String)> },
    /// A table with a header row; rows are banded.
    Table {
        columns: Vec<String>,
        /// Relative column widths (same length as `columns`), e.g. [1, 3, 1].
        widths: Vec<u32>,
        rows: Vec<Vec<Cell>>,
    },
    /// Lines to type as they are (shell commands), in a monospaced box.
    Code { lines: Vec<String> },
    /// A picture: SVG text (as `rempart_core::charts` draws it), with a
    /// caption under it.
    Figure {
        svg: String,
        caption: String,
        /// Share of the text width, 1–100.
        width_percent: u32,
    },
    /// A boxed remark in a colour.
    Callout { tone: Tone, text: String },
}
