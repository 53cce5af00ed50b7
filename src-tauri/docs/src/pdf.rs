//! The PDF backend: printpdf 0.12 makes the file and embeds the fonts (subset); this module
//! measures with those fonts and writes each page's content from a laid-out `Document`. The
//! only module that knows printpdf.

use std::collections::{BTreeSet, HashMap};

use printpdf::{FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem};

use crate::layout::{Document, Face, Kind, Metrics, Page, Rgb};
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

/// Draws the document and returns the PDF file's bytes.
///
/// printpdf makes the file: the document structure, the metadata, and the fonts, subset to
/// exactly the characters the document draws (with their widths and the ToUnicode map that
/// makes the text copyable). The pages' content streams are written here, from the laid-out
/// items, because printpdf's own operator path cost ~200 ns per character (two cmap lookups,
/// a map insert and a formatted write per byte): 30 of the 50 ms of a 33-page report.
/// To learn the codes printpdf gave each character in its subset fonts, the first page is
/// handed to printpdf holding every character once per face; its stream is read back and
/// then replaced like every other page's (docs/pdf-notes.md).
pub fn render(doc: &Document, fonts: &Fonts) -> Result<Vec<u8>, crate::DocError> {
    let mut pdf = PdfDocument::new(&doc.title);
    pdf.metadata.info.document_title = doc.title.clone();
    pdf.metadata.info.author = doc.author.clone();
    pdf.metadata.info.subject = doc.subject.clone();
    pdf.metadata.info.creator = "CCSP Coordinator".into();
    pdf.metadata.info.producer = "CCSP Coordinator (printpdf)".into();
    // printpdf's default is 1 January 1970.
    let now = printpdf::OffsetDateTime::now_utc();
    (pdf.metadata.info.creation_date, pdf.metadata.info.modification_date, pdf.metadata.info.metadata_date) = (now, now, now);
    let ids: Vec<FontId> = fonts.faces.iter().map(|f| pdf.add_font(f)).collect();

    // Every character each face draws, in a fixed order.
    let mut used: [BTreeSet<char>; 3] = Default::default();
    for item in doc.pages.iter().flat_map(|p| &p.items) {
        if let Kind::Text { face, text, .. } = &item.kind {
            used[Fonts::index(*face)].extend(text.chars());
        }
    }
    let mut register = vec![Op::StartTextSection];
    for (i, chars) in used.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        register.push(Op::SetFont { font: PdfFontHandle::External(ids[i].clone()), size: Pt(10.0) });
        register.push(Op::ShowText { items: vec![TextItem::Text(chars.iter().collect())] });
    }
    register.push(Op::EndTextSection);
    let mut pages: Vec<PdfPage> = doc.pages.iter().map(|p| PdfPage::new(Mm::from(Pt(p.width)), Mm::from(Pt(p.height)), Vec::new())).collect();
    if let Some(first) = pages.first_mut() {
        first.ops = register;
    }

    let mut warnings = Vec::new();
    // Streams are compressed below, at a fast level and on every core (printpdf's own save
    // deflates at zlib's best level, one stream after another).
    let options = PdfSaveOptions { subset_fonts: true, optimize: false, ..Default::default() };
    let mut lo = pdf.with_pages(pages).to_lopdf_document(&options, &mut warnings);
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    let contents: Vec<lopdf::ObjectId> = page_ids
        .iter()
        .map(|id| {
            let page = lo.get_dictionary(*id).map_err(|e| crate::DocError::Pdf(format!("a page has no dictionary ({e})")))?;
            page.get(b"Contents").and_then(|c| c.as_reference()).map_err(|e| crate::DocError::Pdf(format!("a page has no content stream ({e})")))
        })
        .collect::<Result<_, _>>()?;
    let first = contents.first().copied().ok_or_else(|| crate::DocError::Pdf("the document has no pages".into()))?;
    let codes = Codes::read(&lo, first, &used).map_err(crate::DocError::Pdf)?;

    let streams: Vec<Vec<u8>> = in_parallel(&doc.pages, |page| {
        let mut bytes = Vec::with_capacity(page.items.len() * 40);
        write_page(&mut bytes, page, &codes);
        bytes
    });
    for (id, bytes) in contents.into_iter().zip(streams) {
        match lo.objects.get_mut(&id) {
            Some(lopdf::Object::Stream(stream)) => stream.set_content(bytes),
            _ => return Err(crate::DocError::Pdf(format!("page content {id:?} is not a stream"))),
        }
    }
    add_outline(&mut lo, doc, &page_ids);
    // The language of the text (screen readers choose their voice by it) and the title shown
    // in the viewer's title bar rather than the file name; both asked of public-sector PDFs.
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Lang", lopdf::Object::string_literal("en-GB"));
        catalog.set("ViewerPreferences", lopdf::Dictionary::from_iter(vec![("DisplayDocTitle", lopdf::Object::Boolean(true))]));
    }
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| crate::DocError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// Writes the document's outline (bookmarks), each opening its page at the heading. Only for
/// documents of more than one page.
fn add_outline(lo: &mut lopdf::Document, doc: &Document, page_ids: &[lopdf::ObjectId]) {
    use lopdf::Object;
    let entries: Vec<_> = doc.outline.iter().filter_map(|b| Some((b, *page_ids.get(b.page)?, doc.pages.get(b.page)?.height))).collect();
    if doc.pages.len() < 2 || entries.is_empty() {
        return;
    }
    let root = lo.new_object_id();
    let ids: Vec<lopdf::ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    for (i, (b, page, height)) in entries.iter().enumerate() {
        // A PDF text string: UTF-16BE with its byte-order mark (titles have – and £).
        let mut title = vec![0xFE, 0xFF];
        title.extend(b.title.encode_utf16().flat_map(u16::to_be_bytes));
        let mut item = lopdf::Dictionary::from_iter(vec![
            ("Title", Object::String(title, lopdf::StringFormat::Hexadecimal)),
            ("Parent", Object::Reference(root)),
            ("Dest", Object::Array(vec![Object::Reference(*page), "XYZ".into(), Object::Null, Object::Real(height - b.top + 6.0), Object::Null])),
        ]);
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        lo.objects.insert(ids[i], Object::Dictionary(item));
    }
    let outlines = lopdf::Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("First", Object::Reference(ids[0])),
        ("Last", Object::Reference(ids[ids.len() - 1])),
        ("Count", Object::Integer(ids.len() as i64)),
    ]);
    lo.objects.insert(root, Object::Dictionary(outlines));
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// The font resource names and the glyph codes printpdf gave each character, per face.
#[derive(Default, Debug)]
struct Codes {
    names: [Vec<u8>; 3],
    code: [HashMap<char, u16>; 3],
}

impl Codes {
    /// Reads them back from the registration page: per face used, `/Name size Tf` then
    /// `<codes> Tj` with one two-byte code per character, in `used` order. Verified: every
    /// face used has its font name and one real glyph code (never 0, `.notdef`) per character,
    /// so a change in printpdf's output is an error here, never blank text on a page.
    fn read(lo: &lopdf::Document, stream: lopdf::ObjectId, used: &[BTreeSet<char>; 3]) -> Result<Codes, String> {
        let mut codes = Codes::default();
        let Ok(lopdf::Object::Stream(s)) = lo.get_object(stream) else { return Err("the glyph register is not a stream".into()) };
        let content = lopdf::content::Content::decode(&s.content).map_err(|e| format!("the glyph register cannot be read ({e})"))?;
        let mut faces = (0..3).filter(|i| !used[*i].is_empty());
        let mut face = None;
        for op in &content.operations {
            match (op.operator.as_str(), op.operands.first()) {
                ("Tf", Some(lopdf::Object::Name(name))) => {
                    face = faces.next();
                    if let Some(i) = face {
                        codes.names[i] = name.clone();
                    }
                }
                ("Tj", Some(lopdf::Object::String(bytes, _))) => {
                    if let Some(i) = face {
                        let glyphs = bytes.chunks_exact(2).map(|b| u16::from_be_bytes([b[0], b[1]]));
                        codes.code[i] = used[i].iter().copied().zip(glyphs).collect();
                    }
                }
                _ => {}
            }
        }
        for i in (0..3).filter(|i| !used[*i].is_empty()) {
            if codes.names[i].is_empty() {
                return Err(format!("no font name was learnt for face {i}"));
            }
            let missing: String = used[i].iter().filter(|ch| codes.code[i].get(ch).is_none_or(|&c| c == 0)).collect();
            if !missing.is_empty() {
                return Err(format!("no glyph code was learnt for {missing:?}"));
            }
        }
        Ok(codes)
    }
}

/// Runs `f` over `items` on up to four threads, keeping the order of the results.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        // A panic in a worker is a bug in this module; surface it where it happened.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Writes one page's content stream: PDF's own operators (`re f`, `m l S`, `BT Tf Td Tj ET`),
/// y measured from the bottom. Font, colours and line width are set only when they change;
/// consecutive text runs share one text object and move with `Td` in exact hundredths of a
/// point, so positions never drift.
fn write_page(out: &mut Vec<u8>, page: &Page, codes: &Codes) {
    let h = page.height;
    let mut in_text = false;
    let mut line_at = (0i64, 0i64);
    let mut font: Option<(usize, f32)> = None;
    let mut fill: Option<Rgb> = None;
    let mut outline: Option<(Rgb, f32)> = None;
    for item in &page.items {
        if in_text && !matches!(item.kind, Kind::Text { .. }) {
            out.extend_from_slice(b"ET\n");
            in_text = false;
        }
        match &item.kind {
            Kind::Rect { x, y, w, h: rh, fill: rf, stroke } => {
                let rect = |out: &mut Vec<u8>| {
                    num(out, hundredths(*x));
                    num(out, hundredths(h - y - rh));
                    num(out, hundredths(*w));
                    num(out, hundredths(*rh));
                    out.extend_from_slice(b"re ");
                };
                if let Some(f) = rf {
                    set_colour(out, &mut fill, *f, b"rg\n");
                    rect(out);
                    out.extend_from_slice(b"f\n");
                }
                if let Some((c, width)) = stroke {
                    set_outline(out, &mut outline, *c, *width);
                    rect(out);
                    out.extend_from_slice(b"S\n");
                }
            }
            Kind::Line { x1, y1, x2, y2, width, color } => {
                set_outline(out, &mut outline, *color, *width);
                num(out, hundredths(*x1));
                num(out, hundredths(h - y1));
                out.extend_from_slice(b"m ");
                num(out, hundredths(*x2));
                num(out, hundredths(h - y2));
                out.extend_from_slice(b"l S\n");
            }
            Kind::Text { x, y, size, face, color, text } => {
                if !in_text {
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                    line_at = (0, 0);
                    // Tf is text state, kept across text objects; set it again anyway, cheaply.
                    font = None;
                }
                let i = Fonts::index(*face);
                if font != Some((i, *size)) {
                    out.push(b'/');
                    out.extend_from_slice(&codes.names[i]);
                    out.push(b' ');
                    num(out, hundredths(*size));
                    out.extend_from_slice(b"Tf\n");
                    font = Some((i, *size));
                }
                set_colour(out, &mut fill, *color, b"rg\n");
                let to = (hundredths(*x), hundredths(h - y));
                num(out, to.0 - line_at.0);
                num(out, to.1 - line_at.1);
                out.extend_from_slice(b"Td <");
                line_at = to;
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                for ch in text.chars() {
                    // Every drawn character was registered and verified by `Codes::read`.
                    let code = codes.code[i].get(&ch).copied().unwrap_or(0);
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[usize::from((code >> shift) & 0xF)]);
                    }
                }
                out.extend_from_slice(b"> Tj\n");
            }
        }
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
}

/// A length in points as a whole number of hundredths.
fn hundredths(v: f32) -> i64 {
    (f64::from(v) * 100.0).round() as i64
}

/// Writes a number of hundredths as a PDF number ("12.5", "-3", "0.07") and a space.
fn num(out: &mut Vec<u8>, hundredths: i64) {
    use std::io::Write;
    let (sign, v) = if hundredths < 0 { ("-", -hundredths) } else { ("", hundredths) };
    let (whole, frac) = (v / 100, v % 100);
    // Writing to a Vec cannot fail.
    let _ = match frac {
        0 => write!(out, "{sign}{whole} "),
        f if f % 10 == 0 => write!(out, "{sign}{whole}.{} ", f / 10),
        f => write!(out, "{sign}{whole}.{f:02} "),
    };
}

/// A colour component (0-255) as a PDF number between 0 and 1, to three places.
fn component(out: &mut Vec<u8>, c: u8) {
    use std::io::Write;
    let thousandths = (u32::from(c) * 1000 + 127) / 255;
    // Writing to a Vec cannot fail.
    let _ = match thousandths {
        1000 => write!(out, "1 "),
        t => write!(out, "0.{t:03} "),
    };
}

fn set_colour(out: &mut Vec<u8>, current: &mut Option<Rgb>, c: Rgb, op: &[u8]) {
    if *current != Some(c) {
        component(out, c.0);
        component(out, c.1);
        component(out, c.2);
        out.extend_from_slice(op);
        *current = Some(c);
    }
}

/// Sets the stroke colour and width, each only when it changes.
fn set_outline(out: &mut Vec<u8>, current: &mut Option<(Rgb, f32)>, c: Rgb, width: f32) {
    let mut colour = current.map(|o| o.0);
    set_colour(out, &mut colour, c, b"RG\n");
    if current.map(|o| o.1) != Some(width) {
        num(out, hundredths(width));
        out.extend_from_slice(b"w\n");
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
    fn register(content: &[u8]) -> (lopdf::Document, lopdf::ObjectId) {
        let mut lo = lopdf::Document::with_version("1.7");
        let id = lo.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), content.to_vec()));
        (lo, id)
    }

    #[test]
    fn learnt_glyph_codes_that_do_not_cover_every_drawn_character_are_an_error_not_blank_text() {
        let used: [BTreeSet<char>; 3] = [BTreeSet::from(['a', 'b']), BTreeSet::new(), BTreeSet::new()];
        let (lo, id) = register(b"BT /F1 10 Tf <00410042> Tj ET");
        let codes = Codes::read(&lo, id, &used).unwrap();
        assert_eq!(codes.code[0][&'b'], 0x42);
        let (lo, id) = register(b"BT /F1 10 Tf <0041> Tj ET");
        assert!(Codes::read(&lo, id, &used).unwrap_err().contains("\"b\""), "a character without a code");
        let (lo, id) = register(b"BT /F1 10 Tf <00410000> Tj ET");
        assert!(Codes::read(&lo, id, &used).is_err(), "code 0 is .notdef: it would draw nothing");
        let (lo, id) = register(b"BT <00410042> Tj ET");
        assert!(Codes::read(&lo, id, &used).is_err(), "no font name learnt");
    }

    use super::*;
    use crate::layout::{Item, Role};

    #[test]
    fn numbers_are_written_in_exact_hundredths() {
        let mut out = Vec::new();
        for v in [0, 1250, -3, 7, -100, 59528, 10] {
            num(&mut out, v);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "0 12.5 -0.03 0.07 -1 595.28 0.1 ");
        let mut out = Vec::new();
        for c in [0, 255, 0x0b, 0x80] {
            component(&mut out, c);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "0.000 1 0.043 0.502 ");
    }

    #[test]
    fn the_file_declares_its_language_its_creation_date_and_shows_its_title_not_its_file_name() {
        let fonts = Fonts::load().unwrap();
        let page = Page { width: 595.28, height: 841.89, items: vec![] };
        let doc = Document { title: "Report".into(), author: "a".into(), subject: "s".into(), pages: vec![page], outline: vec![], warnings: vec![] };
        let lo = lopdf::Document::load_mem(&render(&doc, &fonts).unwrap()).unwrap();
        let catalog = lo.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en-GB");
        assert!(catalog.get(b"ViewerPreferences").unwrap().as_dict().unwrap().get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
        let info = lo.trailer.get(b"Info").and_then(|i| lo.dereference(i)).unwrap().1.as_dict().unwrap();
        let created = String::from_utf8_lossy(info.get(b"CreationDate").unwrap().as_str().unwrap()).to_string();
        let year = chrono::Utc::now().format("%Y").to_string();
        assert!(created.starts_with(&format!("D:{year}")), "created now, not in 1970: {created}");
    }

    #[test]
    fn the_outline_lists_the_headings_in_order_each_opening_its_page() {
        use crate::layout::Bookmark;
        let fonts = Fonts::load().unwrap();
        let page = || Page { width: 595.28, height: 841.89, items: vec![] };
        let outline = vec![Bookmark { title: "1. Context – £".into(), page: 0, top: 100.0 }, Bookmark { title: "Appendix 2".into(), page: 1, top: 60.0 }];
        let doc = Document { title: "Report".into(), author: "a".into(), subject: "s".into(), pages: vec![page(), page()], outline, warnings: vec![] };
        let lo = lopdf::Document::load_mem(&render(&doc, &fonts).unwrap()).unwrap();
        let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
        let outlines = lo.catalog().unwrap().get(b"Outlines").and_then(|o| lo.dereference(o)).unwrap().1.as_dict().unwrap();
        assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 2);
        let first = lo.dereference(outlines.get(b"First").unwrap()).unwrap().1.as_dict().unwrap();
        let title = first.get(b"Title").unwrap().as_str().unwrap();
        let units: Vec<u16> = title[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        assert_eq!(String::from_utf16(&units).unwrap(), "1. Context – £");
        let second = lo.dereference(first.get(b"Next").unwrap()).unwrap().1.as_dict().unwrap();
        let dest = second.get(b"Dest").unwrap().as_array().unwrap();
        assert_eq!(dest[0].as_reference().unwrap(), pages[1], "the second entry opens the second page");
    }

    #[test]
    fn every_character_drawn_gets_its_glyph_in_the_subset_fonts_and_only_the_page_content_is_drawn() {
        let fonts = Fonts::load().unwrap();
        let text =
            |x: f32, y: f32, face: Face, t: &str| Item { role: Role::Paragraph, kind: Kind::Text { x, y, size: 10.0, face, color: Rgb::TEXT, text: t.into() } };
        let page = |items| Page { width: 595.28, height: 841.89, items };
        let doc = Document {
            title: "t".into(),
            author: "a".into(),
            subject: "s".into(),
            pages: vec![
                page(vec![text(50.0, 60.0, Face::Regular, "£153 – Coventry"), text(50.0, 80.0, Face::Bold, "Theme 1")]),
                page(vec![text(50.0, 60.0, Face::Symbol, "▲ ✓"), text(300.0, 60.0, Face::Regular, "Zebra")]),
            ],
            outline: vec![],
            warnings: vec![],
        };
        let mut lo = lopdf::Document::load_mem(&render(&doc, &fonts).unwrap()).unwrap();
        lo.decompress();
        let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
        assert_eq!(pages.len(), 2);
        for (page, want) in pages.iter().zip(&doc.pages) {
            let content = lopdf::content::Content::decode(&lo.get_page_content(*page)).unwrap();
            let shown: Vec<&Vec<u8>> = content
                .operations
                .iter()
                .filter(|op| op.operator == "Tj")
                .filter_map(|op| match op.operands.first() {
                    Some(lopdf::Object::String(b, _)) => Some(b),
                    _ => None,
                })
                .collect();
            let texts: Vec<&str> = want
                .items
                .iter()
                .filter_map(|i| match &i.kind {
                    Kind::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(shown.len(), texts.len(), "one Tj per run, nothing else drawn");
            for (bytes, t) in shown.iter().zip(texts) {
                assert_eq!(bytes.len(), 2 * t.chars().count(), "{t}");
                assert!(bytes.chunks(2).all(|c| c != [0, 0]), "no character of {t:?} fell to .notdef");
            }
        }
    }

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
