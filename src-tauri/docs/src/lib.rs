//! CCSP Coordinator's documents as PDF. `layout` places text and shapes and marks each item's
//! role; `pdf` draws that with printpdf; one module per document builds its layout from the
//! store. Nothing here writes to the store.

pub mod chart;
pub mod council;
pub mod docx;
pub mod flow;
pub mod html;
pub mod icc;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod plan_on_a_page;
pub mod quarterly;
pub mod words;

use ccsp_core::domain::{PriorityStatus, Quarter, Rag};
use ccsp_core::{CoreError, Store};

use layout::{measure, place_lines, wrap, Face, Item, Kind, Mark, Metrics, Rgb, Style, Tag, Tree};

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the font {0} could not be read")]
    Font(String),
    /// The PDF writer could not make the file it meant to (never shown as blank text).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The Word writer could not make the file.
    #[error("the Word document could not be written: {0}")]
    Docx(String),
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl DocError {
    pub fn into_core(self) -> CoreError {
        match self {
            DocError::Core(e) => e,
            other => CoreError::Refused(other.to_string()),
        }
    }
}

/// Paper size. Sizes in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    /// Width and height in landscape, in points.
    pub fn landscape(self) -> (f32, f32) {
        match self {
            Paper::A4 => (841.89, 595.28),
            Paper::A3 => (1190.55, 841.89),
        }
    }
    /// The printable box's margin (10 mm on A4, 12 mm on A3).
    pub fn margin(self) -> f32 {
        match self {
            Paper::A4 => 28.35,
            Paper::A3 => 34.0,
        }
    }
    pub fn parse(s: &str) -> Result<Paper, CoreError> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A4" => Ok(Paper::A4),
            "A3" => Ok(Paper::A3),
            other => Err(CoreError::invalid("paper", format!("\"{other}\" is not a paper size; use A4 or A3"))),
        }
    }
}

/// "1 April 2025" (council papers spell dates out).
pub fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The colours of the status scale: (text, background), from the core's one definition.
pub fn rag_colours(r: Rag) -> (Rgb, Rgb) {
    let (fg, bg) = r.colours();
    (Rgb::hex(fg), Rgb::hex(bg))
}

/// The shape that goes with each status, so it never depends on colour alone.
pub fn rag_shape(r: Rag) -> &'static str {
    r.shape()
}

/// A status chip: its colour, its shape and its word. The box and the shape are decoration
/// (artifacts); the word is the content, marked `word` (a reader hears "Red", not "▲").
pub fn chip(m: &dyn Metrics, r: Rag, x: f32, top: f32, size: f32, word: Mark) -> (Vec<Item>, f32) {
    status_chip(m, PriorityStatus::Rag(r), x, top, size, word)
}

/// A chip for a priority's status (a status of the scale, or No return), as `chip`.
pub fn status_chip(m: &dyn Metrics, status: PriorityStatus, x: f32, top: f32, size: f32, word: Mark) -> (Vec<Item>, f32) {
    let (fg, bg) = status.colours();
    let (fg, bg) = (Rgb::hex(fg), Rgb::hex(bg));
    let st = Style::new(size, Face::Bold).color(fg);
    let shape = wrap(m, &st, status.shape(), f32::MAX, &mut Vec::new());
    let label = wrap(m, &st, status.label(), f32::MAX, &mut Vec::new());
    let shape_w = shape.first().map_or(0.0, |l| l.width) + measure(m, Face::Bold, size, " ");
    let w = shape_w + label.first().map_or(0.0, |l| l.width) + size * 0.9;
    let h = size * 1.45;
    let mut items = vec![Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: top, w, h, fill: Some(bg), stroke: Some((fg, 0.6)) } }];
    items.extend(place_lines(m, &shape, &st, x + size * 0.45, top + size * 0.2, Mark::LAYOUT).0);
    items.extend(place_lines(m, &label, &st, x + size * 0.45 + shape_w, top + size * 0.2, word).0);
    (items, w)
}

/// The legend of the status scale that every export carries, wrapped to `width`: a paragraph
/// "Status key:" and a list whose labels are the chips and whose bodies say what each means,
/// added to `tree` under `parent`. Returns the items and the height used.
pub fn legend(m: &dyn Metrics, tree: &mut Tree, parent: usize, x: f32, top: f32, width: f32, s: f32) -> (Vec<Item>, f32) {
    let size = (7.5 * s).max(6.5);
    let st = Style::new(size, Face::Bold);
    let row_h = size * 1.45 + 3.0;
    let mut items = Vec::new();
    let label = tree.add(parent, Tag::P);
    let lines = wrap(m, &st, model::STATUS_KEY, f32::MAX, &mut Vec::new());
    items.extend(place_lines(m, &lines, &st, x, top + size * 0.2, Mark::Content(label)).0);
    let list = tree.add(parent, Tag::L);
    let start = x + measure(m, Face::Bold, size, model::STATUS_KEY) + 6.0 * s;
    let (mut cx, mut y) = (start, top);
    for r in Rag::ALL {
        let meaning = Style::new((size * 0.95).max(6.0), Face::Regular).color(Rgb::SECONDARY);
        let short = model::status_meaning(r);
        let ml = wrap(m, &meaning, short, f32::MAX, &mut Vec::new());
        let w = chip(m, r, 0.0, 0.0, size, Mark::LAYOUT).1;
        let meaning_w = measure(m, Face::Regular, meaning.size, short);
        let need = w + 3.0 * s + meaning_w;
        if cx + need > x + width && cx > start {
            cx = start;
            y += row_h;
        }
        let li = tree.add(list, Tag::LI);
        let lbl = tree.add(li, Tag::Lbl);
        let body = tree.add(li, Tag::LBody);
        items.extend(chip(m, r, cx, y, size, Mark::Content(lbl)).0);
        cx += w + 3.0 * s;
        items.extend(place_lines(m, &ml, &meaning, cx, y + size * 0.25, Mark::Content(body)).0);
        cx += meaning_w + 9.0 * s;
    }
    (items, y + row_h - top)
}

/// What an export produced: the PDF's bytes, its page count, and anything the reader should
/// be told (content left out, characters the fonts lack).
pub struct Output {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<String>,
}

/// Reads a document's data from the store while another thread parses the fonts (the two
/// are independent; the fonts take a millisecond or two).
fn with_fonts<T>(load: impl FnOnce() -> Result<T, DocError>) -> Result<(T, pdf::Fonts), DocError> {
    std::thread::scope(|scope| {
        let fonts = scope.spawn(pdf::Fonts::load);
        let data = load()?;
        let fonts = fonts.join().map_err(|_| DocError::Font("Liberation Sans".into()))??;
        Ok((data, fonts))
    })
}

/// The protective marking the papers carry, from Settings.
pub fn marking(store: &Store) -> Result<String, CoreError> {
    store.protective_marking()
}

/// The warning for characters no font has.
pub fn missing_glyphs(missing: &[char]) -> String {
    let list: Vec<String> = missing.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
    format!("Some characters have no glyph in the document's fonts and are shown as \"?\": {}", list.join(", "))
}

/// What a Plan on a Page is made as: its paper, the quarter its status is as at (None: the
/// reporting quarter) and whether it shows status (false: the public version, no key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopOptions {
    pub paper: Paper,
    pub as_at: Option<Quarter>,
    pub status: bool,
}

impl PopOptions {
    pub fn new(paper: Paper) -> PopOptions {
        PopOptions { paper, as_at: None, status: true }
    }
}

/// What a Plan on a Page is made from, read from the store.
pub struct PopData {
    pub plan: ccsp_core::store::PlanSummary,
    pub actions: Vec<ccsp_core::store::ActionRow>,
    pub indicators: Vec<ccsp_core::store::IndicatorRow>,
    pub as_at: Option<Quarter>,
    pub status: Option<std::collections::HashMap<String, ccsp_core::domain::LatestStatus>>,
    pub marking: String,
}

impl PopData {
    /// Reads the plan, the actions, the indicators and each action's latest status as at the
    /// quarter (`as_at`, else the reporting quarter; one of the plan's quarters).
    pub fn load(store: &Store, as_at: Option<Quarter>, status: bool, today: chrono::NaiveDate) -> Result<PopData, CoreError> {
        let as_at = match as_at {
            Some(q) => Some(q),
            None => store.reporting_quarter(today)?,
        };
        let indicators = match as_at {
            Some(q) => store.indicators_view(q, today).map_err(|e| e.for_field("as_at"))?.indicators,
            None => vec![],
        };
        let status = match (status, as_at) {
            (true, Some(q)) => Some(store.latest_status_as_at(q)?),
            (true, None) => Some(Default::default()),
            (false, _) => None,
        };
        Ok(PopData { plan: store.plan_summary(today)?, actions: store.list_actions()?, indicators, as_at, status, marking: marking(store)? })
    }

    pub fn input<'a>(&'a self, caption: Option<&'a str>) -> plan_on_a_page::Input<'a> {
        plan_on_a_page::Input {
            plan: &self.plan,
            actions: &self.actions,
            indicators: &self.indicators,
            as_at: self.as_at,
            status: self.status.as_ref(),
            caption,
            marking: &self.marking,
        }
    }
}

/// The Plan on a Page from the store.
pub fn plan_on_a_page(store: &Store, opts: PopOptions, today: chrono::NaiveDate) -> Result<Output, DocError> {
    let (data, fonts) = with_fonts(|| Ok(PopData::load(store, opts.as_at, opts.status, today)?))?;
    let doc = plan_on_a_page::layout(&fonts, &data.input(None), opts.paper);
    Ok(Output { bytes: pdf::render(&doc, &fonts)?, pages: doc.pages.len(), warnings: doc.warnings })
}

/// The quarterly performance report for a quarter, from the store.
pub fn quarterly(store: &Store, q: ccsp_core::domain::Quarter, today: chrono::NaiveDate) -> Result<Output, DocError> {
    let (data, fonts) = with_fonts(|| quarterly::Data::load(store, q, today))?;
    let doc = quarterly::layout(&fonts, &data);
    Ok(Output { bytes: pdf::render(&doc, &fonts)?, pages: doc.pages.len(), warnings: doc.warnings })
}

/// The annual progress report to Cabinet and Council for a financial year, from the store.
pub fn council_report(store: &Store, year: ccsp_core::domain::FinancialYear, today: chrono::NaiveDate) -> Result<Output, DocError> {
    let (data, fonts) = with_fonts(|| council::Data::load(store, year, today))?;
    let doc = council::layout(&fonts, &data);
    Ok(Output { bytes: pdf::render(&doc, &fonts)?, pages: doc.pages.len(), warnings: doc.warnings })
}

/// The annual report as a Word document, from the store: the same model as the PDF, its
/// Plan on a Page fitted as the PDF's is.
pub fn council_report_docx(store: &Store, year: ccsp_core::domain::FinancialYear, today: chrono::NaiveDate) -> Result<Output, DocError> {
    let (data, fonts) = with_fonts(|| council::Data::load(store, year, today))?;
    let model = council::model(&data).fitted(&fonts);
    let bytes = docx::render(&model, ccsp_core::paths::clock_now()?)?;
    Ok(Output { bytes, pages: 0, warnings: model.warnings })
}

/// The file format of a paper: the output file's extension decides (PRODUCT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    /// `pdf` or `docx` (the window's and `--format`'s word).
    pub fn parse(s: &str) -> Result<Format, CoreError> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.extension() == s).ok_or_else(|| CoreError::invalid("format", format!("\"{s}\" is not a format; use pdf or docx")))
    }

    pub const ALL: [Format; 2] = [Format::Pdf, Format::Docx];
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "Word document",
        }
    }
    /// The format of `out` from its extension; `given` (`--format`) must agree with it, and
    /// the paper must come in that format (`offered`).
    pub fn for_output(out: &std::path::Path, given: Option<&str>, offered: &[Format]) -> Result<Format, CoreError> {
        let names = || offered.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(" or ");
        let ext = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let by_ext = Format::ALL.into_iter().find(|f| ext.as_deref() == Some(f.extension()));
        let by_flag = given.map(Format::parse).transpose()?;
        let format = match (by_ext, by_flag) {
            (Some(e), Some(f)) if e != f => {
                return Err(CoreError::invalid(
                    "format",
                    format!(
                        "--format {} does not match the file name {} (a .{} file); name the file .{}",
                        f.extension(),
                        out.display(),
                        e.extension(),
                        f.extension()
                    ),
                ))
            }
            (Some(e), _) => e,
            (None, _) => return Err(CoreError::invalid("out", format!("name the file {} (the format follows the extension)", names()))),
        };
        if !offered.contains(&format) {
            return Err(CoreError::invalid("out", format!("this paper is made as {}, not as a {}", names(), format.label())));
        }
        Ok(format)
    }
}

/// A document the window (or the CLI) asks for by name, with what it needs: the one place
/// that knows the documents' names, their default file names and how each is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    PlanOnAPage(PopOptions),
    Quarterly(ccsp_core::domain::Quarter),
    CouncilReport(ccsp_core::domain::FinancialYear),
}

impl Export {
    /// `plan-on-a-page` (with its paper, the quarter its status is as at, None for the
    /// reporting quarter, and `status` false for the public version), `quarterly` (with its
    /// quarter) or `council-report` (with its financial year); a missing quarter or year is named.
    pub fn choose(document: &str, paper: &str, quarter: Option<&str>, year: Option<&str>, status: bool) -> Result<Export, CoreError> {
        let given = |v: Option<&str>, field: &str, what: &str| {
            v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).ok_or_else(|| CoreError::invalid(field, format!("choose the {what}")))
        };
        match document {
            "plan-on-a-page" => {
                let as_at = quarter.map(str::trim).filter(|q| !q.is_empty() && status).map(Quarter::parse).transpose()?;
                Ok(Export::PlanOnAPage(PopOptions { paper: Paper::parse(paper)?, as_at, status }))
            }
            "quarterly" => Ok(Export::Quarterly(ccsp_core::domain::Quarter::parse(&given(quarter, "quarter", "quarter")?)?)),
            "council-report" => {
                Ok(Export::CouncilReport(ccsp_core::domain::FinancialYear::parse(&given(year, "year", "financial year")?).map_err(|e| e.for_field("year"))?))
            }
            other => Err(CoreError::invalid("document", format!("\"{other}\" is not a document this version can export"))),
        }
    }

    /// The formats the paper is made in: every paper as PDF, the annual report also as Word.
    pub fn formats(&self) -> &'static [Format] {
        match self {
            Export::CouncilReport(_) => &Format::ALL,
            _ => &[Format::Pdf],
        }
    }

    /// The name the save dialog suggests, for a format.
    pub fn file_name_as(&self, format: Format) -> String {
        let name = self.file_name();
        format!("{}.{}", name.strip_suffix(".pdf").unwrap_or(&name), format.extension())
    }

    /// Makes the paper in `format` (one it is made in, else a clear refusal).
    pub fn render_as(&self, store: &Store, today: chrono::NaiveDate, format: Format) -> Result<Output, DocError> {
        match (format, *self) {
            (Format::Pdf, _) => self.render(store, today),
            (Format::Docx, Export::CouncilReport(y)) => council_report_docx(store, y, today),
            (Format::Docx, _) => Err(CoreError::invalid("format", "only the annual report is made as a Word document").into()),
        }
    }

    /// The name the save dialog suggests.
    pub fn file_name(&self) -> String {
        match self {
            Export::PlanOnAPage(o) => match (o.status, o.as_at) {
                (false, _) => format!("CCSP Plan on a Page public ({:?}).pdf", o.paper),
                (true, Some(q)) => format!("CCSP Plan on a Page {} ({:?}).pdf", q.code(), o.paper),
                (true, None) => format!("CCSP Plan on a Page ({:?}).pdf", o.paper),
            },
            Export::Quarterly(q) => format!("CCSP quarterly report {}.pdf", q.code()),
            Export::CouncilReport(y) => format!("CCSP annual report to Cabinet and Council {}.pdf", y.code()),
        }
    }

    /// Lays the document out from the store and writes its PDF.
    pub fn render(&self, store: &Store, today: chrono::NaiveDate) -> Result<Output, DocError> {
        match *self {
            Export::PlanOnAPage(o) => plan_on_a_page(store, o, today),
            Export::Quarterly(q) => quarterly(store, q, today),
            Export::CouncilReport(y) => council_report(store, y, today),
        }
    }
}

#[cfg(test)]
mod export_tests {
    use super::*;

    #[test]
    fn each_document_is_chosen_by_its_name_with_what_it_needs_and_gets_its_file_name() {
        let pop = Export::choose("plan-on-a-page", "a3", None, None, true).unwrap();
        assert_eq!(pop.file_name(), "CCSP Plan on a Page (A3).pdf");
        let as_at = Export::choose("plan-on-a-page", "A4", Some("2025-26-Q3"), None, true).unwrap();
        assert_eq!(as_at.file_name(), "CCSP Plan on a Page 2025-26-Q3 (A4).pdf");
        // The public version shows no status, so no quarter is named in it.
        let public = Export::choose("plan-on-a-page", "A4", Some("2025-26-Q3"), None, false).unwrap();
        assert_eq!(public, Export::PlanOnAPage(PopOptions { paper: Paper::A4, as_at: None, status: false }));
        assert_eq!(public.file_name(), "CCSP Plan on a Page public (A4).pdf");
        let q = Export::choose("quarterly", "A4", Some("2025-26-Q2"), None, true).unwrap();
        assert_eq!(q.file_name(), "CCSP quarterly report 2025-26-Q2.pdf");
        let r = Export::choose("council-report", "A4", None, Some("2025-26"), true).unwrap();
        assert_eq!(r.file_name(), "CCSP annual report to Cabinet and Council 2025-26.pdf");
    }

    #[test]
    fn a_missing_quarter_or_year_or_an_unknown_document_is_named() {
        let field = |e: CoreError| match e {
            CoreError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(Export::choose("quarterly", "A4", None, None, true).unwrap_err()), "quarter");
        assert_eq!(field(Export::choose("council-report", "A4", None, Some(" "), true).unwrap_err()), "year");
        assert_eq!(field(Export::choose("tracker", "A4", None, None, true).unwrap_err()), "document");
    }
}
