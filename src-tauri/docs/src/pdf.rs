//! The printpdf 0.12 backend: embeds the fonts (subset), measures with them, and draws a laid
//! out `Document`. The only module that knows printpdf.

use printpdf::{
    Color, FontId, Line as PdfLine, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rect, TextItem,
};

use crate::layout::{Document, Face, Kind, Metrics, Rgb};
use crate::DocError;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
static SYMBOL: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Liberation Sans (Arial metrics, as council papers use) and DejaVu Sans for the symbols
/// Liberation lacks (✓ ▲ ▼ → ...).
pub struct Fonts {
    faces: [ParsedFont; 3],
    upm: [f32; 3],
    /// Advances in ems of the characters reports mostly use (Latin and general punctuation),
    /// looked up once per face when the fonts load: the font's own lookup was a third of the
    /// time taken to lay out a long report. NaN where the face has no glyph.
    common: [Vec<f32>; 3],
}

/// The characters whose advances are kept in `Fonts::common`, and their place in it.
fn common_index(ch: char) -> Option<usize> {
    match ch as usize {
        c @ 0..0x180 => Some(c),
        c @ 0x2000..0x2070 => Some(c - 0x2000 + 0x180),
        _ => None,
    }
}
const COMMON: usize = 0x180 + 0x70;

impl Fonts {
    pub fn load() -> Result<Fonts, DocError> {
        let parse = |bytes: &[u8], name: &str| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| DocError::Font(name.to_string()))
        };
        let faces = [parse(REGULAR, "Liberation Sans")?, parse(BOLD, "Liberation Sans Bold")?, parse(SYMBOL, "DejaVu Sans")?];
        let upm = [0, 1, 2].map(|i| f32::from(faces[i].pdf_font_metrics.units_per_em.max(1)));
        let chars: Vec<char> = (0..0x180u32).chain(0x2000..0x2070).filter_map(char::from_u32).collect();
        let common = [0, 1, 2].map(|i| {
            let mut table = vec![f32::NAN; COMMON];
            for &ch in &chars {
                if let (Some(at), Some(a)) = (common_index(ch), lookup(&faces[i], upm[i], ch)) {
                    table[at] = a;
                }
            }
            table
        });
        Ok(Fonts { faces, upm, common })
    }

    fn index(face: Face) -> usize {
        match face {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Symbol => 2,
        }
    }
}

impl Metrics for Fonts {
    fn advance(&self, face: Face, ch: char) -> Option<f32> {
        let i = Fonts::index(face);
        match common_index(ch) {
            Some(at) => Some(self.common[i][at]).filter(|a| !a.is_nan()),
            None => lookup(&self.faces[i], self.upm[i], ch),
        }
    }
}

/// The advance of `ch` in ems, from the font itself; `None` when it has no glyph for it.
fn lookup(face: &ParsedFont, upm: f32, ch: char) -> Option<f32> {
    let gid = face.lookup_glyph_index(ch as u32)?;
    if gid == 0 {
        return None;
    }
    Some(f32::from(face.get_horizontal_advance(gid)) / upm)
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(f32::from(c.0) / 255.0, f32::from(c.1) / 255.0, f32::from(c.2) / 255.0, None))
}

/// Draws the document and returns the PDF file's bytes.
pub fn render(doc: &Document, fonts: &Fonts) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&doc.title);
    pdf.metadata.info.document_title = doc.title.clone();
    pdf.metadata.info.author = doc.author.clone();
    pdf.metadata.info.subject = doc.subject.clone();
    pdf.metadata.info.creator = "CCSP Coordinator".into();
    pdf.metadata.info.producer = "CCSP Coordinator (printpdf)".into();
    let ids: Vec<FontId> = fonts.faces.iter().map(|f| pdf.add_font(f)).collect();
    let mut pages = Vec::with_capacity(doc.pages.len());
    for page in &doc.pages {
        let h = page.height;
        let mut ops = Vec::new();
        // Consecutive text runs share one text section, and font and colour are set only
        // when they change: a 30-page report writes a third of the operators it would
        // otherwise (docs/benchmarks.md).
        let mut in_text = false;
        // Where the current text line starts, relative to the section's start: each run is
        // placed with a relative move (`Td`, two numbers) rather than a full matrix (`Tm`,
        // six), which is fewer numbers to format and to store.
        let mut line_at = (0.0f32, 0.0f32);
        let mut font: Option<(usize, f32)> = None;
        let mut fill: Option<Rgb> = None;
        let mut outline: Option<(Rgb, f32)> = None;
        for item in &page.items {
            if !matches!(item.kind, Kind::Text { .. }) && in_text {
                ops.push(Op::EndTextSection);
                in_text = false;
                font = None;
            }
            match &item.kind {
                Kind::Rect { x, y, w, h: rh, fill: rf, stroke } => {
                    let rect = |mode| Rect { x: Pt(*x), y: Pt(h - y - rh), width: Pt(*w), height: Pt(*rh), mode: Some(mode), winding_order: None };
                    if let Some(f) = rf {
                        if fill != Some(*f) {
                            ops.push(Op::SetFillColor { col: color(*f) });
                            fill = Some(*f);
                        }
                        ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Fill) });
                    }
                    if let Some((c, wdt)) = stroke {
                        set_outline(&mut ops, &mut outline, *c, *wdt);
                        ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
                    }
                }
                Kind::Line { x1, y1, x2, y2, width, color: c } => {
                    set_outline(&mut ops, &mut outline, *c, *width);
                    let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(h - y) }, bezier: false };
                    ops.push(Op::DrawLine { line: PdfLine { points: vec![p(*x1, *y1), p(*x2, *y2)], is_closed: false } });
                }
                Kind::Text { x, y, size, face, color: c, text } => {
                    if !in_text {
                        ops.push(Op::StartTextSection);
                        in_text = true;
                        line_at = (0.0, 0.0);
                    }
                    let f = (Fonts::index(*face), *size);
                    if font != Some(f) {
                        ops.push(Op::SetFont { font: PdfFontHandle::External(ids[f.0].clone()), size: Pt(*size) });
                        font = Some(f);
                    }
                    if fill != Some(*c) {
                        ops.push(Op::SetFillColor { col: color(*c) });
                        fill = Some(*c);
                    }
                    let to = (*x, h - y);
                    ops.push(Op::SetTextCursor { pos: Point { x: Pt(to.0 - line_at.0), y: Pt(to.1 - line_at.1) } });
                    line_at = to;
                    ops.push(Op::ShowText { items: vec![TextItem::Text(text.clone())] });
                }
            }
        }
        if in_text {
            ops.push(Op::EndTextSection);
        }
        pages.push(PdfPage::new(Mm::from(Pt(page.width)), Mm::from(Pt(page.height)), ops));
    }
    let mut warnings = Vec::new();
    // printpdf's own save compresses every stream at zlib's best level, one after another: that
    // was a third of a 33-page report's time. We take the lopdf document instead and compress
    // its streams at a fast level across the machine's cores (docs/benchmarks.md has the
    // figures: the file grows by a few per cent).
    let options = PdfSaveOptions { subset_fonts: true, optimize: false, ..Default::default() };
    let mut lo = pdf.with_pages(pages).to_lopdf_document(&options, &mut warnings);
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = lo.save_to(&mut bytes);
    bytes
}

/// Sets the stroke colour and width, each only when it changes.
fn set_outline(ops: &mut Vec<Op>, current: &mut Option<(Rgb, f32)>, c: Rgb, width: f32) {
    if current.map(|o| o.0) != Some(c) {
        ops.push(Op::SetOutlineColor { col: color(c) });
    }
    if current.map(|o| o.1) != Some(width) {
        ops.push(Op::SetOutlineThickness { pt: Pt(width) });
    }
    *current = Some((c, width));
}

/// Deflates every stream that allows it, spread over the available cores.
fn compress_streams(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    // Largest first, dealt round-robin, so each thread gets a similar share of bytes.
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let mut shares: Vec<Vec<&mut lopdf::Stream>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, s) in streams.into_iter().enumerate() {
        shares[i % threads].push(s);
    }
    std::thread::scope(|scope| {
        for share in shares {
            scope.spawn(move || share.into_iter().for_each(deflate));
        }
    });
}

fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(stream.content.len() / 3), flate2::Compression::fast());
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_advances_are_the_fonts_own_for_cached_and_other_characters() {
        let fonts = Fonts::load().unwrap();
        let sample = (0..0x2100u32).chain([0x2192, 0x2713, 0x25B2, 0x1F980]).filter_map(char::from_u32);
        for face in [Face::Regular, Face::Bold, Face::Symbol] {
            let i = Fonts::index(face);
            for ch in sample.clone() {
                assert_eq!(fonts.advance(face, ch), lookup(&fonts.faces[i], fonts.upm[i], ch), "{face:?} {ch:?}");
            }
        }
        assert!(fonts.advance(Face::Regular, '£').is_some() && fonts.advance(Face::Regular, '–').is_some());
        assert!(fonts.advance(Face::Regular, '✓').is_none() && fonts.advance(Face::Symbol, '✓').is_some());
    }
}
