//! The layout pass for flowing papers (portrait A4): lays a `model::Doc` out into pages and
//! builds its structure tree as it goes. Headings, paragraphs, numbered paragraphs and
//! recommendations with hanging labels, bullets, and tables whose header row repeats on every
//! page (as an artifact: the table is one element across the break) and whose rows split
//! cleanly across pages. The running header, the protective marking and "Page X of Y" are
//! added at the end, as artifacts. Everything is placed through `layout`, so it stays
//! printpdf-free; `pdf` draws the result.

use ccsp_core::domain::Rag;

use crate::layout::{place_lines, wrap, Artifact, Bookmark, Document, Face, Item, Kind, Line, Mark, Metrics, Page, Rgb, Style, Tag, Tree};
use crate::model::{Block, Cell, Col, Doc, Heading, List, ListKind, Look, Table, BULLET};

pub const A4_PORTRAIT: (f32, f32) = (595.28, 841.89);
pub const MARGIN: f32 = 42.5; // 15 mm

/// Lays the paper out: every block in order, then the page furniture.
pub fn lay_out(m: &dyn Metrics, doc: &Doc) -> Document {
    let mut f = Flow::new(m);
    for b in &doc.blocks {
        f.block(b);
    }
    f.finish(doc)
}

struct Flow<'a> {
    m: &'a dyn Metrics,
    w: f32,
    h: f32,
    top: f32,
    bottom: f32,
    /// Pages finished; `page` is the one being filled (so there is always a current page).
    pages: Vec<Page>,
    page: Page,
    outline: Vec<Bookmark>,
    tree: Tree,
    y: f32,
    missing: Vec<char>,
    body: Style,
    warnings: Vec<String>,
}

impl<'a> Flow<'a> {
    fn new(m: &'a dyn Metrics) -> Flow<'a> {
        let (w, h) = A4_PORTRAIT;
        let top = MARGIN + 18.0;
        let page = Page { width: w, height: h, items: vec![] };
        Flow {
            m,
            w,
            h,
            top,
            bottom: h - MARGIN - 18.0,
            pages: vec![],
            page,
            outline: vec![],
            tree: Tree::default(),
            y: top,
            missing: vec![],
            body: Style::new(10.0, Face::Regular),
            warnings: vec![],
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => self.heading(h),
            Block::Paragraph { text, look } => self.paragraph(text, *look),
            Block::List(l) => self.list(l),
            Block::Table(t) => self.table(t),
            Block::StatusKey => self.status_key(),
            Block::Figure(fig) => self.figure(fig),
            Block::PageBreak => self.new_page(),
            Block::PlanOnAPage(pop) => {
                let laid = crate::plan_on_a_page::lay_out(self.m, pop, crate::Paper::A4);
                self.warnings.extend(laid.warnings);
                let offset = self.tree.graft(Tree::ROOT, laid.tree);
                let pages = laid
                    .pages
                    .into_iter()
                    .map(|mut p| {
                        for it in &mut p.items {
                            if let Mark::Content(n) = it.mark {
                                it.mark = Mark::Content(n + offset);
                            }
                        }
                        p
                    })
                    .collect();
                self.push_pages(pop.caption.as_deref().unwrap_or("Plan on a Page"), pages);
            }
        }
    }

    fn width(&self) -> f32 {
        self.w - 2.0 * MARGIN
    }

    fn items(&mut self) -> &mut Vec<Item> {
        &mut self.page.items
    }

    fn blank(&self) -> Page {
        Page { width: self.w, height: self.h, items: vec![] }
    }

    /// Goes on on a fresh page (the current one if nothing is on it yet).
    fn new_page(&mut self) {
        if !self.page.items.is_empty() {
            let blank = self.blank();
            let done = std::mem::replace(&mut self.page, blank);
            self.pages.push(done);
        }
        self.y = self.top;
    }

    /// Adds finished pages (the Plan on a Page, landscape, as an appendix), listed in the
    /// outline as `title`; the flow goes on on a new page after them.
    fn push_pages(&mut self, title: &str, pages: Vec<Page>) {
        self.new_page();
        self.outline.push(Bookmark { title: title.to_string(), page: self.pages.len(), top: 0.0 });
        self.pages.extend(pages);
    }

    /// Starts a new page unless `need` points still fit on this one.
    fn ensure(&mut self, need: f32) {
        if self.y + need > self.bottom && self.y > self.top {
            self.new_page();
        }
    }

    fn space(&mut self, pts: f32) {
        self.y = (self.y + pts).min(self.bottom);
    }

    /// Wrapped text at `x`, line by line onto as many pages as it needs, all marked `mark`.
    fn lines(&mut self, text: &str, style: &Style, x: f32, width: f32, mark: Mark) {
        let lines = wrap(self.m, style, text, width, &mut self.missing);
        for line in lines {
            self.ensure(style.line_height());
            let (its, used) = place_lines(self.m, std::slice::from_ref(&line), style, x, self.y, mark);
            self.items().extend(its);
            self.y += used;
        }
    }

    fn heading(&mut self, h: &Heading) {
        let size = match h.look {
            1 => 20.0,
            2 => 14.0,
            _ => 11.5,
        };
        let style = Style::new(size, Face::Bold).color(if h.look == 1 { Rgb::DARK } else { Rgb::TEXT });
        // Kept with what follows: a section heading is often followed by a sub-heading and
        // a table header.
        self.ensure(style.line_height() * 1.6 + self.body.line_height() * h.keep);
        self.space(if h.look == 1 { 0.0 } else { size * 0.6 });
        if h.look <= 2 && h.level <= 2 {
            self.outline.push(Bookmark { title: h.text.clone(), page: self.pages.len(), top: self.y });
        }
        let node = self.tree.add(Tree::ROOT, Tag::H(h.level));
        self.lines(&h.text, &style, MARGIN, self.width(), Mark::Content(node));
        self.space(size * 0.3);
    }

    fn paragraph(&mut self, text: &str, look: Look) {
        let style = match look {
            Look::Body => self.body,
            Look::Kicker => Style::new(11.5, Face::Bold).color(Rgb::BRAND),
            Look::Strong => Style::new(10.5, Face::Bold),
            Look::Muted => Style::new(10.0, Face::Regular).color(Rgb::SECONDARY),
            Look::Note => Style::new(8.5, Face::Regular).color(Rgb::SECONDARY),
        };
        let node = self.tree.add(Tree::ROOT, Tag::P);
        self.lines(text, &style, MARGIN, self.width(), Mark::Content(node));
        self.space(style.size * if look == Look::Body { 0.6 } else { 0.4 });
    }

    /// A chart: its caption kept with it, then the chart (a bar chart whole on one page; small
    /// multiples a row at a time).
    fn figure(&mut self, fig: &crate::chart::Figure) {
        let caption = Style::new(9.5, Face::Bold);
        let width = self.width();
        match &fig.chart {
            crate::chart::Chart::Bars(bars) => {
                // Measured first, so that caption and chart start on the same page.
                let (_, h) = crate::chart::bars(self.m, &mut Tree::default(), Tree::ROOT, "", bars, (MARGIN, 0.0), width);
                self.ensure(h + caption.line_height() * 2.0);
                self.caption(&fig.caption, &caption);
                let alt = fig.alts().concat();
                let (items, h) = crate::chart::bars(self.m, &mut self.tree, Tree::ROOT, &alt, bars, (MARGIN, self.y), width);
                self.items().extend(items);
                self.y += h;
            }
            crate::chart::Chart::Trends(trends) => {
                for (i, row) in trends.chunks(crate::chart::PANELS_A_ROW).enumerate() {
                    let (_, h) = crate::chart::trend_row(self.m, &mut Tree::default(), Tree::ROOT, row, MARGIN, 0.0, width);
                    self.ensure(h + if i == 0 { caption.line_height() * 2.0 } else { 0.0 });
                    if i == 0 {
                        self.caption(&fig.caption, &caption);
                    }
                    let (items, h) = crate::chart::trend_row(self.m, &mut self.tree, Tree::ROOT, row, MARGIN, self.y, width);
                    self.items().extend(items);
                    self.y += h;
                }
            }
        }
        self.space(6.0);
    }

    fn caption(&mut self, text: &str, style: &Style) {
        let p = self.tree.add(Tree::ROOT, Tag::P);
        self.lines(text, style, MARGIN, self.width(), Mark::Content(p));
        self.space(3.0);
    }

    /// The status key: every status as a chip with its word, and what it means.
    fn status_key(&mut self) {
        self.ensure(30.0);
        let width = self.width();
        let (items, h) = crate::legend(self.m, &mut self.tree, Tree::ROOT, MARGIN, self.y, width, 1.0);
        self.items().extend(items);
        self.y += h;
        self.space(4.0);
    }

    /// A list: each item's label ("1.2.", "(1)", "•") with its text hanging clear of it.
    fn list(&mut self, l: &List) {
        let style = self.body;
        let (indent, label_style, label_x) = match l.kind {
            ListKind::Numbered | ListKind::Recommendations => (34.0, Style::new(style.size, Face::Bold), MARGIN),
            ListKind::Bullets => (14.0, Style::new(style.size, Face::Regular).color(Rgb::BRAND), MARGIN + 3.0),
        };
        let list = self.tree.add(Tree::ROOT, Tag::L);
        for (i, text) in l.items.iter().enumerate() {
            let li = self.tree.add(list, Tag::LI);
            let lbl = self.tree.add(li, Tag::Lbl);
            let body = self.tree.add(li, Tag::LBody);
            let lines = wrap(self.m, &style, text, self.width() - indent, &mut self.missing);
            for (k, line) in lines.iter().enumerate() {
                self.ensure(style.line_height());
                if k == 0 {
                    let label = l.label(i);
                    let n = wrap(self.m, &label_style, &label, if label == BULLET { indent } else { f32::MAX }, &mut self.missing);
                    let (its, _) = place_lines(self.m, &n, &label_style, label_x, self.y, Mark::Content(lbl));
                    self.items().extend(its);
                }
                let (its, used) = place_lines(self.m, std::slice::from_ref(line), &style, MARGIN + indent, self.y, Mark::Content(body));
                self.items().extend(its);
                self.y += used;
            }
            if l.kind != ListKind::Bullets {
                self.space(style.size * 0.6);
            }
        }
        if l.kind == ListKind::Bullets {
            self.space(style.size * 0.6);
        }
    }

    /// The header row: the table's first (`repeat` false, one TH per column) or its repeat on
    /// a later page (an artifact: the first row already told the reader the columns).
    fn header_row(&mut self, cols: &[Col], widths: &[f32], table: usize, repeat: bool, size: f32) {
        let st = Style::new(size, Face::Bold).color(Rgb::WHITE);
        let pad = 3.0;
        let wrapped: Vec<_> = cols.iter().zip(widths).map(|(c, w)| wrap(self.m, &st, c.title, w - 2.0 * pad, &mut self.missing)).collect();
        let h = wrapped.iter().map(|l| l.len()).max().unwrap_or(1) as f32 * st.line_height() + 2.0 * pad;
        let row = (!repeat).then(|| self.tree.add(table, Tag::TR));
        let y = self.y;
        self.items().push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: MARGIN, y, w: widths.iter().sum(), h, fill: Some(Rgb::DARK), stroke: None } });
        let mut x = MARGIN;
        for (lines, w) in wrapped.iter().zip(widths) {
            let mark = match row {
                Some(r) => Mark::Content(self.tree.add(r, Tag::TH)),
                None => Mark::Artifact(Artifact::Header),
            };
            let (its, _) = place_lines(self.m, lines, &st, x + pad, y + pad, mark);
            self.items().extend(its);
            x += w;
        }
        self.y += h;
    }

    /// A table: the header repeats on each page; a row too tall for what is left of a page is
    /// split between lines, never drawn past the bottom.
    fn table(&mut self, t: &Table) {
        let (cols, size) = (&t.cols, t.size);
        let total: f32 = cols.iter().map(|c| c.width).sum();
        let widths: Vec<f32> = cols.iter().map(|c| c.width / total * self.width()).collect();
        let pad = 3.0;
        let st = Style::new(size, Face::Regular);
        let bold = Style::new(size, Face::Bold);
        self.ensure(st.line_height() * 4.0);
        let table = self.tree.add(Tree::ROOT, Tag::Table);
        self.header_row(cols, &widths, table, false, size);
        for (ri, row) in t.rows.iter().enumerate() {
            // Each cell as lines (a status cell is one line high).
            let cells: Vec<Vec<Line>> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| match c {
                    Cell::Text(t) => wrap(self.m, &st, t, w - 2.0 * pad, &mut self.missing),
                    Cell::Bold(t) => wrap(self.m, &bold, t, w - 2.0 * pad, &mut self.missing),
                    Cell::Status(..) => vec![Line::default()],
                })
                .collect();
            let tr = self.tree.add(table, Tag::TR);
            let tds: Vec<usize> = row.iter().map(|_| self.tree.add(tr, Tag::TD)).collect();
            let n = cells.iter().map(|l| l.len()).max().unwrap_or(1).max(1);
            let mut done = 0;
            while done < n {
                let room = ((self.bottom - self.y - 2.0 * pad) / st.line_height()).floor() as isize;
                if room < 1 || (done == 0 && room < n.min(3) as isize) {
                    self.new_page();
                    if let Some(title) = &t.continued {
                        let style = Style::new(11.5, Face::Bold);
                        self.lines(title, &style, MARGIN, self.width(), Mark::Artifact(Artifact::Header));
                        self.space(3.0);
                    }
                    self.header_row(cols, &widths, table, true, size);
                    continue;
                }
                let take = (room as usize).min(n - done);
                let h = take as f32 * st.line_height() + 2.0 * pad;
                let y = self.y;
                if ri % 2 == 1 {
                    self.items()
                        .push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: MARGIN, y, w: widths.iter().sum(), h, fill: Some(Rgb::PALE), stroke: None } });
                }
                let mut x = MARGIN;
                for (((cell, lines), w), td) in row.iter().zip(&cells).zip(&widths).zip(&tds) {
                    let mark = Mark::Content(*td);
                    match cell {
                        Cell::Status(rag, none) if done == 0 => {
                            let its = status_cell(self.m, *rag, none, x + pad, y + pad * 0.6, size * 0.92, mark);
                            self.items().extend(its);
                        }
                        Cell::Status(..) => {}
                        Cell::Bold(_) | Cell::Text(_) => {
                            let style = if matches!(cell, Cell::Bold(_)) { &bold } else { &st };
                            let part: Vec<_> = lines.iter().skip(done).take(take).cloned().collect();
                            let (its, _) = place_lines(self.m, &part, style, x + pad, y + pad, mark);
                            self.items().extend(its);
                        }
                    }
                    x += w;
                }
                self.items().push(Item {
                    mark: Mark::LAYOUT,
                    kind: Kind::Line { x1: MARGIN, y1: y + h, x2: MARGIN + widths.iter().sum::<f32>(), y2: y + h, width: 0.4, color: Rgb::RULE },
                });
                self.y += h;
                done += take;
            }
        }
        self.space(size);
    }

    /// Adds the running header, the marking and "Page X of Y" to every page and returns the
    /// laid-out document.
    fn finish(mut self, doc: &Doc) -> Document {
        // The page being filled, unless it is blank and there are others.
        if !self.page.items.is_empty() || self.pages.is_empty() {
            let blank = self.blank();
            let last = std::mem::replace(&mut self.page, blank);
            self.pages.push(last);
        }
        let n = self.pages.len();
        let small = Style::new(8.0, Face::Regular).color(Rgb::SECONDARY);
        let strong = Style::new(8.0, Face::Bold).color(Rgb::TEXT);
        let (header, footer) = (Mark::Artifact(Artifact::Header), Mark::Artifact(Artifact::Footer));
        let m = self.m;
        let one_line = |text: &str, style: &Style, width: f32| -> Vec<Line> { wrap(m, style, text, width, &mut Vec::new()).into_iter().take(1).collect() };
        for (i, page) in self.pages.iter_mut().enumerate() {
            let (pw, ph) = (page.width, page.height);
            let foot = one_line(&format!("Page {} of {}", i + 1, n), &small, 200.0);
            let fw = foot.first().map_or(0.0, |l| l.width);
            // A page laid out by another document (the Plan on a Page) has its own title band
            // and marking.
            if (pw, ph) != (self.w, self.h) {
                page.items.extend(place_lines(m, &foot, &small, pw - 28.35 - fw, ph - 20.0, footer).0);
                continue;
            }
            let mark = one_line(&doc.marking, &strong, 150.0);
            let mw = mark.first().map_or(0.0, |l| l.width);
            let head = one_line(&doc.running, &small, self.w - 2.0 * MARGIN - mw - 12.0);
            page.items.extend(place_lines(m, &head, &small, MARGIN, MARGIN - 4.0, header).0);
            page.items.extend(place_lines(m, &mark, &strong, self.w - MARGIN - mw, MARGIN - 4.0, header).0);
            page.items.push(Item {
                mark: Mark::LAYOUT,
                kind: Kind::Line { x1: MARGIN, y1: MARGIN + 8.0, x2: self.w - MARGIN, y2: MARGIN + 8.0, width: 0.5, color: Rgb::RULE },
            });
            page.items.extend(place_lines(m, &foot, &small, self.w - MARGIN - fw, self.h - MARGIN + 2.0, footer).0);
            let title = one_line(&doc.title, &small, self.w - 2.0 * MARGIN - fw - 20.0);
            page.items.extend(place_lines(m, &title, &small, MARGIN, self.h - MARGIN + 2.0, footer).0);
        }
        let mut warnings = doc.warnings.clone();
        warnings.extend(self.warnings);
        if !self.missing.is_empty() {
            warnings.push(crate::missing_glyphs(&self.missing));
        }
        Document {
            title: doc.title.clone(),
            author: doc.author.clone(),
            subject: doc.subject.clone(),
            pages: self.pages,
            tree: self.tree,
            outline: self.outline,
            warnings,
        }
    }
}

/// A status chip in a table cell, or the given word (e.g. "No return") when there is none.
fn status_cell(m: &dyn Metrics, rag: Option<Rag>, none: &str, x: f32, top: f32, size: f32, mark: Mark) -> Vec<Item> {
    match rag {
        Some(r) => crate::chip(m, r, x, top, size, mark).0,
        None => {
            let st = Style::new(size, Face::Bold).color(Rgb::SECONDARY);
            let lines = wrap(m, &st, none, 200.0, &mut Vec::new());
            place_lines(m, &lines, &st, x, top + size * 0.2, mark).0
        }
    }
}
