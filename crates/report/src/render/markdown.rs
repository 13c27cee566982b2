//! GitHub-flavoured Markdown: for a wiki, a repository or a ticket. Every
//! piece of the document's text is escaped, so a `*` or a `<script>` in a
//! plan reads as typed instead of turning into emphasis or HTML.

use std::fmt::Write;

use super::{callout_mark, iso_date, section_anchor, section_number};
use crate::doc::{Block, Cell, Document, Section, Tone};

/// The document as GitHub-flavoured Markdown.
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(mark) = &doc.mark {
        let _ = writeln!(out, "> **{}**\n", inline(mark));
    }
    let _ = writeln!(out, "# {}\n", inline(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "**{}**\n", inline(&doc.subtitle));
    }
    if let Some(date) = iso_date(doc.created_ms) {
        let _ = writeln!(out, "_{date}_\n");
    }
    facts(&mut out, &doc.facts);

    let _ = writeln!(out, "## {}\n", inline(&doc.labels.contents));
    contents(&mut out, &doc.sections, &mut Vec::new());
    out.push('\n');

    let mut path = Vec::new();
    for (i, section) in doc.sections.iter().enumerate() {
        path.push(i + 1);
        self::section(&mut out, section, &mut path);
        path.pop();
    }

    if !doc.footer.is_empty() {
        let _ = writeln!(out, "---\n\n{}", inline(&doc.footer));
    }
    out
}

/// The table of contents: a nested list of links to the sections' anchors.
fn contents(out: &mut String, sections: &[Section], path: &mut Vec<usize>) {
    for (i, section) in sections.iter().enumerate() {
        path.push(i + 1);
        let _ = writeln!(
            out,
            "{}- [{} {}](#{})",
            "  ".repeat(path.len() - 1),
            section_number(path),
            inline(&section.title),
            section_anchor(path)
        );
        contents(out, &section.subsections, path);
        path.pop();
    }
}

fn section(out: &mut String, section: &Section, path: &mut Vec<usize>) {
    // An explicit anchor: GitHub's own heading slugs drop accents and
    // punctuation in ways other renderers do not, so the contents would
    // link nowhere on some of them.
    let _ = writeln!(
        out,
        "<a id=\"{}\"></a>\n\n{} {} {}\n",
        section_anchor(path),
        "#".repeat((path.len() + 1).min(6)),
        section_number(path),
        inline(&section.title)
    );
    for block in &section.blocks {
        self::block(out, block);
    }
    for (i, sub) in section.subsections.iter().enumerate() {
        path.push(i + 1);
        self::section(out, sub, path);
        path.pop();
    }
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph { text } => {
            let _ = writeln!(out, "{}\n", lines(text, "\n"));
        }
        Block::List { items } => {
            for item in items {
                let _ = writeln!(out, "- {}", lines(item, "\n  "));
            }
            out.push('\n');
        }
        Block::Facts { rows } => facts(out, rows),
        Block::Table { columns, rows, .. } => table(out, columns, rows),
        Block::Code { lines } => {
            let fence = fence(lines);
            let _ = writeln!(out, "{fence}sh\n{}\n{fence}\n", lines.join("\n"));
        }
        Block::Figure { caption, .. } => {
            // The SVG stays out: GitHub and most wikis strip inline SVG, and
            // a data: URL image is refused by many of them.
            let _ = writeln!(out, "_(figure: {})_\n", inline(caption));
        }
        Block::Callout { tone, text } => {
            let _ = writeln!(
                out,
                "> **{}** {}\n",
                callout_mark(*tone),
                lines(text, "\n> ")
            );
        }
    }
}

/// Label → value pairs as a list: a Markdown table needs a header row that
/// such pairs do not have.
fn facts(out: &mut String, rows: &[(String, String)]) {
    if rows.is_empty() {
        return;
    }
    for (label, value) in rows {
        let _ = writeln!(out, "- **{}** — {}", inline(label), lines(value, "\n  "));
    }
    out.push('\n');
}

fn table(out: &mut String, columns: &[String], rows: &[Vec<Cell>]) {
    if columns.is_empty() {
        return;
    }
    let header: Vec<String> = columns.iter().map(|c| cell_text(c)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(columns.len()));
    for row in rows {
        // Every row gets exactly the header's number of cells: GitHub drops
        // extra ones silently and leaves missing ones empty anyway.
        let cells: Vec<String> = (0..columns.len())
            .map(|i| row.get(i).map(toned).unwrap_or_default())
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// A cell's text with its tone in the only ways Markdown has: strong for
/// what fails or nearly does, emphasis for what is not known.
fn toned(cell: &Cell) -> String {
    let text = cell_text(&cell.text);
    if text.is_empty() {
        return text;
    }
    match cell.tone {
        Tone::Plain | Tone::Good => text,
        Tone::Warn | Tone::Bad => format!("**{text}**"),
        Tone::Muted => format!("_{text}_"),
    }
}

/// Text for inside a table cell: a cell is one line, so line breaks become
/// `<br>`, and `|` must not end the cell.
fn cell_text(text: &str) -> String {
    text.lines()
        .map(|line| escape(line.trim(), false))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Text that may span lines: each line escaped, joined by `join` (the
/// list item's indent or the blockquote's `> `, so the lines stay in it).
fn lines(text: &str, join: &str) -> String {
    text.lines()
        .map(|line| escape(line.trim_start(), true))
        .collect::<Vec<_>>()
        .join(join)
}

/// A single-line text (a title, a link's words): line breaks become spaces.
fn inline(text: &str) -> String {
    escape(text.replace(['\r', '\n'], " ").trim(), true)
}

/// One line of text escaped so that it renders literally: a backslash
/// before every character Markdown (with GitHub's tables, strikethrough and
/// math) gives a meaning to, and before what would start a block at the
/// beginning of a line (`-`, `+`, `=`, `1.`) when `line_start` is set.
fn escape(line: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    if line_start {
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        match chars.first() {
            Some('-' | '+' | '=') => out.push('\\'),
            Some(c) if c.is_ascii_digit() && matches!(chars.get(digits), Some('.' | ')')) => {
                // `12.` opens an ordered list: escape its dot, not a digit.
                out.extend(&chars[..digits]);
                out.push('\\');
                out.push(chars[digits]);
                return escape_rest(out, &chars[digits + 1..]);
            }
            _ => {}
        }
    }
    escape_rest(out, &chars)
}

fn escape_rest(mut out: String, chars: &[char]) -> String {
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // `&amp;` and `&#60;` would turn into `&` and `<`; an `&` before
            // a space ("R & D") is left as it is to keep the source readable.
            '&' if chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
    out
}

/// A code fence longer than any run of backticks in the code, so no line of
/// it closes the block early.
fn fence(lines: &[String]) -> String {
    let longest = lines
        .iter()
        .flat_map(|line| line.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(escape("a *b* _c_ [d](e)", true), r"a \*b\* \_c\_ \[d\](e)");
        assert_eq!(escape("<script>", true), r"\<script\>");
        assert_eq!(escape("x | y", false), r"x \| y");
        assert_eq!(escape("# titre", true), r"\# titre");
        assert_eq!(escape("1. un", true), r"1\. un");
        assert_eq!(escape("- tiret", true), r"\- tiret");
        assert_eq!(escape("- tiret", false), "- tiret");
        assert_eq!(
            escape("R & D, R&D &amp; &#60;", true),
            r"R & D, R\&D \&amp; \&\#60;"
        );
        assert_eq!(escape(r"C:\dossier $HOME", true), r"C:\\dossier \$HOME");
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(cell_text("un\ndeux | trois"), r"un<br>deux \| trois");
    }

    #[test]
    fn a_fence_outlasts_the_code_backticks() {
        assert_eq!(fence(&["echo hi".into()]), "```");
        assert_eq!(fence(&["a ```` b".into()]), "`````");
    }
}
