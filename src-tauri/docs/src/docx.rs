//! The Word copy: the same document model the PDF is laid out from, written as a .docx
//! (WordprocessingML) for democratic services to drop into the committee template. Real Word
//! structure, not positioned text: built-in heading styles with outline levels (the
//! navigation pane and a table of contents work), numbered paragraphs and recommendations as
//! Word numbering, tables whose header row repeats on every page and whose rows do not split,
//! the Plan on a Page as a landscape section, status as words, styles naming Arial, the
//! protective marking in the header, "Page X of Y" in the footer, document properties with
//! the language en-GB.
//!
//! Written here, part by part, into a zip: docx-rs 0.4 (the maintained DOCX crate) writes
//! `cantSplit` but not `tblHeader` (repeating header rows), so it could not make these tables
//! (docs/pdf-notes.md).

use std::io::Write;

use ccsp_core::domain::{PriorityStatus, Rag};

use crate::model::{Block, Cell, Doc, List, ListKind, Look, Table, BULLET};
use crate::plan_on_a_page::Pop;
use crate::DocError;

/// A4 in twentieths of a point, and the margins the papers use (15 mm portrait, 10 mm on the
/// landscape Plan on a Page).
const A4: (u32, u32) = (11906, 16838);
const MARGIN: u32 = 850;
const MARGIN_LANDSCAPE: u32 = 567;

const DARK: &str = "0B3D6B";
const BRAND: &str = "1D70B8";
const SECONDARY: &str = "505A5F";

/// Text made safe for XML: markup escaped, characters XML cannot hold dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Run properties for text: bold, colour, size in half-points.
#[derive(Default, Clone, Copy)]
struct Run<'a> {
    bold: bool,
    colour: Option<&'a str>,
    half_points: Option<u32>,
}

fn run(out: &mut String, text: &str, r: Run) {
    out.push_str("<w:r>");
    if r.bold || r.colour.is_some() || r.half_points.is_some() {
        out.push_str("<w:rPr>");
        if r.bold {
            out.push_str("<w:b/>");
        }
        if let Some(c) = r.colour {
            out.push_str(&format!("<w:color w:val=\"{c}\"/>"));
        }
        if let Some(s) = r.half_points {
            out.push_str(&format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>"));
        }
        out.push_str("</w:rPr>");
    }
    out.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text)));
}

/// A paragraph in `style`, with optional extra paragraph properties (numbering, breaks).
fn para(out: &mut String, style: &str, extra: &str, runs: &[(&str, Run)]) {
    out.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{extra}</w:pPr>"));
    for (t, r) in runs {
        run(out, t, *r);
    }
    out.push_str("</w:p>");
}

/// The paper's lists, numbered in order: each list is its own Word numbering instance (so
/// each restarts at 1), with the label pattern of its kind ("3.%1.", "(%1)", a bullet).
struct Numbering {
    abstracts: String,
    nums: String,
    count: u32,
}

impl Numbering {
    fn new() -> Numbering {
        Numbering { abstracts: String::new(), nums: String::new(), count: 0 }
    }
    /// Adds a list; returns its numbering id.
    fn add(&mut self, kind: ListKind, prefix: &str, indent: u32) -> u32 {
        let id = self.count;
        self.count += 1;
        let (fmt, text) = match kind {
            ListKind::Numbered => ("decimal", format!("{}%1.", esc(prefix))),
            ListKind::Recommendations => ("decimal", "(%1)".to_string()),
            ListKind::Bullets => ("bullet", BULLET.to_string()),
        };
        self.abstracts.push_str(&format!(
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{indent}\" w:hanging=\"{indent}\"/></w:pPr>{}</w:lvl></w:abstractNum>",
            if kind == ListKind::Bullets { "" } else { "<w:rPr><w:b/></w:rPr>" }
        ));
        self.nums.push_str(&format!("<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{id}\"/></w:num>", id + 1));
        id + 1
    }
    fn xml(&self) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering {NS}>{}{}</w:numbering>", self.abstracts, self.nums)
    }
}

const NS: &str =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn list(out: &mut String, numbering: &mut Numbering, l: &List, style: &str, size: Option<u32>) {
    let indent = if l.kind == ListKind::Bullets { 284 } else { 680 };
    let id = numbering.add(l.kind, &l.prefix, indent);
    // The paragraph mark's size is the label's: a small list gets a small bullet (and lines
    // no taller than its text).
    let mark = size.map(|s| format!("<w:rPr><w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/></w:rPr>")).unwrap_or_default(); // the style's size
    for item in &l.items {
        let num = format!("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{id}\"/></w:numPr>{mark}");
        para(out, style, &num, &[(item, Run { half_points: size, ..Run::default() })]);
    }
}

/// A cell's text as Word shows it: a status as its word in its colours.
fn cell(out: &mut String, c: &Cell, width: u32, size: u32, keep_with_next: bool) {
    let (fill, text, r) = match c {
        Cell::Text(t) => (None, t.clone(), Run::default()),
        Cell::Bold(t) => (None, t.clone(), Run { bold: true, ..Run::default() }),
        Cell::Status(Some(rag), _) => {
            let (fg, bg) = rag.colours();
            (Some(bg.trim_start_matches('#')), rag.label().to_string(), Run { bold: true, colour: Some(fg.trim_start_matches('#')), ..Run::default() })
        }
        Cell::Status(None, none) => (None, none.to_string(), Run { bold: true, colour: Some(SECONDARY), ..Run::default() }),
    };
    let shade = fill.map(|f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>")).unwrap_or_default(); // no fill: the table's own
    out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shade}</w:tcPr>"));
    para(out, "TableText", if keep_with_next { "<w:keepNext/>" } else { "" }, &[(&text, Run { half_points: Some(size), ..r })]);
    out.push_str("</w:tc>");
}

/// A table: its header row repeats on every page, no row splits across pages.
fn table(out: &mut String, t: &Table, text_width: u32) {
    let total: f32 = t.cols.iter().map(|c| c.width).sum();
    let widths: Vec<u32> = t.cols.iter().map(|c| (c.width / total * text_width as f32).round() as u32).collect();
    let size = (t.size * 2.0).round() as u32;
    table_open(out, &widths);
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (c, w) in t.cols.iter().zip(&widths) {
        header_cell(out, c.title, *w, size);
    }
    out.push_str("</w:tr>");
    for row in &t.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (c, w) in row.iter().zip(&widths) {
            cell(out, c, *w, size, false);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // Word needs a paragraph between two tables, and the space reads better.
    para(out, "Normal", "", &[]);
}

fn table_open(out: &mut String, widths: &[u32]) {
    out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"CCSPTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0020\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
    for w in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
}

fn header_cell(out: &mut String, title: &str, width: u32, size: u32) {
    out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{DARK}\"/></w:tcPr>"));
    // A header is kept with the first row under it.
    para(out, "TableText", "<w:keepNext/>", &[(title, Run { bold: true, colour: Some("FFFFFF"), half_points: Some(size) })]);
    out.push_str("</w:tc>");
}

/// The status key: what each status means, as a two-column table.
fn status_key(out: &mut String, text_width: u32, size: u32) {
    para(out, "Strong", "<w:keepNext/>", &[(crate::model::STATUS_KEY, Run::default())]);
    let widths = [text_width / 4, text_width - text_width / 4];
    table_open(out, &widths);
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    header_cell(out, "Status", widths[0], size);
    header_cell(out, "What it means", widths[1], size);
    out.push_str("</w:tr>");
    for r in Rag::ALL {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        // Each row kept with the next: the key never leaves its last rows on a page alone.
        let keep = r != Rag::NotStarted;
        cell(out, &Cell::Status(Some(r), ""), widths[0], size, keep);
        cell(out, &Cell::Text(crate::model::status_meaning(r).to_string()), widths[1], size, keep);
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    para(out, "Normal", "", &[]);
}

/// The width between a page's margins, in twips: portrait or landscape.
fn text_width(landscape: bool) -> u32 {
    if landscape {
        A4.1 - 2 * MARGIN_LANDSCAPE
    } else {
        A4.0 - 2 * MARGIN
    }
}

/// A section's properties: its page, margins, header and footer (the landscape section has
/// its own pair, whose right-aligned tab is at its own, wider, right margin).
fn section(landscape: bool) -> String {
    let (w, h, m, orient) = if landscape { (A4.1, A4.0, MARGIN_LANDSCAPE, " w:orient=\"landscape\"") } else { (A4.0, A4.1, MARGIN, "") };
    let pair = if landscape { "Landscape" } else { "" };
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader{pair}\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter{pair}\"/><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/><w:pgMar w:top=\"{top}\" w:right=\"{m}\" w:bottom=\"{top}\" w:left=\"{m}\" w:header=\"{hd}\" w:footer=\"{hd}\" w:gutter=\"0\"/></w:sectPr>",
        top = m + 400,
        hd = m / 2 + 100,
    )
}

/// The Plan on a Page (as it fits its page) in a landscape section of its own: the caption
/// as a heading, the title and vision, the model, the themes as a table of three columns,
/// then the partners, the statutory basis and the key.
fn plan_on_a_page(out: &mut String, numbering: &mut Numbering, pop: &Pop) {
    // The section before it ends here, portrait, in a paragraph a twentieth of a point tall
    // that takes the place of the empty one a table is followed by: that one, after a table
    // filling its page, made a blank page.
    let after_table = "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr></w:p>";
    if out.ends_with(after_table) {
        out.truncate(out.len() - after_table.len());
    }
    out.push_str(&format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"1\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr>{}</w:pPr></w:p>",
        section(false)
    ));
    let width = A4.1 - 2 * MARGIN_LANDSCAPE;
    let body = (18.0 * pop.scale).round().max(13.0) as u32;
    let small = (body as f32 * 0.88).round().max(12.0) as u32;
    let r = |bold: bool, colour: Option<&'static str>, size: u32| Run { bold, colour, half_points: Some(size) };
    if let Some(c) = &pop.caption {
        para(out, "Heading2", "", &[(c, Run::default())]);
    }
    let as_at = pop.as_at.as_ref().map(|a| format!(" · {a}")).unwrap_or_default(); // no quarter yet: nothing to say
    para(
        out,
        "Normal",
        "",
        &[
            (&pop.partnership, r(true, Some(DARK), 28)),
            (" · ", r(false, None, body)),
            (&pop.period, r(false, Some(SECONDARY), body)),
            (&as_at, r(true, Some(DARK), body)),
        ],
    );
    para(out, "Normal", "", &[(&format!("{}: ", crate::plan_on_a_page::VISION), r(true, Some(DARK), body)), (&pop.vision, r(false, None, body))]);
    let mut lenses: Vec<(&str, Run)> = Vec::new();
    let parts: Vec<(String, String)> =
        pop.lenses.iter().enumerate().map(|(i, (n, w))| (format!("{}{n}: ", if i > 0 { "   " } else { "" }), w.clone())).collect();
    for (n, w) in &parts {
        lenses.push((n, r(true, Some(BRAND), body)));
        lenses.push((w, r(false, None, body)));
    }
    para(out, "Normal", "", &lenses);
    let n = pop.themes.len().max(1) as u32;
    let widths: Vec<u32> = (0..n).map(|_| width / n).collect();
    table_open(out, &widths);
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (t, w) in pop.themes.iter().zip(&widths) {
        out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{BRAND}\"/></w:tcPr>"));
        para(out, "TableText", "", &[(&format!("{}: {}", t.number, t.title), r(true, Some("FFFFFF"), body + 2))]);
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr>");
    for (t, w) in pop.themes.iter().zip(&widths) {
        out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"));
        for line in [&t.outcome, &t.groups].into_iter().flatten() {
            para(out, "TableText", "", &[(line, r(false, Some(SECONDARY), small))]);
        }
        if t.priorities.is_empty() {
            para(out, "TableText", "", &[]);
        }
        for p in &t.priorities {
            let status = p.status.map(|s| format!(" — {}", s.label())).unwrap_or_default(); // the public version: no status
            para(out, "TableText", "<w:keepNext/>", &[(&p.heading, r(true, Some(DARK), body)), (&status, r(true, Some(SECONDARY), body))]);
            if let Some(l) = &p.lenses {
                para(out, "TableText", "", &[(l, r(false, Some(SECONDARY), small))]);
            }
            if !p.commitments.is_empty() {
                let l = List { kind: ListKind::Bullets, prefix: String::new(), items: p.commitments.clone() };
                list(out, numbering, &l, "TableText", Some(body));
            }
            if let Some(more) = p.more_text() {
                para(out, "TableText", "", &[(&more, r(true, Some(SECONDARY), small))]);
            }
        }
        if !t.measures.is_empty() {
            para(out, "TableText", "<w:keepNext/>", &[(crate::plan_on_a_page::MEASURES, r(true, Some(DARK), body))]);
            let [_, base, latest, target] = crate::plan_on_a_page::MEASURE_COLUMNS;
            let rows: Vec<String> =
                t.measures.iter().map(|m| format!("{}: {base} {}, {latest} {}, {target} {}", m.name, m.baseline, m.latest, m.target)).collect();
            let l = List { kind: ListKind::Bullets, prefix: String::new(), items: rows };
            list(out, numbering, &l, "TableText", Some(small));
            if let Some(more) = t.more_text() {
                para(out, "TableText", "", &[(&more, r(true, Some(SECONDARY), small))]);
            }
        }
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr></w:tbl>");
    if let Some(note) = &pop.note {
        para(out, "Normal", "", &[(note, r(true, Some(SECONDARY), body))]);
    }
    para(out, "Normal", "", &[(&format!("{}: ", crate::plan_on_a_page::PARTNERS), r(true, Some(DARK), body)), (&pop.partners, r(false, None, body))]);
    para(out, "Normal", "", &[(&pop.statutory, r(false, Some(SECONDARY), small))]);
    // The key on one line, as on the page; its paragraph ends the landscape section (an
    // empty paragraph of its own could spill onto a second landscape page).
    // The public version has no key: the paragraph that ends the section is then empty.
    let mut key: Vec<(String, Run, Option<&str>)> = Vec::new();
    if pop.key {
        key.push((format!("{} ", crate::model::STATUS_KEY), r(true, None, small), None));
        let statuses = Rag::ALL.into_iter().map(|r| (PriorityStatus::Rag(r), crate::model::status_meaning(r)));
        for (st, meaning) in statuses.chain([(PriorityStatus::NoReturn, crate::plan_on_a_page::NO_RETURN_MEANING)]) {
            let (fg, bg) = st.colours();
            key.push((format!(" {} ", st.label()), r(true, Some(fg.trim_start_matches('#')), small), Some(bg.trim_start_matches('#'))));
            key.push((format!(" {meaning}   "), r(false, Some(SECONDARY), small), None));
        }
        key.push((PriorityStatus::RULE.to_string(), r(false, Some(SECONDARY), small), None));
    }
    out.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/>{}</w:pPr>", section(true)));
    for (text, run_props, shade) in &key {
        let mut one = String::new();
        run(&mut one, text, *run_props);
        if let Some(bg) = shade {
            one = one.replacen("<w:rPr>", &format!("<w:rPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{bg}\"/>"), 1);
        }
        out.push_str(&one);
    }
    out.push_str("</w:p>");
}

/// A chart in the Word copy: its caption, then its figures as words democratic services can
/// re-use (a bar chart as its table of counts, each trend as its sentence). Word's own charts
/// would need the data twice over; the PDF carries the drawing.
fn figure(out: &mut String, f: &crate::chart::Figure, width: u32) {
    para(out, "Strong", "<w:keepNext/>", &[(&f.caption, Run::default())]);
    match &f.chart {
        crate::chart::Chart::Bars(bars) => {
            let mut cols = vec![crate::model::Col { title: "Actions", width: 2.4 }];
            cols.extend(crate::chart::PARTS.iter().map(|p| crate::model::Col { title: p.label(), width: 1.0 }));
            let rows = bars
                .iter()
                .map(|b| {
                    let mut row = vec![crate::model::Cell::Text(b.label.clone())];
                    row.extend(crate::chart::PARTS.iter().map(|p| crate::model::Cell::Text(crate::chart::part_count(&b.counts, *p).to_string())));
                    row
                })
                .collect();
            table(out, &crate::model::Table { continued: None, cols, rows, size: 8.5 }, width);
        }
        crate::chart::Chart::Trends(ts) => {
            for t in ts {
                para(out, "Normal", "", &[(&t.alt(), Run::default())]);
            }
        }
    }
}

fn body(doc: &Doc, numbering: &mut Numbering) -> String {
    let width = A4.0 - 2 * MARGIN;
    let mut out = String::new();
    let mut after_section_break = false;
    for b in &doc.blocks {
        // The Plan on a Page's section ends with a page break of its own.
        let skip = after_section_break && matches!(b, Block::PageBreak);
        after_section_break = matches!(b, Block::PlanOnAPage(_));
        if skip {
            continue;
        }
        match b {
            Block::Heading(h) => {
                let level = h.level.clamp(1, 3);
                // A front-sheet question is a level 2 heading that looks like a sub-heading.
                let size = (h.look > level).then_some(23);
                para(&mut out, &format!("Heading{level}"), "", &[(&h.text, Run { half_points: size, ..Run::default() })]);
            }
            Block::Paragraph { text, look } => {
                let style = match look {
                    Look::Body => "Normal",
                    Look::Kicker => "Kicker",
                    Look::Strong => "Strong",
                    Look::Muted => "Muted",
                    Look::Note => "Note",
                };
                para(&mut out, style, "", &[(text, Run::default())]);
            }
            Block::List(l) => list(&mut out, numbering, l, "ListParagraph", None),
            Block::Table(t) => table(&mut out, t, width),
            Block::StatusKey => status_key(&mut out, width, 17),
            Block::PageBreak => out.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
            Block::PlanOnAPage(p) => plan_on_a_page(&mut out, numbering, p),
            Block::Figure(f) => figure(&mut out, f, width),
        }
    }
    out
}

fn styles() -> String {
    let style = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!("<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")
    };
    let heading = |n: u32, size: u32, colour: &str, before: u32| {
        style(
            &format!("Heading{n}"),
            &format!("heading {n}"),
            &format!("<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/>", n - 1),
            &format!("<w:b/><w:color w:val=\"{colour}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"),
        )
    };
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {ns}>",
            "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>",
            "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\" w:eastAsia=\"en-GB\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>",
            "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
            "{h1}{h2}{h3}{kicker}{strong}{muted}{note}{list}{table_text}{header}{footer}",
            "<w:style w:type=\"table\" w:styleId=\"CCSPTable\"><w:name w:val=\"CCSP table\"/><w:tblPr><w:tblBorders>",
            "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/>",
            "</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
            "</w:styles>"
        ),
        ns = NS,
        h1 = heading(1, 40, DARK, 0),
        h2 = heading(2, 28, "0B0C0C", 240),
        h3 = heading(3, 23, "0B0C0C", 180),
        kicker = style("Kicker", "Kicker", "", &format!("<w:b/><w:color w:val=\"{BRAND}\"/><w:sz w:val=\"23\"/>")),
        strong = style("Strong", "Strong paragraph", "<w:keepNext/>", "<w:b/><w:sz w:val=\"21\"/>"),
        muted = style("Muted", "Muted", "", &format!("<w:color w:val=\"{SECONDARY}\"/>")),
        note = style("Note", "Note", "", &format!("<w:color w:val=\"{SECONDARY}\"/><w:sz w:val=\"17\"/>")),
        list = style("ListParagraph", "List Paragraph", "", ""),
        table_text = style("TableText", "Table text", "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>", ""),
        header = style("Header", "header", "<w:spacing w:after=\"0\"/>", &format!("<w:color w:val=\"{SECONDARY}\"/><w:sz w:val=\"16\"/>")),
        footer = style("Footer", "footer", "<w:spacing w:after=\"0\"/>", &format!("<w:color w:val=\"{SECONDARY}\"/><w:sz w:val=\"16\"/>")),
    )
}

/// The running header with the protective marking, and the footer with "Page X of Y", each
/// with its right-hand part on a right-aligned tab at the right margin of a page `width`
/// twips wide between its margins.
fn header_footer(doc: &Doc, width: u32) -> (String, String) {
    let tabs = format!("<w:tabs><w:tab w:val=\"right\" w:pos=\"{width}\"/></w:tabs>");
    let header = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/>{tabs}</w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:rPr><w:b/><w:color w:val=\"0B0C0C\"/></w:rPr><w:t>{}</w:t></w:r></w:p></w:hdr>",
        esc(&doc.running),
        esc(&doc.marking)
    );
    let field = |code: &str| format!("<w:fldSimple w:instr=\" {code} \"><w:r><w:t>1</w:t></w:r></w:fldSimple>");
    let footer = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>{tabs}</w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">Page </w:t></w:r>{}<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{}</w:p></w:ftr>",
        esc(&doc.title),
        field("PAGE"),
        field("NUMPAGES")
    );
    (header, footer)
}

/// Writes the Word document. `doc` should be fitted (`Doc::fitted`), so that its Plan on a
/// Page holds what one page can show.
pub fn render(doc: &Doc, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<u8>, DocError> {
    let mut numbering = Numbering::new();
    let body = body(doc, &mut numbering);
    let document =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{body}{}</w:body></w:document>", section(false));
    let (header, footer) = header_footer(doc, text_width(false));
    let (header_landscape, footer_landscape) = header_footer(doc, text_width(true));
    let created = now.format("%Y-%m-%dT%H:%M:%SZ");
    let core = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
            "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><dc:language>en-GB</dc:language>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{c}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        esc(&doc.title),
        esc(&doc.subject),
        esc(&doc.author),
        c = created
    );
    let parts: [(&str, String); 12] = [
        (
            "[Content_Types].xml",
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>",
                "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
                "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
                "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>",
                "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
                "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>",
                "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
                "<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>",
                "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
                "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
                "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
                "</Types>"
            )
            .to_string(),
        ),
        (
            "_rels/.rels",
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
                "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
                "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
                "</Relationships>"
            )
            .to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
                "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
                "<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>",
                "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
                "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>",
                "<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
                "<Relationship Id=\"rIdHeaderLandscape\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>",
                "<Relationship Id=\"rIdFooterLandscape\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>",
                "</Relationships>"
            )
            .to_string(),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering.xml()),
        ("word/settings.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings {NS}><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/></w:settings>")),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
        ("word/header2.xml", header_landscape),
        ("word/footer2.xml", footer_landscape),
        ("docProps/core.xml", core),
    ];
    let app = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>CCSP Coordinator</Application></Properties>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let fail = |e: &dyn std::fmt::Display| DocError::Docx(e.to_string());
    for (name, xml) in parts.iter().map(|(n, x)| (*n, x.as_str())).chain([("docProps/app.xml", app)]) {
        zip.start_file(name, options).map_err(|e| fail(&e))?;
        zip.write_all(xml.as_bytes()).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}
