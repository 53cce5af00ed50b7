//! The PDF backend: printpdf 0.12 makes the file and embeds the fonts (subset); this module
//! measures with those fonts and writes each page's content from a laid-out `Document`. The
//! only module that knows printpdf.

use std::collections::{BTreeSet, HashMap};

use printpdf::{FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem};

use crate::layout::{Artifact, Document, Face, Kind, Mark, Metrics, Page, Rgb, Tag, Tree};
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

    let written: Vec<(Vec<u8>, Vec<usize>)> = in_parallel(&doc.pages, |page| {
        let mut bytes = Vec::with_capacity(page.items.len() * 48);
        let mcids = write_page(&mut bytes, page, &codes);
        (bytes, mcids)
    });
    let mut mcids = Vec::with_capacity(written.len());
    for (id, (bytes, page_mcids)) in contents.into_iter().zip(written) {
        match lo.objects.get_mut(&id) {
            Some(lopdf::Object::Stream(stream)) => stream.set_content(bytes),
            _ => return Err(crate::DocError::Pdf(format!("page content {id:?} is not a stream"))),
        }
        mcids.push(page_mcids);
    }
    add_outline(&mut lo, doc, &page_ids);
    let elements = add_structure(&mut lo, &doc.tree, &page_ids, &mcids)?;
    add_archival(&mut lo, doc, now)?;
    compress_streams(&mut lo);
    Ok(save(&mut lo, &elements))
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
        let mut item = lopdf::Dictionary::from_iter(vec![
            ("Title", text_string(&b.title)),
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

/// How many threads the writing is spread over: the cores, up to four. Asked once (the
/// standard library reads the control-group files each time it is asked).
fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4))
}

/// Runs `f` over `items` on up to four threads, keeping the order of the results.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        // A panic in a worker is a bug in this module; surface it where it happened.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Writes one page's content stream: PDF's own operators (`re f`, `m l S`, `BT Tf Td Tj ET`),
/// y measured from the bottom, each item inside the marked-content sequence of its mark —
/// `/P <</MCID 3>> BDC … EMC` for content (the MCID ties it to its structure element), and
/// `/Artifact <</Type /Pagination /Subtype /Header>> BDC … EMC` for page furniture. Items
/// in a row with the same mark share one sequence; a sequence never straddles a text
/// object's end. Font, colours and line width are set only when they change; consecutive
/// text runs share one text object and move with `Td` in exact hundredths of a point, so
/// positions never drift. Returns the structure element of each MCID, in order.
fn write_page(out: &mut Vec<u8>, page: &Page, codes: &Codes) -> Vec<usize> {
    let h = page.height;
    let mut in_text = false;
    let mut line_at = (0i64, 0i64);
    let mut font: Option<(usize, f32)> = None;
    let mut fill: Option<Rgb> = None;
    let mut outline: Option<(Rgb, f32)> = None;
    let mut open: Option<Mark> = None;
    let mut mcids: Vec<usize> = Vec::new();
    for item in &page.items {
        let is_text = matches!(item.kind, Kind::Text { .. });
        if open.is_some() && (open != Some(item.mark) || (in_text && !is_text)) {
            out.extend_from_slice(b"EMC\n");
            open = None;
        }
        if in_text && !is_text {
            out.extend_from_slice(b"ET\n");
            in_text = false;
        }
        if is_text && !in_text {
            out.extend_from_slice(b"BT\n");
            in_text = true;
            line_at = (0, 0);
            // Tf is text state, kept across text objects; set it again anyway, cheaply.
            font = None;
        }
        if open.is_none() {
            begin_marked(out, item.mark, &mut mcids);
            open = Some(item.mark);
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
    if open.is_some() {
        out.extend_from_slice(b"EMC\n");
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    mcids
}

/// Opens the marked-content sequence of `mark`: content gets the next MCID of the page.
fn begin_marked(out: &mut Vec<u8>, mark: Mark, mcids: &mut Vec<usize>) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = match mark {
        Mark::Content(node) => {
            mcids.push(node);
            writeln!(out, "/Span <</MCID {}>> BDC", mcids.len() - 1)
        }
        Mark::Artifact(Artifact::Layout) => out.write_all(b"/Artifact <</Type /Layout>> BDC\n"),
        Mark::Artifact(Artifact::Header) => out.write_all(b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n"),
        Mark::Artifact(Artifact::Footer) => out.write_all(b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"),
    };
}

fn tag_name(tag: &Tag) -> String {
    match tag {
        Tag::Document => "Document".into(),
        Tag::H(n) => format!("H{}", n.clamp(&1, &6)),
        Tag::P => "P".into(),
        Tag::L => "L".into(),
        Tag::LI => "LI".into(),
        Tag::Lbl => "Lbl".into(),
        Tag::LBody => "LBody".into(),
        Tag::Table => "Table".into(),
        Tag::TR => "TR".into(),
        Tag::TH => "TH".into(),
        Tag::TD => "TD".into(),
        Tag::Figure { .. } => "Figure".into(),
    }
}

/// Writes the structure tree (PDF 14.7): one structure element per node of the document's
/// tree, each leaf's marked content referenced by page and MCID, the parent tree that maps
/// each page's MCIDs back to their elements, and what marks the file as tagged (`/MarkInfo`,
/// each page's `/StructParents` and `/Tabs /S`).
///
/// The elements (thousands in a long report) are written here straight to their bytes, not
/// made as lopdf dictionaries: building, writing and dropping those was a fifth of the time
/// taken to write a 34-page report (docs/benchmarks.md). The few other objects stay lopdf's.
fn add_structure(lo: &mut lopdf::Document, tree: &Tree, page_ids: &[lopdf::ObjectId], mcids: &[Vec<usize>]) -> Result<Raw, crate::DocError> {
    use lopdf::{Dictionary, Object};
    let n = tree.nodes.len();
    let root_id = lo.new_object_id();
    let ids: Vec<u32> = (0..n).map(|_| lo.new_object_id().0).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in tree.nodes.iter().enumerate() {
        if let Some(p) = node.parent {
            children.get_mut(p).ok_or_else(|| crate::DocError::Pdf(format!("structure element {i} has no parent {p}")))?.push(i);
        }
    }
    let mut content: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (page, list) in mcids.iter().enumerate() {
        for (mcid, node) in list.iter().enumerate() {
            let at = content.get_mut(*node).ok_or_else(|| crate::DocError::Pdf(format!("content marked for element {node}, which does not exist")))?;
            at.push((page, mcid));
        }
    }
    let mut raw = Raw { bytes: Vec::with_capacity(n * 96), objects: Vec::with_capacity(n) };
    let out = &mut raw.bytes;
    for (i, node) in tree.nodes.iter().enumerate() {
        if !children[i].is_empty() && !content[i].is_empty() {
            return Err(crate::DocError::Pdf(format!("structure element {i} ({:?}) has both content and children", node.tag)));
        }
        raw.objects.push((ids[i], out.len()));
        let parent = node.parent.map_or(root_id.0, |p| ids[p]);
        put(out, format_args!("{} 0 obj\n<</Type /StructElem /S /{} /P {parent} 0 R", ids[i], tag_name(&node.tag)));
        if let Some(&(first, _)) = content[i].first() {
            put(out, format_args!(" /Pg {} 0 R", page_ids[first].0));
            match content[i].as_slice() {
                // One marked-content item is written as its bare MCID, as most writers do
                // (and as some checkers expect of a heading).
                [(_, mcid)] => {
                    put(out, format_args!(" /K {mcid}"));
                }
                items => {
                    out.extend_from_slice(b" /K [");
                    for (page, mcid) in items {
                        if *page == first {
                            put(out, format_args!("{mcid} "));
                        } else {
                            put(out, format_args!("<</Type /MCR /Pg {} 0 R /MCID {mcid}>> ", page_ids[*page].0));
                        }
                    }
                    out.extend_from_slice(b"]");
                }
            }
        } else if !children[i].is_empty() {
            out.extend_from_slice(b" /K [");
            for c in &children[i] {
                put(out, format_args!("{} 0 R ", ids[*c]));
            }
            out.extend_from_slice(b"]");
        }
        match &node.tag {
            Tag::TH => out.extend_from_slice(b" /A <</O /Table /Scope /Column>>"),
            Tag::Figure { alt } => {
                out.extend_from_slice(b" /Alt ");
                write_object(out, &text_string(alt));
            }
            _ => {}
        }
        out.extend_from_slice(b">>\nendobj\n");
    }
    let reference = |i: usize| Object::Reference((ids[i], 0));
    // The parent tree: for page i (its /StructParents), the element of each MCID in order.
    let mut nums = Vec::new();
    for (page, list) in mcids.iter().enumerate() {
        nums.push(Object::Integer(page as i64));
        let arr = lo.add_object(Object::Array(list.iter().map(|node| reference(*node)).collect()));
        nums.push(Object::Reference(arr));
    }
    let parent_tree = lo.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    let root = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"StructTreeRoot".to_vec())),
        ("K", reference(Tree::ROOT)),
        ("ParentTree", Object::Reference(parent_tree)),
        ("ParentTreeNextKey", Object::Integer(mcids.len() as i64)),
    ]);
    lo.objects.insert(root_id, Object::Dictionary(root));
    for (i, id) in page_ids.iter().enumerate() {
        let page = lo.get_dictionary_mut(*id).map_err(|e| crate::DocError::Pdf(format!("a page has no dictionary ({e})")))?;
        page.set("StructParents", Object::Integer(i as i64));
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let catalog = lo.catalog_mut().map_err(|e| crate::DocError::Pdf(format!("the file has no catalog ({e})")))?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set("MarkInfo", Dictionary::from_iter(vec![("Marked", Object::Boolean(true))]));
    Ok(raw)
}

/// Writes formatted text to a file being made in memory (a Vec, which cannot fail).
fn put(out: &mut Vec<u8>, args: std::fmt::Arguments) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = out.write_fmt(args);
}

/// Hexadecimal digits, for strings and names' `#` escapes.
const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Indirect objects already written as bytes ("12 0 obj … endobj"), each with its number and
/// where it starts in `bytes`.
struct Raw {
    bytes: Vec<u8>,
    objects: Vec<(u32, usize)>,
}

/// The whole file: header, lopdf's objects, the `raw` ones, the cross-reference table and
/// the trailer (PDF 7.5). Every object number up to the highest is in use: one subsection.
fn save(lo: &mut lopdf::Document, raw: &Raw) -> Vec<u8> {
    let size = lo.max_id as usize + 1;
    let mut offsets: Vec<Option<(usize, u16)>> = vec![None; size];
    let mut out = Vec::with_capacity(
        raw.bytes.len() + lo.objects.values().map(|o| if let lopdf::Object::Stream(s) = o { s.content.len() + 64 } else { 64 }).sum::<usize>(),
    );
    // The binary comment on line 2 says the file holds binary data (PDF/A asks for it).
    out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    for (&(id, generation), object) in &lo.objects {
        offsets[id as usize] = Some((out.len(), generation));
        put(&mut out, format_args!("{id} {generation} obj\n"));
        write_object(&mut out, object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let base = out.len();
    out.extend_from_slice(&raw.bytes);
    for (id, at) in &raw.objects {
        offsets[*id as usize] = Some((base + at, 0));
    }
    let xref = out.len();
    put(&mut out, format_args!("xref\n0 {size}\n0000000000 65535 f \n"));
    for entry in &offsets[1..] {
        // A number left unused (none is today) is a free entry, as the format allows.
        match entry {
            Some((at, generation)) => put(&mut out, format_args!("{at:010} {generation:05} n \n")),
            None => out.extend_from_slice(b"0000000000 00000 f \n"),
        }
    }
    lo.trailer.set("Size", size as i64);
    out.extend_from_slice(b"trailer\n");
    write_object(&mut out, &lopdf::Object::Dictionary(lo.trailer.clone()));
    put(&mut out, format_args!("\nstartxref\n{xref}\n%%EOF\n"));
    out
}

/// Writes one PDF object (PDF 7.3): names with `#` escapes for delimiters and bytes outside
/// `!`..`~`, literal strings with `\`, `(`, `)` and CR escaped, streams with their length.
fn write_object(out: &mut Vec<u8>, object: &lopdf::Object) {
    use lopdf::Object;
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            put(out, format_args!("{i}"));
        }
        // Rust writes a float without an exponent, as PDF needs; never NaN or infinite here.
        Object::Real(r) => {
            put(out, format_args!("{}", if r.is_finite() { *r } else { 0.0 }));
        }
        Object::Name(name) => write_name(out, name),
        Object::String(text, lopdf::StringFormat::Literal) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(text, lopdf::StringFormat::Hexadecimal) => {
            out.push(b'<');
            for &b in text {
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dictionary(out, d, None),
        Object::Stream(s) => {
            write_dictionary(out, &s.dict, Some(s.content.len()));
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            // Data ending in a carriage return followed by "\n" would read to a PDF/A
            // validator as one byte short (it takes "\r\n" as the end-of-line before
            // `endstream`): such data gets a "\r\n" of its own.
            out.extend_from_slice(if s.content.last() == Some(&b'\r') { b"\r\nendstream" } else { b"\nendstream" });
        }
        Object::Reference((id, generation)) => {
            put(out, format_args!("{id} {generation} R"));
        }
    }
}

/// A dictionary; a stream's with its `/Length` (any stored one is replaced).
fn write_dictionary(out: &mut Vec<u8>, d: &lopdf::Dictionary, length: Option<usize>) {
    out.extend_from_slice(b"<<");
    for (key, value) in d.iter().filter(|(k, _)| length.is_none() || k.as_slice() != b"Length") {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    if let Some(n) = length {
        put(out, format_args!("/Length {n}"));
    }
    out.extend_from_slice(b">>");
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(&[b'#', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark (titles have – and £).
fn text_string(s: &str) -> lopdf::Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    lopdf::Object::String(bytes, lopdf::StringFormat::Hexadecimal)
}

/// Escapes text for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What makes the file archival and says what it is: PDF 1.7; the document information and
/// the XMP metadata saying the same (title, author, description, tool, dates), with the
/// PDF/A-2a and PDF/UA-1 identification (and the extension schema PDF/A asks for pdfuaid);
/// an sRGB output intent with its embedded profile; the language of the text (screen readers
/// choose their voice by it); the title shown in the viewer's title bar; and a file ID.
/// printpdf's own information dictionary claimed PDF/X, which the file is not: it is replaced.
fn add_archival(lo: &mut lopdf::Document, doc: &Document, now: printpdf::OffsetDateTime) -> Result<(), crate::DocError> {
    use lopdf::{Dictionary, Object, Stream};
    lo.version = "1.7".into();
    let pdf_date = format!("D:{:04}{:02}{:02}{:02}{:02}{:02}Z", now.year(), u8::from(now.month()), now.day(), now.hour(), now.minute(), now.second());
    let xmp_date = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", now.year(), u8::from(now.month()), now.day(), now.hour(), now.minute(), now.second());
    const CREATOR: &str = "CCSP Coordinator";
    const PRODUCER: &str = "CCSP Coordinator (printpdf)";
    let info = lo.add_object(Dictionary::from_iter(vec![
        ("Title", text_string(&doc.title)),
        ("Author", text_string(&doc.author)),
        ("Subject", text_string(&doc.subject)),
        ("Creator", text_string(CREATOR)),
        ("Producer", text_string(PRODUCER)),
        ("CreationDate", Object::string_literal(pdf_date.clone())),
        ("ModDate", Object::string_literal(pdf_date)),
    ]));
    lo.trailer.set("Info", Object::Reference(info));
    let packet = format!(
        concat!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" ",
            "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>\n",
            "<xmp:CreatorTool>{creator}</xmp:CreatorTool>\n<xmp:CreateDate>{date}</xmp:CreateDate>\n",
            "<xmp:ModifyDate>{date}</xmp:ModifyDate>\n<xmp:MetadataDate>{date}</xmp:MetadataDate>\n",
            "<pdf:Producer>{producer}</pdf:Producer>\n",
            "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>A</pdfaid:conformance>\n<pdfuaid:part>1</pdfuaid:part>\n",
            "</rdf:Description>\n",
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" ",
            "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n",
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
            "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
            "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaProperty:name>part</pdfaProperty:name>\n<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
            "<pdfaProperty:category>internal</pdfaProperty:category>\n",
            "<pdfaProperty:description>Indicates which part of ISO 14289 (PDF/UA) the file conforms to</pdfaProperty:description>\n",
            "</rdf:li></rdf:Seq></pdfaSchema:property>\n",
            "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n",
            "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        title = xml(&doc.title),
        author = xml(&doc.author),
        subject = xml(&doc.subject),
        creator = CREATOR,
        producer = PRODUCER,
        date = xmp_date,
    );
    // Left uncompressed, so that any tool can find and read it.
    let mut metadata =
        Stream::new(Dictionary::from_iter(vec![("Type", Object::Name(b"Metadata".to_vec())), ("Subtype", Object::Name(b"XML".to_vec()))]), packet.into_bytes());
    metadata.allows_compression = false;
    let metadata = lo.add_object(metadata);
    let profile = lo.add_object(Stream::new(Dictionary::from_iter(vec![("N", Object::Integer(3))]), crate::icc::srgb_profile()));
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", Object::string_literal(crate::icc::SRGB)),
        ("Info", Object::string_literal(crate::icc::SRGB)),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);
    let catalog = lo.catalog_mut().map_err(|e| crate::DocError::Pdf(format!("the file has no catalog ({e})")))?;
    catalog.set("Metadata", Object::Reference(metadata));
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    catalog.set("Lang", Object::string_literal("en-GB"));
    catalog.set("ViewerPreferences", Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]));
    // The file's ID: two equal halves for a new file, from what makes it this file.
    let id = {
        use std::hash::{Hash, Hasher};
        let mut bytes = Vec::with_capacity(16);
        for salt in [0u8, 1] {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (salt, &doc.title, &xmp_date, doc.pages.len(), std::time::SystemTime::now()).hash(&mut h);
            bytes.extend(h.finish().to_be_bytes());
        }
        Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    };
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
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
    let threads = threads();
    let mut shares: Vec<Vec<&mut lopdf::Stream>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, s) in streams.into_iter().enumerate() {
        shares[i % threads].push(s);
    }
    std::thread::scope(|scope| {
        for share in shares {
            // One compressor a thread, reset between streams: making one costs as much as
            // deflating a page.
            scope.spawn(move || {
                let mut compressor = flate2::Compress::new(flate2::Compression::fast(), true);
                share.into_iter().for_each(|s| deflate(&mut compressor, s));
            });
        }
    });
}

fn deflate(compressor: &mut flate2::Compress, stream: &mut lopdf::Stream) {
    compressor.reset();
    let mut compressed = Vec::with_capacity(stream.content.len() / 2 + 64);
    loop {
        let read = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
        let Some(rest) = stream.content.get(read..) else { return };
        match compressor.compress_vec(rest, &mut compressed, flate2::FlushCompress::Finish) {
            Ok(flate2::Status::StreamEnd) => break,
            Ok(_) => compressed.reserve(compressed.capacity().max(4096)),
            // Left uncompressed: still a correct file, only larger.
            Err(_) => return,
        }
    }
    if compressed.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed);
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
    use crate::layout::{Item, Tree};

    #[test]
    fn objects_written_by_hand_read_back_as_they_were_and_the_cross_reference_points_at_each() {
        use lopdf::{Dictionary, Object, Stream, StringFormat};
        let mut lo = lopdf::Document::with_version("1.7");
        let value = Object::Dictionary(Dictionary::from_iter(vec![
            ("Name", Object::Name(b"A b#c/(d)".to_vec())),
            ("Literal", Object::String(b"(un)balanced) \\ back\rslash".to_vec(), StringFormat::Literal)),
            ("Hex", Object::String(vec![0xFE, 0xFF, 0, 0x41], StringFormat::Hexadecimal)),
            ("Real", Object::Real(-12.25)),
            ("Int", Object::Integer(-7)),
            ("Bool", Object::Boolean(false)),
            ("Null", Object::Null),
            ("Array", Object::Array(vec![Object::Integer(1), Object::Reference((1, 0))])),
        ]));
        let id = lo.add_object(value.clone());
        let stream = lo.add_object(Stream::new(Dictionary::new(), b"BT ET\r\n".to_vec()));
        let ends_in_cr = lo.add_object(Stream::new(Dictionary::new(), b"x\r".to_vec()));
        let catalog = lo.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Catalog".to_vec())), ("Value", Object::Reference(id))]));
        lo.trailer.set("Root", catalog);
        let raw_id = lo.new_object_id();
        let mut raw = Raw { bytes: Vec::new(), objects: vec![(raw_id.0, 0)] };
        put(&mut raw.bytes, format_args!("{} 0 obj\n<</Raw true>>\nendobj\n", raw_id.0));
        let bytes = save(&mut lo, &raw);

        let back = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(back.get_object(id).unwrap(), &value);
        assert_eq!(back.get_object(stream).unwrap().as_stream().unwrap().content, b"BT ET\r\n");
        assert_eq!(back.get_object(ends_in_cr).unwrap().as_stream().unwrap().content, b"x\r");
        let marker = b"stream\nx\r\r\nendstream";
        assert!(bytes.windows(marker.len()).any(|w| w == marker), "data ending in CR keeps its own end-of-line (PDF/A reads the length from it)");
        assert!(back.get_object(raw_id).unwrap().as_dict().unwrap().get(b"Raw").unwrap().as_bool().unwrap());
        // Each entry of the table is where its object starts (a reader need not rebuild it).
        let xref = bytes.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
        let table = String::from_utf8(bytes[xref..].to_vec()).unwrap();
        let entries: Vec<&str> = table.lines().skip(3).take(raw_id.0 as usize).collect();
        for (n, entry) in entries.iter().enumerate() {
            assert_eq!(entry.len(), 19, "20 bytes with the newline: {entry:?}");
            let at: usize = entry[..10].parse().unwrap();
            let expected = format!("{} 0 obj\n", n + 1);
            assert!(bytes[at..].starts_with(expected.as_bytes()), "entry {} points at {:?}", n + 1, String::from_utf8_lossy(&bytes[at..at + 12]));
        }
        assert!(table.ends_with(&format!("startxref\n{xref}\n%%EOF\n")));
    }

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
        let doc = Document {
            title: "Report".into(),
            author: "a".into(),
            subject: "s".into(),
            pages: vec![page],
            tree: Tree::default(),
            outline: vec![],
            warnings: vec![],
        };
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
        let doc = Document {
            title: "Report".into(),
            author: "a".into(),
            subject: "s".into(),
            pages: vec![page(), page()],
            tree: Tree::default(),
            outline,
            warnings: vec![],
        };
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
        let text = |x: f32, y: f32, face: Face, t: &str| Item {
            mark: Mark::Content(1),
            kind: Kind::Text { x, y, size: 10.0, face, color: Rgb::TEXT, text: t.into() },
        };
        let page = |items| Page { width: 595.28, height: 841.89, items };
        let doc = Document {
            title: "t".into(),
            author: "a".into(),
            subject: "s".into(),
            pages: vec![
                page(vec![text(50.0, 60.0, Face::Regular, "£153 – Coventry"), text(50.0, 80.0, Face::Bold, "Theme 1")]),
                page(vec![text(50.0, 60.0, Face::Symbol, "▲ ✓"), text(300.0, 60.0, Face::Regular, "Zebra")]),
            ],
            tree: Tree { nodes: vec![crate::layout::Node { tag: Tag::Document, parent: None }, crate::layout::Node { tag: Tag::P, parent: Some(0) }] },
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
