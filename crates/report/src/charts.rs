//! The documents' own pictures, as SVG with every colour an attribute
//! (as `rempart_core::charts` draws them): the risk heat map.

use std::fmt::Write;

/// A 5×5 cell's colour by its score (probability × impact).
fn score_colour(score: u8) -> &'static str {
    match score {
        0..=4 => "#cfe8d9",
        5..=9 => "#fbe7a6",
        10..=14 => "#f7c08a",
        _ => "#f1a3a0",
    }
}

fn escape(text: &str) -> String {
    rempart_core::charts::escape(text)
}

/// The heat map: probability up, impact across, each risk's label in its
/// cell. `risks`: (label, probability 1–5, impact 1–5).
pub fn heat_map(risks: &[(String, u8, u8)], probability: &str, impact: &str) -> String {
    const CELL: u32 = 56;
    const LEFT: u32 = 40;
    const TOP: u32 = 8;
    let width = LEFT + 5 * CELL + 8;
    let height = TOP + 5 * CELL + 40;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Libertinus Serif, serif\">"
    );
    for p in 1..=5u8 {
        for i in 1..=5u8 {
            let x = LEFT + u32::from(i - 1) * CELL;
            let y = TOP + u32::from(5 - p) * CELL;
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                score_colour(p * i)
            );
            let here: Vec<&str> = risks
                .iter()
                .filter(|(_, rp, ri)| *rp == p && *ri == i)
                .map(|(l, _, _)| l.as_str())
                .collect();
            // Up to three labels a line, two lines.
            for (line, chunk) in here.chunks(3).take(2).enumerate() {
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1b2430\">{}</text>",
                    x + CELL / 2,
                    y + CELL / 2 + 4 + (line as u32) * 14 - if here.len() > 3 { 7 } else { 0 },
                    escape(&chunk.join(" "))
                );
            }
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6776\">{p}</text>",
            LEFT - 12,
            TOP + u32::from(5 - p) * CELL + CELL / 2 + 4
        );
    }
    for i in 1..=5u32 {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6776\">{i}</text>",
            LEFT + (i - 1) * CELL + CELL / 2,
            TOP + 5 * CELL + 16
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6776\">{}</text>",
        LEFT + 5 * CELL / 2,
        TOP + 5 * CELL + 34,
        escape(impact)
    );
    let _ = write!(
        svg,
        "<text x=\"12\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6776\" transform=\"rotate(-90 12 {})\">{}</text>",
        TOP + 5 * CELL / 2,
        TOP + 5 * CELL / 2,
        escape(probability)
    );
    svg.push_str("</svg>");
    svg
}

/// Severity colours, 1 (negligible) to 5 (threatens the business).
fn severity_colour(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "#cfe8d9",
        2 => "#e3ecc1",
        3 => "#fbe7a6",
        4 => "#f7c08a",
        _ => "#f1a3a0",
    }
}

/// A process's impact over time: one column per step of its BIA (the
/// outage length it starts at, its severity as height and colour), with
/// the RTO and the MTPD marked. `steps`: (label, severity 1–5);
/// `marks`: (column index the mark stands before, its label).
pub fn impact_chart(steps: &[(String, u8)], marks: &[(usize, String)]) -> String {
    const COL: u32 = 70;
    const LEFT: u32 = 24;
    const TOP: u32 = 18;
    const HIGH: u32 = 100;
    let n = steps.len().max(1) as u32;
    let width = LEFT + n * COL + 16;
    let height = TOP + HIGH + 34;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Libertinus Serif, serif\">"
    );
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#5b6776\" stroke-width=\"1\"/>",
        TOP + HIGH,
        LEFT + n * COL,
        TOP + HIGH
    );
    for level in 1..=5u32 {
        let y = TOP + HIGH - level * HIGH / 5;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6776\">{level}</text>",
            LEFT - 6,
            y + 4
        );
    }
    for (i, (label, severity)) in steps.iter().enumerate() {
        let s = u32::from((*severity).clamp(1, 5));
        let x = LEFT + i as u32 * COL + 6;
        let h = s * HIGH / 5;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"{}\" stroke=\"#8a96a3\" stroke-width=\"0.5\"/>",
            TOP + HIGH - h,
            COL - 12,
            severity_colour(*severity)
        );
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b2430\">{}</text>",
            x + (COL - 12) / 2,
            TOP + HIGH + 14,
            escape(label)
        );
    }
    for (before, label) in marks {
        let x = LEFT + (*before as u32).min(n) * COL;
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#b42318\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            TOP - 6,
            TOP + HIGH + 22
        );
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#b42318\">{}</text>",
            x + 3,
            TOP + HIGH + 30,
            escape(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A node of the dependency graph: id, label, layer (column), whether
/// it is a process (drawn dark).
pub type Node = (String, String, usize, bool);

/// A dependency graph in layers, left to right: processes, then what
/// they depend on, then what that depends on. `nodes`: (id, label,
/// layer, is a process); `edges`: (from id, to id).
pub fn dependency_graph(nodes: &[Node], edges: &[(String, String)]) -> String {
    const BOX_W: u32 = 132;
    const BOX_H: u32 = 40;
    const GAP_X: u32 = 34;
    const GAP_Y: u32 = 10;
    let layers = nodes.iter().map(|n| n.2).max().map_or(1, |m| m + 1);
    let mut rows = vec![0u32; layers];
    let mut at: std::collections::BTreeMap<&str, (u32, u32)> = std::collections::BTreeMap::new();
    for (id, _, layer, _) in nodes {
        let x = 8 + *layer as u32 * (BOX_W + GAP_X);
        let y = 8 + rows[*layer] * (BOX_H + GAP_Y);
        rows[*layer] += 1;
        at.insert(id.as_str(), (x, y));
    }
    let tallest = rows.iter().copied().max().unwrap_or(1).max(1);
    let width = 16 + layers as u32 * (BOX_W + GAP_X) - GAP_X;
    let height = 16 + tallest * (BOX_H + GAP_Y) - GAP_Y;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Libertinus Serif, serif\">"
    );
    for (from, to) in edges {
        let (Some((fx, fy)), Some((tx, ty))) = (at.get(from.as_str()), at.get(to.as_str())) else {
            continue;
        };
        let (x1, y1) = (fx + BOX_W, fy + BOX_H / 2);
        let (x2, y2) = (*tx, ty + BOX_H / 2);
        let mid = (x1 + x2) / 2;
        let _ = write!(
            svg,
            "<path d=\"M{x1} {y1} C{mid} {y1} {mid} {y2} {x2} {y2}\" fill=\"none\" stroke=\"#8a96a3\" stroke-width=\"1.2\"/>"
        );
    }
    for (id, label, _, process) in nodes {
        let Some((x, y)) = at.get(id.as_str()) else {
            continue;
        };
        let (fill, ink) = if *process {
            ("#1f3a5f", "#ffffff")
        } else {
            ("#eef2f6", "#1b2430")
        };
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"5\" fill=\"{fill}\" stroke=\"#8a96a3\" stroke-width=\"0.8\"/>"
        );
        let lines = two_lines(label, 20);
        let first_y = y + BOX_H / 2 + 4 - if lines.len() > 1 { 7 } else { 0 };
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{ink}\">{}</text>",
                x + BOX_W / 2,
                first_y + i as u32 * 14,
                escape(line)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// `label` in at most two lines of about `width` characters, cut at
/// spaces, the second ending with `…` when the label is longer.
fn two_lines(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let current = lines.last_mut().expect("one line");
        if current.is_empty() || current.chars().count() + 1 + word.chars().count() <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else if lines.len() < 2 {
            lines.push(word.to_owned());
        } else {
            let current = lines.last_mut().expect("two lines");
            current.push_str(" …");
            break;
        }
    }
    for line in &mut lines {
        if line.chars().count() > width + 2 {
            *line = line.chars().take(width).collect::<String>() + "…";
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heat_map_puts_each_risk_in_its_cell_and_escapes_labels() {
        let svg = heat_map(
            &[("R1".into(), 5, 5), ("R<2>".into(), 1, 1)],
            "Probabilité",
            "Impact",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(">R1</text>"));
        assert!(svg.contains("R&lt;2&gt;"));
        assert_eq!(svg.matches("<rect").count(), 25);
        assert!(svg.contains("#f1a3a0"), "5 × 5 is red");
    }
}
