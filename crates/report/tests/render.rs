//! The three renderers on one realistic document, for real: the PDF goes
//! through Typst and is read back with poppler's `pdftotext` and `pdfinfo`.

use std::path::{Path, PathBuf};
use std::process::Command;

use rempart_core::charts;
use rempart_report::doc::{Block, Cell, Document, Labels, Section, Tone};
use rempart_report::render::{self, Format};

/// Text that means something to Typst, Markdown and HTML alike; it must
/// come out as typed everywhere.
const SPECIAL: &str = r"Coût #1 *gras* _souligné_ $HOME @moi <tag> [lien] C:\sauvegardes";

const LONG_COMMAND: &str = "restic -r s3:http://minio.interne.martin-usinage.example:9000/sauvegardes-production-erp restore latest --target /srv/restauration/erp/tres/long/chemin/vers/le/dossier/de/destination --include /var/lib/postgresql";

fn sample() -> Document {
    let trend = charts::trend(
        &[
            charts::Point {
                value_ms: 2_700_000,
                passed: true,
                title: "3 nov.".into(),
            },
            charts::Point {
                value_ms: 3_300_000,
                passed: true,
                title: "10 nov.".into(),
            },
            charts::Point {
                value_ms: 5_100_000,
                passed: false,
                title: "17 nov.".into(),
            },
            charts::Point {
                value_ms: 3_000_000,
                passed: true,
                title: "24 nov.".into(),
            },
        ],
        3_600_000,
        "RTO 1 h",
        "3 nov.",
        "24 nov.",
        "RTO mesuré par exercice",
    );
    Document {
        lang: "fr".into(),
        kind: "pra".into(),
        title: "Plan de reprise d'activité".into(),
        subtitle: "Martin Usinage SAS".into(),
        facts: vec![
            ("Organisation".into(), "Martin Usinage SAS".into()),
            ("Période".into(), "novembre 2026".into()),
            ("Preuves".into(), "#812 (sha256 3f9a…c01d)".into()),
        ],
        mark: None,
        created_ms: 1_796_200_000_000,
        footer: "Martin Usinage SAS · PRA · preuve #812".into(),
        labels: Labels {
            contents: "Sommaire".into(),
            page: "Page".into(),
        },
        sections: vec![
            Section {
                title: "Périmètre et objectifs".into(),
                blocks: vec![
                    Block::Paragraph {
                        text: "Ce plan décrit la reprise de l'ERP et de la messagerie après un sinistre \
                               majeur : perte du serveur, rançongiciel ou incendie de la salle technique. \
                               Il s'appuie sur les preuves collectées par Rempart."
                            .into(),
                    },
                    Block::Paragraph {
                        text: SPECIAL.into(),
                    },
                    Block::List {
                        items: vec![
                            "RTO cible : 1 h pour l'ERP".into(),
                            "RPO cible : 15 min".into(),
                            "Astreinte joignable 24 h/24".into(),
                        ],
                    },
                    Block::Callout {
                        tone: Tone::Warn,
                        text: "Le dernier exercice date de plus de 30 jours : planifiez-en un.".into(),
                    },
                ],
                subsections: vec![Section {
                    title: "Systèmes couverts".into(),
                    blocks: vec![
                        Block::Table {
                            columns: vec![
                                "Système".into(),
                                "Objectif".into(),
                                "Mesuré".into(),
                                "État".into(),
                            ],
                            widths: vec![3, 2, 2, 2],
                            rows: vec![
                                vec![
                                    Cell::plain("ERP (PostgreSQL)"),
                                    Cell::plain("1 h"),
                                    Cell::plain("50 min"),
                                    Cell::toned("Conforme", Tone::Good),
                                ],
                                vec![
                                    Cell::plain("Messagerie"),
                                    Cell::plain("4 h"),
                                    Cell::plain("3 h 50"),
                                    Cell::toned("Limite", Tone::Warn),
                                ],
                                vec![
                                    Cell::plain("Fichiers partagés"),
                                    Cell::plain("8 h"),
                                    Cell::plain("11 h"),
                                    Cell::toned("Non conforme", Tone::Bad),
                                ],
                                vec![
                                    Cell::plain("Téléphonie | IPBX"),
                                    Cell::plain("2 h"),
                                    Cell::toned("pas encore mesuré", Tone::Muted),
                                    Cell::toned("—", Tone::Muted),
                                ],
                                vec![
                                    Cell::plain("<script>alert(1)</script>"),
                                    Cell::plain(SPECIAL),
                                    Cell::plain("ligne 1\nligne 2"),
                                    Cell::toned("Conforme", Tone::Good),
                                ],
                            ],
                        },
                        Block::Facts {
                            rows: vec![
                                ("Responsable".into(), "Claire Dubois".into()),
                                ("Suppléant".into(), "Jean-Marc L'Hôte".into()),
                            ],
                        },
                    ],
                    subsections: vec![],
                }],
            },
            Section {
                title: "Procédure de restauration".into(),
                blocks: vec![
                    Block::Paragraph {
                        text: "Depuis la machine de secours, restaurez le dernier instantané :".into(),
                    },
                    Block::Code {
                        lines: vec![
                            "export RESTIC_PASSWORD_FILE=/etc/rempart/restic.key".into(),
                            LONG_COMMAND.into(),
                            "systemctl start postgresql".into(),
                        ],
                    },
                    Block::Figure {
                        svg: trend,
                        caption: "RTO de l'ERP mesuré lors des exercices".into(),
                        width_percent: 70,
                    },
                    Block::Figure {
                        svg: r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><rect x="0" y="0" width="70" height="20" fill="#1e7b4f"/><rect x="70" y="0" width="30" height="20" fill="#b42318"/></svg>"##.into(),
                        caption: "Part des systèmes conformes".into(),
                        width_percent: 50,
                    },
                    Block::Callout {
                        tone: Tone::Good,
                        text: "La restauration a été vérifiée le 24 novembre.".into(),
                    },
                    Block::Callout {
                        tone: Tone::Bad,
                        text: "Les fichiers partagés dépassent leur RTO.".into(),
                    },
                ],
                subsections: vec![],
            },
        ],
    }
}

/// A poppler tool's path, or a failure saying how to get it: a missing tool
/// must not turn this test into a silent pass.
fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("`{name}` (poppler-utils) is missing: run scripts/services, or apt-get install poppler-utils")
    })
}

/// Writes a rendered file where Cargo keeps integration tests' files
/// (`target/tmp`), overwritten on each run: there to be opened and looked at.
fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn run(tool: &Path, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool).args(args).output().expect("run poppler");
    assert!(
        out.status.success(),
        "{} failed: {}",
        tool.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Extracted text with typography undone and spacing collapsed, so that a
/// phrase can be looked for whatever line it was broken on.
fn normalised(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_pdf_is_deterministic_and_says_everything() {
    let doc = sample();
    let first = render::pdf(&doc).expect("render the PDF");
    let second = render::pdf(&doc).expect("render the PDF again");
    assert!(first.starts_with(b"%PDF-"), "a PDF file");
    assert!(first == second, "the same document gives the same bytes");

    let path = write_temp("sample.pdf", &first);
    let text = normalised(&run(
        &tool("pdftotext"),
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            path.as_os_str(),
            "-".as_ref(),
        ],
    ));
    for expected in [
        "Plan de reprise d'activité",
        "Martin Usinage SAS",
        "Sommaire",
        "1. Périmètre et objectifs",
        "1.1 Systèmes couverts",
        "2. Procédure de restauration",
        "Jean-Marc L'Hôte",
        "Non conforme",
        "pas encore mesuré",
        "<script>alert(1)</script>",
        "RTO de l'ERP mesuré lors des exercices",
        "Le dernier exercice date de plus de 30 jours",
        "2026-12-02",
        "Page 2 / ",
        "systemctl start postgresql",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    for special in SPECIAL.split(' ') {
        assert!(
            text.contains(special),
            "{special:?} not printed literally:\n{text}"
        );
    }
    // The long command is all there, whichever lines it was wrapped on.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let command: String = LONG_COMMAND
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        squeezed.contains(&command),
        "the long command is cut:\n{text}"
    );

    let info = run(&tool("pdfinfo"), &[path.as_os_str()]);
    let pages: u32 = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in:\n{info}"));
    assert!(pages >= 3, "title, contents and body: {pages} pages");
    assert!(
        info.contains("Page size:") && info.contains("595.") && info.contains("841."),
        "A4:\n{info}"
    );
    assert!(
        info.contains("Title:") && info.contains("Plan de reprise"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:") && info.contains("2026"),
        "{info}"
    );
}

#[test]
fn a_bad_value_is_an_error_not_a_panic() {
    let mut doc = sample();
    doc.sections[1].blocks.push(Block::Figure {
        svg: "<svg this is not".into(),
        caption: "cassé".into(),
        width_percent: 50,
    });
    let error = render::pdf(&doc).expect_err("an unreadable SVG");
    assert!(error.to_string().to_lowercase().contains("svg"), "{error}");
}

#[test]
fn an_almost_empty_document_renders_everywhere() {
    let doc = Document {
        lang: "en".into(),
        kind: "audit".into(),
        title: String::new(),
        subtitle: String::new(),
        facts: vec![],
        mark: None,
        created_ms: 0,
        footer: String::new(),
        labels: Labels {
            contents: "Contents".into(),
            page: "Page".into(),
        },
        sections: vec![Section {
            title: "Empty things".into(),
            blocks: vec![
                Block::Paragraph {
                    text: String::new(),
                },
                Block::List { items: vec![] },
                Block::Facts { rows: vec![] },
                Block::Table {
                    columns: vec![],
                    widths: vec![],
                    rows: vec![vec![Cell::plain("orphan")]],
                },
                Block::Table {
                    columns: vec!["A".into(), "B".into()],
                    widths: vec![0],
                    rows: vec![
                        vec![],
                        vec![Cell::toned("", Tone::Bad)],
                        vec![Cell::plain("1"), Cell::plain("2"), Cell::plain("3")],
                    ],
                },
                Block::Code {
                    lines: vec![String::new(), "  indented".into(), String::new()],
                },
                Block::Callout {
                    tone: Tone::Muted,
                    text: String::new(),
                },
            ],
            subsections: vec![],
        }],
    };
    let pdf = render::pdf(&doc).expect("an almost empty PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    let md = render::markdown(&doc);
    assert!(
        md.contains("| A | B |\n| --- | --- |\n|  |  |\n|  |  |\n| 1 | 2 |\n"),
        "{md}"
    );
    assert!(
        !md.contains("orphan"),
        "a table without columns shows nothing"
    );
    let html = render::html(&doc);
    assert!(html.contains("<tr><td>1</td><td>2</td></tr>"), "{html}");
}

#[test]
fn markdown_numbers_sections_and_escapes_text() {
    let md = render::markdown(&sample());
    for expected in [
        "# Plan de reprise d'activité\n",
        "## Sommaire\n",
        "- [1. Périmètre et objectifs](#sec-1)\n",
        "  - [1.1 Systèmes couverts](#sec-1-1)\n",
        "<a id=\"sec-1-1\"></a>\n\n### 1.1 Systèmes couverts\n",
        "## 2. Procédure de restauration\n",
        r"Coût \#1 \*gras\* \_souligné\_ \$HOME @moi \<tag\> \[lien\] C:\\sauvegardes",
        r"| Téléphonie \| IPBX | 2 h | _pas encore mesuré_ | _—_ |",
        "ligne 1<br>ligne 2",
        r"\<script\>alert(1)\</script\>",
        "| **Non conforme** |",
        "```sh\nexport RESTIC_PASSWORD_FILE",
        "_(figure: RTO de l'ERP mesuré lors des exercices)_",
        "> **!** Le dernier exercice",
        "- **Suppléant** — Jean-Marc L'Hôte",
    ] {
        assert!(md.contains(expected), "{expected:?} missing from:\n{md}");
    }
    assert!(!md.contains("<script>"), "raw HTML from a cell:\n{md}");
    assert!(!md.contains("<svg"), "no inline SVG in Markdown");
}

#[test]
fn html_numbers_sections_and_escapes_text() {
    let html = render::html(&sample());
    let path = write_temp("sample.html", html.as_bytes());
    for expected in [
        "<html lang=\"fr\">",
        "<title>Plan de reprise d&#39;activité — Martin Usinage SAS</title>",
        "<a href=\"#sec-1-1\"><span class=\"num\">1.1</span>Systèmes couverts</a>",
        "<section id=\"sec-2\">\n<h2><span class=\"num\">2.</span>Procédure de restauration</h2>",
        "Coût #1 *gras* _souligné_ $HOME @moi &lt;tag&gt; [lien] C:\\sauvegardes",
        "<td class=\"tone-good\"><span class=\"pill\">Conforme</span></td>",
        "<td class=\"tone-warn\"><span class=\"pill\">Limite</span></td>",
        "<td class=\"tone-bad\"><span class=\"pill\">Non conforme</span></td>",
        "<td class=\"tone-muted\">pas encore mesuré</td>",
        "ligne 1<br>ligne 2",
        "<div class=\"table-wrap\">",
        "<figcaption>RTO de l&#39;ERP mesuré lors des exercices</figcaption>",
        "<rect x=\"70\"",
        "callout callout-warn",
        "<time datetime=\"2026-12-02\">",
    ] {
        assert!(
            html.contains(expected),
            "{expected:?} missing from {}",
            path.display()
        );
    }
}

#[test]
fn html_lets_no_markup_through_from_text() {
    let mut doc = sample();
    doc.title = "\"><script>alert('titre')</script>".into();
    doc.lang = "fr\"><script>x</script>".into();
    doc.sections[0].blocks.push(Block::Paragraph {
        text: "<img src=x onerror=alert(1)>".into(),
    });
    doc.sections[0].blocks.push(Block::Code {
        lines: vec!["</code></pre><script>alert(2)</script>".into()],
    });
    let html = render::html(&doc);
    assert!(!html.contains("<script"), "a raw <script survived:\n{html}");
    assert!(!html.contains("<img"), "a raw <img survived");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn render_picks_the_format() {
    let doc = sample();
    let md = render::render(&doc, Format::Markdown).expect("markdown");
    assert_eq!(md, render::markdown(&doc).into_bytes());
    let html = render::render(&doc, Format::Html).expect("html");
    assert!(html.starts_with(b"<!DOCTYPE html>"));
    let pdf = render::render(&doc, Format::Pdf).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_mark_heads_the_title_page_and_every_page_after_it() {
    let mut doc = sample();
    let plain = render::pdf(&doc).expect("render the PDF");
    doc.mark = Some("EXERCICE / EXERCISE".into());
    assert!(render::html(&doc).contains("<p class=\"mark-banner\">EXERCICE / EXERCISE</p>"));
    assert!(render::markdown(&doc).starts_with("> **EXERCICE / EXERCISE**\n"));
    let pdf = render::pdf(&doc).expect("render the PDF");
    let path = write_temp("marked.pdf", &pdf);
    let pages = |path: &Path| {
        run(&tool("pdfinfo"), &[path.as_os_str()])
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .expect("a page count")
    };
    let text = run(&tool("pdftotext"), &[path.as_os_str(), "-".as_ref()]);
    // The title page once, and each page's head after it.
    assert_eq!(text.matches("EXERCICE / EXERCISE").count(), pages(&path));
    // The mark does not push the pages around.
    assert_eq!(pages(&path), pages(&write_temp("unmarked.pdf", &plain)));
}
