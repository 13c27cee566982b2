//! One self-contained HTML5 page: the styles inline in the head, the
//! figures' SVG inline, nothing fetched. It is downloaded and opened from a
//! disk or a mail, not served under the portal's Content-Security-Policy,
//! so a `<style>` element is fine here. It reads on a phone (tables scroll
//! sideways inside their own box) and prints on A4.

use std::fmt::Write;

use super::{callout_mark, iso_date, section_anchor, section_number};
use crate::doc::{Block, Cell, Document, Section, Tone};

/// The page's styles. The tones are the portal's (and the charts') colours.
const STYLE: &str = r#"
:root {
  --ink: #1b2733; --muted: #5b6776; --accent: #1f3a5f; --rule: #d5dbe3;
  --band: #f4f6f9; --good: #1e7b4f; --warn: #d89b00; --bad: #b42318;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #eef1f5; color: var(--ink);
  font: 16px/1.55 "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.doc {
  max-width: 60rem; margin: 2rem auto; padding: 3rem 3.5rem 2rem;
  background: #fff; box-shadow: 0 1px 3px rgba(27, 39, 51, .12);
}
.cover { border-top: .5rem solid var(--accent); margin: -3rem -3.5rem 2.5rem; padding: 2.5rem 3.5rem 1.5rem; }
.cover h1 { margin: 0 0 .4rem; font-size: 2.1rem; line-height: 1.2; color: var(--accent); }
.cover .subtitle { margin: 0 0 1.5rem; font-size: 1.25rem; color: var(--muted); }
.mark-banner { display: inline-block; margin: 0 0 1rem; padding: .3rem .8rem; border: 2px solid var(--bad); border-radius: .3rem; color: var(--bad); font-weight: 700; letter-spacing: .08em; }
.cover .date { margin: 1.25rem 0 0; color: var(--muted); font-variant-numeric: tabular-nums; }
table.facts { border-collapse: collapse; margin: .5rem 0 1.25rem; }
table.facts th, table.facts td { text-align: left; vertical-align: top; padding: .35rem 1.25rem .35rem 0; border-bottom: 1px solid var(--rule); }
table.facts th { color: var(--muted); font-weight: 600; white-space: nowrap; }
.toc { background: var(--band); border-radius: .4rem; padding: 1.25rem 1.5rem; margin: 0 0 2.5rem; }
.toc h2 { margin: 0 0 .6rem; font-size: 1.15rem; color: var(--accent); }
.toc ol { list-style: none; margin: 0; padding: 0; }
.toc ol ol { padding-left: 1.6rem; }
.toc li { margin: .2rem 0; }
.toc > ol > li > a { font-weight: 600; }
.toc a { color: var(--ink); text-decoration: none; }
.toc a:hover, .toc a:focus { color: var(--accent); text-decoration: underline; }
.num { color: var(--accent); font-variant-numeric: tabular-nums; margin-right: .45em; }
h2, h3, h4, h5, h6 { color: var(--accent); line-height: 1.3; scroll-margin-top: 1rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 1rem; padding-bottom: .35rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .75rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
p { margin: 0 0 1rem; }
ul.list { margin: 0 0 1rem; padding-left: 1.4rem; }
ul.list li { margin: .2rem 0; }
.table-wrap { overflow-x: auto; margin: 0 0 1.25rem; border: 1px solid var(--rule); border-radius: .35rem; }
table.data { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.data th { background: var(--accent); color: #fff; font-weight: 600; text-align: left; padding: .5rem .7rem; vertical-align: bottom; }
table.data td { padding: .45rem .7rem; border-top: 1px solid var(--rule); vertical-align: top; }
table.data tbody tr:nth-child(even) td { background: var(--band); }
.pill { display: inline-block; padding: .05rem .55rem; border-radius: 1rem; font-weight: 600; font-size: .88rem; white-space: nowrap; }
td.tone-good .pill { background: var(--good); color: #fff; }
td.tone-warn .pill { background: var(--warn); color: #1b2733; }
td.tone-bad .pill { background: var(--bad); color: #fff; }
td.tone-muted { color: var(--muted); font-style: italic; }
pre.code {
  margin: 0 0 1.25rem; padding: .85rem 1rem; background: #f3f4f6; border: 1px solid var(--rule); border-radius: .35rem;
  font: .86rem/1.5 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  white-space: pre-wrap; overflow-wrap: break-word;
}
pre.code .line { display: block; min-height: 1.5em; padding-left: 2em; text-indent: -2em; }
pre.code .w { display: inline-block; max-width: 100%; text-indent: 0; }
figure.figure { margin: 0 auto 1.5rem; max-width: 100%; }
figure.figure svg { display: block; width: 100%; height: auto; }
figure.figure figcaption { margin-top: .5rem; text-align: center; color: var(--muted); font-size: .92rem; }
.callout { display: flex; gap: .75rem; margin: 0 0 1.25rem; padding: .75rem 1rem; border-left: .3rem solid var(--accent); border-radius: 0 .35rem .35rem 0; background: #eaf0f7; }
.callout .mark { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 1.5rem; height: 1.5rem; border-radius: 50%; background: var(--accent); color: #fff; font-size: .85rem; font-weight: 700; }
.callout p { margin: 0; }
.callout-good { border-color: var(--good); background: #e7f3ec; }
.callout-good .mark { background: var(--good); }
.callout-warn { border-color: var(--warn); background: #fdf3d6; }
.callout-warn .mark { background: var(--warn); color: #1b2733; }
.callout-bad { border-color: var(--bad); background: #fbe9e7; }
.callout-bad .mark { background: var(--bad); }
.callout-muted { border-color: #9aa5b1; background: var(--band); color: var(--muted); }
.callout-muted .mark { background: #9aa5b1; }
.foot { margin-top: 3rem; padding-top: .75rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; background: #fff; }
  .doc { margin: 0; padding: 1.25rem 1rem; box-shadow: none; }
  .cover { margin: -1.25rem -1rem 1.75rem; padding: 1.5rem 1rem 1rem; }
  .cover h1 { font-size: 1.6rem; }
  .toc { padding: 1rem; }
  .toc ol ol { padding-left: 1rem; }
  h2 { font-size: 1.25rem; }
  figure.figure { width: 100% !important; }
  table.facts th { white-space: normal; }
}
@page { size: A4; margin: 16mm 15mm 18mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .doc { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  .cover { margin: 0 0 2rem; padding: 2rem 0 1rem; break-after: page; }
  .toc { break-after: page; }
  .table-wrap { overflow: visible; border: none; }
  thead { display: table-header-group; }
  tr, pre.code, figure.figure, .callout { break-inside: avoid; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  .toc a, .foot { color: var(--ink); }
}
"#;

/// The document as one HTML5 page.
pub fn html(doc: &Document) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main class=\"doc\">\n",
        escape(&doc.lang),
        escape(&page_title(doc)),
    );

    out.push_str("<header class=\"cover\">\n");
    if let Some(mark) = &doc.mark {
        let _ = writeln!(out, "<p class=\"mark-banner\">{}</p>", escape(mark));
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(&doc.subtitle));
    }
    facts(&mut out, &doc.facts);
    if let Some(date) = iso_date(doc.created_ms) {
        let _ = writeln!(
            out,
            "<p class=\"date\"><time datetime=\"{date}\">{date}</time></p>"
        );
    }
    out.push_str("</header>\n");

    let _ = write!(
        out,
        "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">{}</h2>\n",
        escape(&doc.labels.contents)
    );
    contents(&mut out, &doc.sections, &mut Vec::new());
    out.push_str("</nav>\n");

    let mut path = Vec::new();
    for (i, section) in doc.sections.iter().enumerate() {
        path.push(i + 1);
        self::section(&mut out, section, &mut path);
        path.pop();
    }

    if !doc.footer.is_empty() {
        let _ = writeln!(
            out,
            "<footer class=\"foot\">{}</footer>",
            escape(&doc.footer)
        );
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The browser tab's words: the title, and whom it is for.
fn page_title(doc: &Document) -> String {
    if doc.subtitle.is_empty() {
        doc.title.clone()
    } else {
        format!("{} — {}", doc.title, doc.subtitle)
    }
}

fn contents(out: &mut String, sections: &[Section], path: &mut Vec<usize>) {
    if sections.is_empty() {
        return;
    }
    out.push_str("<ol>\n");
    for (i, section) in sections.iter().enumerate() {
        path.push(i + 1);
        let _ = write!(
            out,
            "<li><a href=\"#{}\"><span class=\"num\">{}</span>{}</a>",
            section_anchor(path),
            section_number(path),
            escape(&section.title)
        );
        contents(out, &section.subsections, path);
        out.push_str("</li>\n");
        path.pop();
    }
    out.push_str("</ol>\n");
}

fn section(out: &mut String, section: &Section, path: &mut Vec<usize>) {
    let level = (path.len() + 1).min(6);
    let _ = writeln!(
        out,
        "<section id=\"{}\">\n<h{level}><span class=\"num\">{}</span>{}</h{level}>",
        section_anchor(path),
        section_number(path),
        escape(&section.title)
    );
    for block in &section.blocks {
        self::block(out, block);
    }
    for (i, sub) in section.subsections.iter().enumerate() {
        path.push(i + 1);
        self::section(out, sub, path);
        path.pop();
    }
    out.push_str("</section>\n");
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph { text } => {
            let _ = writeln!(out, "<p>{}</p>", multiline(text));
        }
        Block::List { items } => {
            out.push_str("<ul class=\"list\">\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", multiline(item));
            }
            out.push_str("</ul>\n");
        }
        Block::Facts { rows } => facts(out, rows),
        Block::Table {
            columns,
            widths,
            rows,
        } => table(out, columns, widths, rows),
        Block::Code { lines } => {
            // A block per line: a line too long for the page wraps at its
            // spaces with its continuation indented, as in the PDF. Each
            // word is a box of its own, split only when wider than the whole
            // box: browsers would otherwise break `--target` after a `-`.
            out.push_str("<pre class=\"code\"><code class=\"language-sh\">");
            for line in lines {
                let words: Vec<String> = line
                    .split(' ')
                    .map(|word| match word {
                        "" => String::new(),
                        word => format!("<span class=\"w\">{}</span>", escape(word)),
                    })
                    .collect();
                let _ = write!(out, "<span class=\"line\">{}</span>", words.join(" "));
            }
            out.push_str("</code></pre>\n");
        }
        Block::Figure {
            svg,
            caption,
            width_percent,
        } => {
            // The SVG is our own charts' output (rempart_core::charts), which
            // escapes every word it draws: it goes in as it is.
            let _ = writeln!(
                out,
                "<figure class=\"figure\" style=\"width:{}%\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                (*width_percent).clamp(1, 100),
                escape(caption)
            );
        }
        Block::Callout { tone, text } => {
            let _ = writeln!(
                out,
                "<div class=\"callout callout-{}\" role=\"note\"><span class=\"mark\" aria-hidden=\"true\">{}</span><p>{}</p></div>",
                tone_name(*tone),
                callout_mark(*tone),
                multiline(text)
            );
        }
    }
}

fn facts(out: &mut String, rows: &[(String, String)]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("<table class=\"facts\"><tbody>\n");
    for (label, value) in rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(label),
            multiline(value)
        );
    }
    out.push_str("</tbody></table>\n");
}

fn table(out: &mut String, columns: &[String], widths: &[u32], rows: &[Vec<Cell>]) {
    if columns.is_empty() {
        return;
    }
    // Below about 8em a column, the table scrolls inside its box instead
    // of squeezing words to a letter a line on a phone.
    let _ = write!(
        out,
        "<div class=\"table-wrap\">\n<table class=\"data\" style=\"min-width:{}em\">\n",
        columns.len() * 8
    );
    let total: u32 = widths.iter().sum();
    if widths.len() == columns.len() && total > 0 {
        out.push_str("<colgroup>");
        for width in widths {
            let _ = write!(
                out,
                "<col style=\"width:{:.1}%\">",
                f64::from(*width) * 100.0 / f64::from(total)
            );
        }
        out.push_str("</colgroup>\n");
    }
    out.push_str("<thead><tr>");
    for column in columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for i in 0..columns.len() {
            match row.get(i) {
                Some(cell) => self::cell(out, cell),
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn cell(out: &mut String, cell: &Cell) {
    let text = multiline(&cell.text);
    match cell.tone {
        Tone::Plain => {
            let _ = write!(out, "<td>{text}</td>");
        }
        Tone::Muted => {
            let _ = write!(out, "<td class=\"tone-muted\">{text}</td>");
        }
        Tone::Good | Tone::Warn | Tone::Bad if !text.is_empty() => {
            let _ = write!(
                out,
                "<td class=\"tone-{}\"><span class=\"pill\">{text}</span></td>",
                tone_name(cell.tone)
            );
        }
        Tone::Good | Tone::Warn | Tone::Bad => out.push_str("<td></td>"),
    }
}

fn tone_name(tone: Tone) -> &'static str {
    match tone {
        Tone::Plain => "plain",
        Tone::Good => "good",
        Tone::Warn => "warn",
        Tone::Bad => "bad",
        Tone::Muted => "muted",
    }
}

/// Text with its line breaks kept (`<br>`), escaped.
fn multiline(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>")
}

/// Text for HTML content and quoted attributes.
fn escape(text: &str) -> String {
    rempart_core::charts::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn line_breaks_are_kept_and_escaped() {
        assert_eq!(multiline("a<b\nc"), "a&lt;b<br>c");
    }
}
