//! The layout layer: measures text exactly, wraps it, and places text runs, rectangles and
//! lines on pages. It knows nothing of printpdf: its output is, per page, a list of positioned
//! items, each marked with its role in reading order (heading, paragraph, list item, table
//! header or cell, figure with alt text) or as an artifact (running header and footer,
//! decoration). printpdf ignores the roles today; a tagged-PDF backend can use them without
//! rewriting layout (../shared/notes/printpdf-0.12.md).
//!
//! Coordinates are points from the page's top-left corner; `y` of a text run is its baseline.

/// The faces a document uses. `Symbol` is the fallback for characters the text face lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Symbol,
}

/// Glyph advances, in ems, for the faces. The PDF backend implements it from the fonts it
/// embeds, so what is measured is exactly what is drawn.
pub trait Metrics {
    /// The advance of `ch` in `face`, in ems; `None` when the face has no glyph for it.
    fn advance(&self, face: Face, ch: char) -> Option<f32>;
    /// Ascent above the baseline, in ems (for placing the first line of a box).
    fn ascent(&self) -> f32 {
        0.905
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const TEXT: Rgb = Rgb(0x0b, 0x0c, 0x0c);
    pub const SECONDARY: Rgb = Rgb(0x50, 0x5a, 0x5f);
    pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
    pub const RULE: Rgb = Rgb(0xb1, 0xb4, 0xb6);
    pub const BRAND: Rgb = Rgb(0x1d, 0x70, 0xb8);
    pub const DARK: Rgb = Rgb(0x0b, 0x3d, 0x6b);
    pub const PALE: Rgb = Rgb(0xf3, 0xf2, 0xf1);

    /// `#rrggbb` (the core's colour words) as a colour. The core's colours are constants and
    /// a unit test reads every one of them; anything else reads as text colour.
    pub fn hex(s: &str) -> Rgb {
        let byte = |i: usize| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()); // see above
        match (s.len(), s.strip_prefix('#'), byte(1), byte(3), byte(5)) {
            (7, Some(_), Some(r), Some(g), Some(b)) => Rgb(r, g, b),
            _ => Rgb::TEXT,
        }
    }
}

#[cfg(test)]
mod colour_tests {
    use super::Rgb;

    #[test]
    fn every_status_colour_of_the_core_reads_as_the_colour_it_names() {
        for r in ccsp_core::domain::Rag::ALL {
            for c in [r.colours().0, r.colours().1] {
                let Rgb(red, g, b) = Rgb::hex(c);
                assert_eq!(format!("#{red:02x}{g:02x}{b:02x}"), c, "{r:?}");
            }
        }
        assert_eq!(Rgb::hex("#942514"), Rgb(0x94, 0x25, 0x14));
    }
}

/// What an item is, for a reader that follows the structure (screen readers, reflow).
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    Heading(u8),
    Paragraph,
    ListItem,
    TableHeader,
    TableCell,
    Figure {
        alt: String,
    },
    /// Not content: running header and footer, repeated table header, decoration.
    Artifact,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text { x: f32, y: f32, size: f32, face: Face, color: Rgb, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)> },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub role: Role,
    pub kind: Kind,
}

impl Item {
    /// The item's bounding box: (left, top, right, bottom).
    pub fn bounds(&self, m: &dyn Metrics) -> (f32, f32, f32, f32) {
        match &self.kind {
            Kind::Text { x, y, size, face, text, .. } => {
                let w = measure(m, *face, *size, text);
                (*x, y - size * m.ascent(), x + w, y + size * 0.212)
            }
            Kind::Rect { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Kind::Line { x1, y1, x2, y2, width, .. } => (x1.min(*x2), y1.min(*y2) - width / 2.0, x1.max(*x2), y1.max(*y2) + width / 2.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// An entry of the outline: a section heading and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    /// Index into `Document::pages`.
    pub page: usize,
    /// The heading's top, from the top of the page, in points.
    pub top: f32,
}

/// A laid-out document, ready for a backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub pages: Vec<Page>,
    /// The document's outline (the viewer's bookmarks), in reading order.
    pub outline: Vec<Bookmark>,
    /// Things the reader of the PDF should know were changed or left out.
    pub warnings: Vec<String>,
}

/// Width of `text` in one face, in points (characters the face lacks measured as the
/// fallback would draw them).
pub fn measure(m: &dyn Metrics, face: Face, size: f32, text: &str) -> f32 {
    text.chars().map(|c| advance_or_fallback(m, face, c).1).sum::<f32>() * size
}

/// The face that will draw `c`, and its advance in ems.
fn advance_or_fallback(m: &dyn Metrics, face: Face, c: char) -> (Face, f32) {
    if let Some(a) = m.advance(face, c) {
        return (face, a);
    }
    if let Some(a) = m.advance(Face::Symbol, c) {
        return (Face::Symbol, a);
    }
    (face, m.advance(face, REPLACEMENT).unwrap_or(0.5))
}

/// Drawn in place of a character no font has (and reported in the document's warnings).
pub const REPLACEMENT: char = '?';

/// A piece of a line in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub text: String,
    pub width: f32,
}

/// One line of wrapped text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<Run>,
    pub width: f32,
}

/// Text style for a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub face: Face,
    pub color: Rgb,
    /// Line height as a multiple of the size.
    pub leading: f32,
}

impl Style {
    pub fn new(size: f32, face: Face) -> Style {
        Style { size, face, color: Rgb::TEXT, leading: 1.25 }
    }
    pub fn color(mut self, c: Rgb) -> Style {
        self.color = c;
        self
    }
    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }
}

/// Splits text into runs of one face each, replacing characters no font has.
fn runs_for(m: &dyn Metrics, face: Face, size: f32, text: &str, missing: &mut Vec<char>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        let (f, adv, ch) = match m.advance(face, c) {
            Some(a) => (face, a, c),
            None => match m.advance(Face::Symbol, c) {
                Some(a) => (Face::Symbol, a, c),
                None => {
                    if !missing.contains(&c) {
                        missing.push(c);
                    }
                    (face, m.advance(face, REPLACEMENT).unwrap_or(0.5), REPLACEMENT)
                }
            },
        };
        match out.last_mut() {
            Some(r) if r.face == f => {
                r.text.push(ch);
                r.width += adv * size;
            }
            _ => out.push(Run { face: f, text: ch.to_string(), width: adv * size }),
        }
    }
    out
}

/// Wraps text to `width` points: breaks at spaces, keeps explicit newlines, and breaks a word
/// longer than the line between characters. Never returns a line wider than `width` unless a
/// single character is.
pub fn wrap(m: &dyn Metrics, style: &Style, text: &str, width: f32, missing: &mut Vec<char>) -> Vec<Line> {
    let mut lines = Vec::new();
    let space = advance_or_fallback(m, style.face, ' ').1 * style.size;
    for para in text.split('\n') {
        let mut line = Line::default();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            // Nearly every word is drawn wholly in the style's face: measure it in place and
            // append it to the line without building runs for it.
            let plain = word.chars().try_fold(0.0f32, |em, c| if c.is_control() { None } else { m.advance(style.face, c).map(|a| em + a) });
            if let Some(em) = plain {
                let w = em * style.size;
                let gap = if line.runs.is_empty() { 0.0 } else { space };
                if line.width + gap + w <= width + 0.01 {
                    push_plain(&mut line, word, w, gap, style.face);
                    continue;
                }
                if w <= width + 0.01 {
                    if !line.runs.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    push_plain(&mut line, word, w, 0.0, style.face);
                    continue;
                }
            }
            let runs = runs_for(m, style.face, style.size, word, missing);
            let w: f32 = runs.iter().map(|r| r.width).sum();
            let gap = if line.runs.is_empty() { 0.0 } else { space };
            if line.width + gap + w <= width + 0.01 {
                push_word(&mut line, runs, gap, style.face);
                continue;
            }
            if !line.runs.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if w <= width + 0.01 {
                push_word(&mut line, runs, 0.0, style.face);
                continue;
            }
            // A word wider than the line: break it between characters.
            for run in runs {
                for ch in run.text.chars() {
                    let a = advance_or_fallback(m, run.face, ch).1 * style.size;
                    if line.width + a > width + 0.01 && !line.runs.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    push_word(&mut line, vec![Run { face: run.face, text: ch.to_string(), width: a }], 0.0, style.face);
                }
            }
        }
        lines.push(line);
    }
    lines
}

fn push_gap(line: &mut Line, gap: f32, base: Face) {
    if gap > 0.0 {
        match line.runs.last_mut() {
            Some(r) if r.face == base || r.face == Face::Symbol => {
                r.text.push(' ');
                r.width += gap;
            }
            _ => line.runs.push(Run { face: base, text: " ".into(), width: gap }),
        }
        line.width += gap;
    }
}

/// Appends a word drawn wholly in `face`, `w` points wide, after a space of `gap`.
fn push_plain(line: &mut Line, word: &str, w: f32, gap: f32, face: Face) {
    push_gap(line, gap, face);
    line.width += w;
    match line.runs.last_mut() {
        Some(last) if last.face == face => {
            last.text.push_str(word);
            last.width += w;
        }
        _ => line.runs.push(Run { face, text: word.to_string(), width: w }),
    }
}

fn push_word(line: &mut Line, runs: Vec<Run>, gap: f32, base: Face) {
    push_gap(line, gap, base);
    for r in runs {
        line.width += r.width;
        match line.runs.last_mut() {
            Some(last) if last.face == r.face => {
                last.text.push_str(&r.text);
                last.width += r.width;
            }
            _ => line.runs.push(r),
        }
    }
}

/// Places wrapped lines with their first baseline at `top + ascent`, returns the items and the
/// height used.
pub fn place_lines(m: &dyn Metrics, lines: &[Line], style: &Style, x: f32, top: f32, role: &Role) -> (Vec<Item>, f32) {
    let mut items = Vec::new();
    let mut y = top + style.size * m.ascent();
    for line in lines {
        let mut cx = x;
        for run in &line.runs {
            if !run.text.trim().is_empty() {
                items.push(Item {
                    role: role.clone(),
                    kind: Kind::Text { x: cx, y, size: style.size, face: run.face, color: style.color, text: run.text.clone() },
                });
            }
            cx += run.width;
        }
        y += style.line_height();
    }
    (items, lines.len() as f32 * style.line_height())
}

/// Checks that every item lies inside the page's printable box (`margin` points in from each
/// edge, less `bleed` for decoration that may run to the edge). Returns what is outside.
pub fn outside_printable(m: &dyn Metrics, page: &Page, margin: f32) -> Vec<String> {
    let mut out = Vec::new();
    for it in &page.items {
        let (l, t, r, b) = it.bounds(m);
        let edge = if it.role == Role::Artifact { 0.0 } else { margin };
        if l < edge - 0.5 || t < edge - 0.5 || r > page.width - edge + 0.5 || b > page.height - edge + 0.5 {
            out.push(format!("{:?} at ({l:.1}, {t:.1})–({r:.1}, {b:.1})", it.kind));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every character 0.5 em wide except 'W' (1 em) and '✓' only in the symbol face.
    pub struct Fixed;
    impl Metrics for Fixed {
        fn advance(&self, face: Face, ch: char) -> Option<f32> {
            match (face, ch) {
                (Face::Symbol, '✓') => Some(0.8),
                (_, '✓' | '🦀') => None,
                (Face::Symbol, _) => None,
                (_, 'W') => Some(1.0),
                _ => Some(0.5),
            }
        }
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_never_exceeds_the_width() {
        let s = Style::new(10.0, Face::Regular);
        let mut missing = vec![];
        let lines = wrap(&Fixed, &s, "aaaa bbbb cccc dddd", 50.0, &mut missing);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.width <= 50.0));
        assert_eq!(lines[0].runs[0].text, "aaaa bbbb");
        assert_eq!(lines[0].width, 45.0, "exact: 9 characters of 5 pt");
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_between_characters() {
        let s = Style::new(10.0, Face::Regular);
        let long = "x".repeat(55);
        let lines = wrap(&Fixed, &s, &long, 50.0, &mut vec![]);
        assert_eq!(lines.len(), 6);
        assert!(lines.iter().all(|l| l.width <= 50.0 + 0.01));
        let joined: String = lines.iter().flat_map(|l| l.runs.iter().map(|r| r.text.clone())).collect();
        assert_eq!(joined, long, "nothing is lost");
    }

    #[test]
    fn characters_the_text_face_lacks_use_the_symbol_face_and_unknown_ones_are_reported() {
        let s = Style::new(10.0, Face::Regular);
        let mut missing = vec![];
        let lines = wrap(&Fixed, &s, "done ✓ 🦀", 500.0, &mut missing);
        let faces: Vec<(Face, &str)> = lines[0].runs.iter().map(|r| (r.face, r.text.as_str())).collect();
        assert_eq!(faces, vec![(Face::Regular, "done "), (Face::Symbol, "✓ "), (Face::Regular, "?")]);
        assert_eq!(missing, vec!['🦀']);
    }

    #[test]
    fn placed_text_stays_inside_the_printable_box() {
        let s = Style::new(10.0, Face::Regular);
        let lines = wrap(&Fixed, &s, &"word ".repeat(200), 100.0, &mut vec![]);
        let (items, h) = place_lines(&Fixed, &lines, &s, 40.0, 40.0, &Role::Paragraph);
        let page = Page { width: 200.0, height: 40.0 + h + 40.0, items };
        assert!(outside_printable(&Fixed, &page, 40.0).is_empty());
        let page_small = Page { width: 120.0, ..page };
        assert!(!outside_printable(&Fixed, &page_small, 40.0).is_empty(), "the check notices overflow");
    }
}
