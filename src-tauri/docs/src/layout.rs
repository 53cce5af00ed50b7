//! The layout layer: measures text exactly, wraps it, and places text runs, rectangles and
//! lines on pages. It knows nothing of printpdf: its output is, per page, a list of positioned
//! items, each marked as the content of one element of the document's structure tree (heading,
//! paragraph, list label or body, table header or cell) or as an artifact (running header and
//! footer, rules, backgrounds). The PDF writer turns the marks into marked content and the
//! tree into the file's structure tree (a tagged PDF).
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

/// What a structure element is: the standard structure types of PDF (ISO 32000-1, 14.8.4),
/// which a screen reader announces ("heading level 2", "list, 3 items", "table, 4 columns").
#[derive(Debug, Clone, PartialEq)]
pub enum Tag {
    Document,
    /// A heading of level 1–6.
    H(u8),
    P,
    L,
    LI,
    /// A list item's label: "1.2.", "(1)", "•".
    Lbl,
    LBody,
    Table,
    TR,
    /// A header cell of its column.
    TH,
    TD,
    Figure {
        alt: String,
    },
}

/// An element of the document's logical structure. Elements are kept in reading order (a
/// parent before its children, siblings in order), so their indices are the tree's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub tag: Tag,
    /// `None` only for the root (index 0, the Document element).
    pub parent: Option<usize>,
}

/// The structure tree being built with the pages: content is attached to leaves only.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree { nodes: vec![Node { tag: Tag::Document, parent: None }] }
    }
}

impl Tree {
    pub const ROOT: usize = 0;
    /// Adds an element under `parent` (after its other children) and returns it.
    pub fn add(&mut self, parent: usize, tag: Tag) -> usize {
        self.nodes.push(Node { tag, parent: Some(parent) });
        self.nodes.len() - 1
    }
    /// Adds another tree's elements under `parent`, its root becoming `parent`; returns the
    /// offset to add to the other tree's element numbers.
    pub fn graft(&mut self, parent: usize, other: Tree) -> usize {
        let offset = self.nodes.len() - 1;
        for n in other.nodes.into_iter().skip(1) {
            let p = match n.parent {
                Some(Tree::ROOT) | None => parent,
                Some(p) => p + offset,
            };
            self.nodes.push(Node { tag: n.tag, parent: Some(p) });
        }
        offset
    }
}

/// What kind of page furniture an artifact is (PDF 14.8.2.2): not read as content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// Rules, backgrounds, boxes, a status chip's shape.
    Layout,
    /// The running header, and a table's header row or title repeated on a new page.
    Header,
    /// The footer and "Page X of Y".
    Footer,
}

/// Whether an item is content (of which structure element) or page furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Content(usize),
    Artifact(Artifact),
}

impl Mark {
    pub const LAYOUT: Mark = Mark::Artifact(Artifact::Layout);
    pub fn is_artifact(self) -> bool {
        matches!(self, Mark::Artifact(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text { x: f32, y: f32, size: f32, face: Face, color: Rgb, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)> },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub mark: Mark,
    pub kind: Kind,
}

impl Item {
    /// The item's bounding box: (left, top, right, bottom).
    pub fn bounds(&self, m: &dyn Metrics) -> (f32, f32, f32, f32) {
        match &self.kind {
            Kind::Text { x, y, size, face, text, .. } => {
                // A space a line ends with draws nothing (see `broken_at_space`).
                let w = measure(m, *face, *size, text.trim_end_matches(' '));
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
    /// The logical structure: every content item's `Mark::Content` names one of its leaves.
    pub tree: Tree,
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
    let mut paras = text.split('\n').peekable();
    while let Some(para) = paras.next() {
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
                        lines.push(broken_at_space(&mut line));
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
                lines.push(broken_at_space(&mut line));
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
        if paras.peek().is_some() && !line.runs.is_empty() {
            lines.push(broken_at_space(&mut line));
        } else {
            lines.push(line);
        }
    }
    lines
}

/// Takes the line, ending it with the space it was broken at. The space draws nothing and is
/// not counted in its width, but a reader (a screen reader, a copy of the text) gets it, so
/// the last word of one line and the first of the next are not read as one word.
fn broken_at_space(line: &mut Line) -> Line {
    let mut done = std::mem::take(line);
    if let Some(last) = done.runs.last_mut() {
        last.text.push(' ');
    }
    done
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
pub fn place_lines(m: &dyn Metrics, lines: &[Line], style: &Style, x: f32, top: f32, mark: Mark) -> (Vec<Item>, f32) {
    let mut items = Vec::new();
    let mut y = top + style.size * m.ascent();
    for line in lines {
        let mut cx = x;
        for run in &line.runs {
            if !run.text.trim().is_empty() {
                items.push(Item { mark, kind: Kind::Text { x: cx, y, size: style.size, face: run.face, color: style.color, text: run.text.clone() } });
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
        let edge = if it.mark.is_artifact() { 0.0 } else { margin };
        if l < edge - 0.5 || t < edge - 0.5 || r > page.width - edge + 0.5 || b > page.height - edge + 0.5 {
            out.push(format!("{:?} at ({l:.1}, {t:.1})–({r:.1}, {b:.1})", it.kind));
        }
    }
    out
}

/// Text drawn over other text, and text crossed by a rule (a line, or the edge of an outlined
/// box), on a page: a description of each. What a reader would see as a defect; the layout
/// must never produce one (tested on every page of every paper, at size).
pub fn collisions(m: &dyn Metrics, page: &Page) -> Vec<String> {
    // Boxes are shrunk by a quarter point so that touching is not overlapping.
    const SLACK: f32 = 0.25;
    type Boxed<'a> = ((f32, f32, f32, f32), &'a str);
    let mut texts: Vec<Boxed> = page
        .items
        .iter()
        .filter_map(|it| match &it.kind {
            Kind::Text { text, .. } if !text.trim().is_empty() => {
                let (l, t, r, b) = it.bounds(m);
                Some(((l + SLACK, t + SLACK, r - SLACK, b - SLACK), text.as_str()))
            }
            _ => None,
        })
        .collect();
    texts.sort_by(|a, b| a.0 .1.total_cmp(&b.0 .1));
    let mut out = Vec::new();
    for (i, ((l, t, r, b), text)) in texts.iter().enumerate() {
        // Sorted by top: only the boxes starting above this one's bottom can meet it.
        for ((l2, t2, r2, _), text2) in texts[i + 1..].iter().take_while(|((_, t2, _, _), _)| t2 < b) {
            if l < r2 && l2 < r {
                out.push(format!("{text:?} at ({l:.1}, {t:.1}) is drawn over {text2:?} at ({l2:.1}, {t2:.1})"));
            }
        }
    }
    // Rules: lines, and the four edges of outlined boxes.
    let mut rules: Vec<(f32, f32, f32, f32)> = Vec::new();
    for it in &page.items {
        match &it.kind {
            Kind::Line { x1, y1, x2, y2, .. } => rules.push((*x1, *y1, *x2, *y2)),
            Kind::Rect { x, y, w, h, stroke: Some(_), .. } => {
                rules.extend([(*x, *y, x + w, *y), (*x, y + h, x + w, y + h), (*x, *y, *x, y + h), (x + w, *y, x + w, y + h)]);
            }
            _ => {}
        }
    }
    for (x1, y1, x2, y2) in rules {
        let (lx, rx, ty, by) = (x1.min(x2), x1.max(x2), y1.min(y2), y1.max(y2));
        for ((l, t, r, b), text) in &texts {
            if lx < *r && *l < rx && ty < *b && *t < by {
                out.push(format!("the rule ({x1:.1}, {y1:.1})–({x2:.1}, {y2:.1}) crosses {text:?} at ({l:.1}, {t:.1})"));
            }
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
        assert_eq!(lines[0].runs[0].text, "aaaa bbbb ", "the space it broke at ends the line, for a reader");
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
        let (items, h) = place_lines(&Fixed, &lines, &s, 40.0, 40.0, Mark::Content(1));
        let page = Page { width: 200.0, height: 40.0 + h + 40.0, items };
        assert!(outside_printable(&Fixed, &page, 40.0).is_empty());
        let page_small = Page { width: 120.0, ..page };
        assert!(!outside_printable(&Fixed, &page_small, 40.0).is_empty(), "the check notices overflow");
    }

    #[test]
    fn text_over_text_and_text_crossed_by_a_rule_are_found_and_lines_of_a_paragraph_are_not() {
        let s = Style::new(10.0, Face::Regular);
        let lines = wrap(&Fixed, &s, &"word ".repeat(60), 100.0, &mut vec![]);
        let (items, _) = place_lines(&Fixed, &lines, &s, 40.0, 40.0, Mark::Content(1));
        let mut page = Page { width: 200.0, height: 400.0, items };
        assert_eq!(collisions(&Fixed, &page), Vec::<String>::new(), "a wrapped paragraph's lines do not touch");
        let over =
            Item { mark: Mark::Content(2), kind: Kind::Text { x: 60.0, y: 52.0, size: 10.0, face: Face::Regular, color: Rgb::TEXT, text: "over".into() } };
        page.items.push(over);
        assert_eq!(collisions(&Fixed, &page).len(), 2, "drawn over the first two lines: {:?}", collisions(&Fixed, &page));
        page.items.pop();
        let rule = Item { mark: Mark::LAYOUT, kind: Kind::Line { x1: 0.0, y1: 46.0, x2: 200.0, y2: 46.0, width: 0.5, color: Rgb::RULE } };
        page.items.push(rule);
        assert_eq!(collisions(&Fixed, &page).len(), 1, "a rule through the first line");
    }
}
