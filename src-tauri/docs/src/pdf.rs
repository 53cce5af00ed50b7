//! The printpdf 0.12 backend: embeds the fonts (subset), measures with them, and draws a laid
//! out `Document`. The only module that knows printpdf.

use printpdf::{
    Color, FontId, Line as PdfLine, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rect, TextItem, TextMatrix,
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
}

impl Fonts {
    pub fn load() -> Result<Fonts, DocError> {
        let parse = |bytes: &[u8], name: &str| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| DocError::Font(name.to_string()))
        };
        let faces = [parse(REGULAR, "Liberation Sans")?, parse(BOLD, "Liberation Sans Bold")?, parse(SYMBOL, "DejaVu Sans")?];
        let upm = [0, 1, 2].map(|i| f32::from(faces[i].pdf_font_metrics.units_per_em.max(1)));
        Ok(Fonts { faces, upm })
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
        let gid = self.faces[i].lookup_glyph_index(ch as u32)?;
        if gid == 0 {
            return None;
        }
        Some(f32::from(self.faces[i].get_horizontal_advance(gid)) / self.upm[i])
    }
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
        let mut font: Option<(usize, f32)> = None;
        let mut fill: Option<Rgb> = None;
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
                        ops.push(Op::SetOutlineColor { col: color(*c) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*wdt) });
                        ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
                    }
                }
                Kind::Line { x1, y1, x2, y2, width, color: c } => {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(h - y) }, bezier: false };
                    ops.push(Op::DrawLine { line: PdfLine { points: vec![p(*x1, *y1), p(*x2, *y2)], is_closed: false } });
                }
                Kind::Text { x, y, size, face, color: c, text } => {
                    if !in_text {
                        ops.push(Op::StartTextSection);
                        in_text = true;
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
                    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(*x), Pt(h - y)) });
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
    pdf.with_pages(pages).save(&PdfSaveOptions { subset_fonts: true, ..Default::default() }, &mut warnings)
}
