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
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
