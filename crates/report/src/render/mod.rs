//! A [`Document`] drawn in one of three formats: Markdown (to paste into a
//! wiki or a repository), one self-contained HTML page, and PDF (Typst, in
//! process). All three number the sections the same way (1., 1.1) and add
//! no words of their own apart from the document's [`Labels`].
//!
//! [`Labels`]: crate::doc::Labels

mod html;
mod markdown;
mod pdf;

pub use html::html;
pub use markdown::markdown;
pub use pdf::{RenderError, pdf};

use crate::doc::{Document, Tone};

/// A format a document can be rendered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Html,
    Markdown,
}

impl Format {
    /// The format a file extension or a `?format=` value names: `pdf`,
    /// `html` or `md` (`markdown` too); `None` for anything else.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "pdf" => Some(Format::Pdf),
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }

    /// The HTTP `Content-Type` of a rendered document.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

/// The document in `format`, as the bytes of a file.
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => pdf(doc),
        Format::Html => Ok(html(doc).into_bytes()),
        Format::Markdown => Ok(markdown(doc).into_bytes()),
    }
}

/// A section's number from its position (1-based, outermost first):
/// `1.` for a top-level section, `1.2` and `1.2.3` under it, as Typst's
/// headings read in the PDF.
fn section_number(path: &[usize]) -> String {
    let parts: Vec<String> = path.iter().map(usize::to_string).collect();
    if parts.len() == 1 {
        format!("{}.", parts[0])
    } else {
        parts.join(".")
    }
}

/// A section's anchor in HTML and Markdown (`sec-1-2`): built from its
/// number, so it is unique and needs no slug of the title.
fn section_anchor(path: &[usize]) -> String {
    let parts: Vec<String> = path.iter().map(usize::to_string).collect();
    format!("sec-{}", parts.join("-"))
}

/// The document's date (`2026-12-02`, UTC): numeric, so it reads the same
/// in every language and needs no month names.
fn iso_date(created_ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(created_ms).map(|at| at.format("%Y-%m-%d").to_string())
}

/// A callout's marker: signs, not words or emoji, so it reads the same in
/// every language and every font (the PDF
/// template draws the same ones).
fn callout_mark(tone: Tone) -> &'static str {
    match tone {
        Tone::Good => "✓",
        Tone::Warn | Tone::Bad => "!",
        Tone::Plain | Tone::Muted => "i",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_extension() {
        for format in [Format::Pdf, Format::Html, Format::Markdown] {
            assert_eq!(Format::parse(format.extension()), Some(format));
        }
        assert_eq!(Format::parse("docx"), None);
        assert_eq!(Format::parse("PDF"), None);
        assert_eq!(
            Format::Markdown.content_type(),
            "text/markdown; charset=utf-8"
        );
    }

    #[test]
    fn sections_are_numbered_like_the_pdf() {
        assert_eq!(section_number(&[3]), "3.");
        assert_eq!(section_number(&[3, 1]), "3.1");
        assert_eq!(section_number(&[3, 1, 2]), "3.1.2");
        assert_eq!(section_anchor(&[3, 1]), "sec-3-1");
    }

    #[test]
    fn the_date_is_utc_and_numeric() {
        assert_eq!(iso_date(1_764_633_600_000).as_deref(), Some("2025-12-02"));
        assert_eq!(iso_date(i64::MAX), None);
    }
}
