//! The same laid-out document as HTML, every text run and box at its position: the input for
//! the benchmark that compares our PDF writing with headless Chromium's `--print-to-pdf` on
//! equivalent content (docs/benchmarks.md). Not used by the app.

use crate::layout::{Document, Face, Kind, Rgb};

fn css(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `fonts_dir` is where LiberationSans-*.ttf and DejaVuSans.ttf are (file:// URLs).
pub fn from_document(doc: &Document, fonts_dir: &std::path::Path) -> String {
    let f = |name: &str| format!("file://{}", fonts_dir.join(name).display());
    let mut out = format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         @font-face{{font-family:L;src:url('{}')}}@font-face{{font-family:L;font-weight:700;src:url('{}')}}@font-face{{font-family:D;src:url('{}')}}\
         body{{margin:0}}.p{{position:relative;overflow:hidden;page-break-after:always}}.p>*{{position:absolute;white-space:pre;margin:0}}\
         </style></head><body>",
        escape(&doc.title),
        f("LiberationSans-Regular.ttf"),
        f("LiberationSans-Bold.ttf"),
        f("DejaVuSans.ttf")
    );
    for page in &doc.pages {
        out.push_str(&format!("<div class=\"p\" style=\"width:{}pt;height:{}pt\">", page.width, page.height));
        for it in &page.items {
            match &it.kind {
                Kind::Text { x, y, size, face, color, text } => {
                    let (fam, weight) = match face {
                        Face::Regular => ("L", 400),
                        Face::Bold => ("L", 700),
                        Face::Symbol => ("D", 400),
                    };
                    out.push_str(&format!(
                        "<span style=\"left:{x}pt;top:{}pt;font:{weight} {size}pt/1 {fam};color:{}\">{}</span>",
                        y - size * 0.905,
                        css(*color),
                        escape(text)
                    ));
                }
                Kind::Rect { x, y, w, h, fill, stroke } => {
                    // A box with no fill or no stroke simply has no such style.
                    let bg = fill.map(|c| format!("background:{};", css(c))).unwrap_or_default();
                    let bd = stroke.map(|(c, wd)| format!("outline:{wd}pt solid {};", css(c))).unwrap_or_default(); // as above
                    out.push_str(&format!("<div style=\"left:{x}pt;top:{y}pt;width:{w}pt;height:{h}pt;{bg}{bd}\"></div>"));
                }
                Kind::Line { x1, y1, x2, width, color, .. } => {
                    out.push_str(&format!("<div style=\"left:{x1}pt;top:{y1}pt;width:{}pt;border-top:{width}pt solid {}\"></div>", x2 - x1, css(*color)));
                }
            }
        }
        out.push_str("</div>");
    }
    out.push_str("</body></html>");
    out
}
