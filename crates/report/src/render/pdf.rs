//! PDF through Typst, in process: the template (`template.typ`, compiled
//! into the binary) lays out the document, which it receives as JSON data
//! in `sys.inputs.doc`. User text is never spliced into Typst source, so a
//! `#`, `*` or `$` in a plan prints as typed and cannot run Typst code.
//!
//! The same [`Document`] gives the same bytes: the creation date is the
//! document's own `created_ms`, the PDF identifier is derived from what the
//! document is, and only the fonts compiled into the binary are used.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::SourceDiagnostic;
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart};
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::iso_date;
use crate::doc::Document;

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The document could not be turned into the template's JSON input.
    #[error("the document could not be encoded for the PDF template: {0}")]
    Encode(#[from] serde_json::Error),
    /// Typst could not lay the document out (the template or a value in
    /// the document it refused, such as an unknown language code or an
    /// SVG it cannot read).
    #[error("the PDF could not be laid out: {0}")]
    Layout(String),
    /// Typst laid the document out but could not write it as PDF.
    #[error("the PDF could not be written: {0}")]
    Export(String),
}

/// The template, built into the binary: nothing is read from disk.
const TEMPLATE: &str = include_str!("template.typ");

/// The Typst engine with its fonts, built once per process: parsing the
/// embedded fonts takes longer than laying out a whole document.
static ENGINE: LazyLock<TypstEngine<TypstTemplateMainFile>> = LazyLock::new(|| {
    TypstEngine::builder()
        .main_file(("template.typ", TEMPLATE))
        // Only Typst's own embedded fonts: the PDF must not depend on the
        // fonts installed where it is rendered.
        .fonts(typst_assets::fonts().map(Bytes::new))
        .build()
});

/// The document as a PDF file (A4, title page, contents, numbered sections).
pub fn pdf(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let created = DateTime::<Utc>::from_timestamp_millis(doc.created_ms);

    let mut inputs = Dict::new();
    inputs.insert("doc".into(), serde_json::to_string(doc)?.into_value());
    // The date printed on the title page; empty if `created_ms` is out of
    // any calendar's range, and the template then prints none.
    inputs.insert(
        "date".into(),
        iso_date(doc.created_ms).unwrap_or_default().into_value(),
    );

    let document: PagedDocument = ENGINE
        .compile_with_input(inputs)
        .output
        .map_err(|error| RenderError::Layout(typst_error(error)))?;

    let options = PdfOptions {
        // Hashed into the PDF's /ID: the same for every version of this
        // kind of document for this organisation, so readers and archives
        // see the versions of one document; never random.
        ident: Smart::Custom(format!(
            "rempart/{}/{}/{}",
            doc.kind, doc.lang, doc.subtitle
        )),
        creator: Smart::Custom(Some("Rempart".to_string())),
        // The evidence's time rather than the clock's, so the same inputs
        // give the same bytes.
        timestamp: created.and_then(timestamp),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|diagnostics| RenderError::Export(messages(&diagnostics)))
}

fn timestamp(at: DateTime<Utc>) -> Option<Timestamp> {
    let datetime = Datetime::from_ymd_hms(
        at.year(),
        u8::try_from(at.month()).ok()?,
        u8::try_from(at.day()).ok()?,
        u8::try_from(at.hour()).ok()?,
        u8::try_from(at.minute()).ok()?,
        u8::try_from(at.second()).ok()?,
    )?;
    Some(Timestamp::new_utc(datetime))
}

/// What Typst said, in one line: its diagnostics' messages and hints.
fn typst_error(error: TypstAsLibError) -> String {
    match error {
        TypstAsLibError::TypstSource(diagnostics) => messages(&diagnostics),
        other => other.to_string(),
    }
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    let said: Vec<String> = diagnostics
        .iter()
        .map(|diagnostic| {
            let mut line = diagnostic.message.to_string();
            for hint in &diagnostic.hints {
                line.push_str(" (hint: ");
                line.push_str(hint.v.as_str());
                line.push(')');
            }
            line
        })
        .collect();
    if said.is_empty() {
        "Typst gave no reason".to_string()
    } else {
        said.join("; ")
    }
}
